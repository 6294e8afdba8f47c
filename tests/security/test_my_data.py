"""Mina uppgifter: a user downloads their own data after proving it is them again."""

import csv
import io
import json
import zipfile
from http import HTTPStatus

from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from security.models import AuditEvent

from .conftest import PASSWORD

URL = reverse("security:my-data")


def _zip(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    assert "mina-uppgifter-" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_a_member_without_a_second_factor_confirms_with_the_password(client, member):
    member.phone = "070-111 22 33"
    member.save()
    client.force_login(member)
    assert "Ladda ned mina uppgifter" in client.get(URL).content.decode()
    wrong = client.post(URL, {"password": "not-it"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "Inget lämnades ut" in wrong.content.decode()
    archive = _zip(client.post(URL, {"password": PASSWORD}))
    names = set(archive.namelist())
    assert {"README.txt", "pitebra.User.json", "pitebra.User.csv"} <= names
    assert {"pitebra.Membership.json", "pitebra.Membership.csv"} <= names
    me = json.loads(archive.read("pitebra.User.json"))[0]
    assert me["username"] == "medlem" and me["phone"] == "070-111 22 33"
    assert "password" not in me and "calendar_token_hash" not in me
    rows = list(csv.DictReader(io.StringIO(archive.read("pitebra.User.csv").decode("utf-8-sig"))))
    assert rows[0]["username"] == "medlem"
    readme = archive.read("README.txt").decode()
    assert "Användarkonto" in readme and "Rättslig grund" in readme and "phone: Telefon" in readme
    assert AuditEvent.objects.filter(user=member, summary="own data (zip)").exists()


def test_an_enrolled_user_confirms_with_a_code(client, member):
    device = StaticDevice.objects.create(user=member, name="backup", confirmed=True)
    device.token_set.create(token="abcd1234")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    client.force_login(member)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    page = client.get(URL).content.decode()
    assert 'name="code"' in page and 'name="password"' not in page
    # The password is not enough when a second factor exists.
    assert client.post(URL, {"password": PASSWORD}).status_code == HTTPStatus.BAD_REQUEST
    archive = _zip(client.post(URL, {"code": "abcd 1234"}))
    # A backup code works once; a wrong code hands out nothing.
    assert client.post(URL, {"code": "abcd1234"}).status_code == HTTPStatus.BAD_REQUEST
    assert "otp_totp.TOTPDevice.json" in archive.namelist()
    device_row = json.loads(archive.read("otp_totp.TOTPDevice.json"))[0]
    assert "key" not in device_row  # the secret itself is never handed out
    assert not any(n.startswith("otp_static.StaticToken") for n in archive.namelist())


@override_settings(PITEBRA_REQUIRE_2FA=True)
def test_no_download_without_the_second_factor_a_role_requires(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"password": PASSWORD})
    assert response.get("Content-Type") != "application/zip"


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == HTTPStatus.FOUND

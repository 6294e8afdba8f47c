"""Passkeys (django-otp-webauthn) as a second factor beside the app's code; the browser tour
(tests/e2e/test_passkey_tour.py) registers and uses one with Chromium's virtual authenticator."""

from http import HTTPStatus

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from security import two_factor


def make_passkey(user):
    return WebAuthnCredential.objects.create(
        user=user,
        name="laptop",
        credential_id=b"credential-" + str(user.pk).encode(),
        public_key=b"public-key",
        sign_count=0,
        aaguid="00000000-0000-0000-0000-000000000000",
        credential_id_sha256=f"{user.pk:064x}",
    )


@override_settings(PITEBRA_REQUIRE_2FA=True)
def test_a_member_with_a_passkey_is_asked_for_it_at_login(client, member):
    make_passkey(member)
    client.force_login(member)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("security:two-factor-verify"))
    page = client.get(response["Location"]).content.decode()
    assert "Verifiera med en lösennyckel" in page
    # django-otp-webauthn's own endpoints stay reachable before verification.
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == HTTPStatus.OK
    assert begin.json()["allowCredentials"]


def test_the_security_page_counts_the_passkeys(client, member):
    make_passkey(member)
    client.force_login(member)
    page = client.get(reverse("security:two-factor")).content.decode()
    assert "Du har 1 lösennyckel." in page


@pytest.mark.parametrize("kind", ["passkey", "none"])
def test_only_devices_that_take_an_answer_here_count_as_local(member, kind):
    if kind == "passkey":
        make_passkey(member)
    assert two_factor.has_local_device(member) is (kind == "passkey")

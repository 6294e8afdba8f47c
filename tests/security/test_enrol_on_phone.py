"""Two-factor enrolment on the one phone a person has: the app opens from a link, the secret can
be copied and read, nothing on the page leads nowhere, backup codes are easy to read and keep."""

import re
from http import HTTPStatus
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.urls import reverse

from demo.seed import DEMO_BACKUP_CODES
from security import two_factor

from .conftest import totp_code

ENROL = reverse("security:two-factor")
VERIFY = reverse("security:two-factor-verify")


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.PITEBRA_REQUIRE_2FA = True


def _otpauth(html):
    return re.search(r'href="(otpauth://[^"]+)"', html).group(1).replace("&amp;", "&")


def test_enrolment_finishes_through_the_otpauth_link_alone(client, password_login, coordinator):
    password_login("koordinator")
    html = client.get(ENROL).content.decode()
    assert "Öppna i autentiseringsappen" in html
    link = urlsplit(_otpauth(html))
    secret = parse_qs(link.query)["secret"][0]
    assert 'data-copy="' in html and "Kopiera hemligheten" in html
    assert "<code" not in html  # the secret in plain readable type, not Bootstrap's magenta
    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response["Location"] == reverse("security:backup-codes")


def test_while_enrolment_is_required_the_page_offers_only_enrolment_and_log_out(
    client, password_login, coordinator
):
    password_login("koordinator")
    html = client.get(ENROL).content.decode()
    assert "Avbryt och logga ut" in html
    # Every link on the page leads somewhere the person may go now.
    links = set(re.findall(r'<a[^>]+href="(/[^"]*)"', html))
    for href in {link for link in links if not link.startswith("/static/")}:
        assert client.get(href).status_code == HTTPStatus.OK, href
    assert "Logga arbete" not in html
    assert reverse("security:working-group") not in html
    response = client.post(reverse("logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_backup_codes_have_no_look_alikes_and_can_be_printed_and_downloaded(
    client, password_login, coordinator
):
    codes = [two_factor.backup_code() for _ in range(500)]
    assert not set("".join(codes)) & set("li1o0")
    password_login("koordinator")
    html = client.get(ENROL).content.decode()
    secret = parse_qs(urlsplit(_otpauth(html)).query)["secret"][0]
    page = client.get(client.post(ENROL, {"code": totp_code(secret)})["Location"])
    html = page.content.decode()
    shown = re.findall(r"<li>([a-z2-9]{8})</li>", html)
    assert len(shown) == 10
    assert "Skriv ut koderna" in html
    download = re.search(
        r'download="pitebra-reservkoder.txt" href="data:text/plain;[^,]*,([^"]+)"', html
    )
    assert all(code in unquote(download.group(1)) for code in shown)


def test_a_spent_backup_code_gets_its_own_message(client, password_login, coordinator):
    password_login("koordinator")
    html = client.get(ENROL).content.decode()
    secret = parse_qs(urlsplit(_otpauth(html)).query)["secret"][0]
    page = client.get(client.post(ENROL, {"code": totp_code(secret)})["Location"])
    code = re.findall(r"<li>([a-z2-9]{8})</li>", page.content.decode())[0]
    client.post(reverse("logout"))
    for attempt in range(2):
        password_login("koordinator")
        response = client.post(VERIFY, {"code": code.upper()})  # typed from paper, in capitals
        if attempt == 0:
            assert response.status_code == HTTPStatus.FOUND
            client.post(reverse("logout"))
    html = response.content.decode()
    assert "Reservkoden gäller inte" in html
    assert "redan ha använts" in html


def test_the_demo_coordinator_has_published_backup_codes(client, demo, password_login):
    assert two_factor.remaining_backup_codes(demo["users"]["samordnare"]) == 10
    assert not set("".join(DEMO_BACKUP_CODES)) & set("li1o0")
    password_login("samordnare", "pitebra-demo")
    assert client.post(VERIFY, {"code": DEMO_BACKUP_CODES[0]}).status_code == HTTPStatus.FOUND

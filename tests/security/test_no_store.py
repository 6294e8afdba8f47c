"""Pages that show a secret, a QR code or codes are never stored by a browser or a proxy."""

from http import HTTPStatus

from django.urls import reverse

from .conftest import secret_on_page, totp_code


def _no_store(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


def test_the_enrolment_page_with_the_secret_and_the_backup_codes_are_not_stored(client_for, member):
    client = client_for(member)
    page = client.get(reverse("security:two-factor"))
    assert page.status_code == HTTPStatus.OK and "<svg" in page.content.decode()
    assert _no_store(page)
    secret = secret_on_page(page.content.decode())
    response = client.post(reverse("security:two-factor"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("security:backup-codes")
    codes = client.get(reverse("security:backup-codes"))
    assert codes.status_code == HTTPStatus.OK and _no_store(codes)
    assert _no_store(client.get(reverse("security:two-factor-verify")))


def test_the_page_with_the_new_calendar_link_is_not_stored(client_for, member):
    client = client_for(member)
    client.post(reverse("calendar-reset"))
    page = client.get(reverse("calendar"))
    assert "/calendar/" in page.content.decode() and ".ics" in page.content.decode()
    assert _no_store(page)

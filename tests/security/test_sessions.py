"""Sessions end after 8 hours and after 60 idle minutes; log out everywhere; password rules."""

import datetime
from http import HTTPStatus

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.middleware import SESSION_SEEN, SESSION_STARTED
from security.models import AuditEvent


def _shift(client, key, **delta):
    session = client.session
    session[key] = (timezone.now() - datetime.timedelta(**delta)).isoformat()
    session.save()


def test_a_session_ends_after_60_idle_minutes(client, password_login, member):
    password_login("medlem")
    _shift(client, SESSION_SEEN, minutes=59)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    _shift(client, SESSION_SEEN, minutes=61)
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_session_ends_8_hours_after_login_however_busy(client, password_login, member):
    password_login("medlem")
    _shift(client, SESSION_STARTED, hours=7, minutes=59)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    _shift(client, SESSION_STARTED, hours=8, minutes=1)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_the_limits_are_settings(client, password_login, member, settings):
    settings.PITEBRA_SESSION_IDLE_MINUTES = 5
    password_login("medlem")
    _shift(client, SESSION_SEEN, minutes=6)
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND


def test_the_session_key_changes_at_login(client, member, password_login):
    client.get(reverse("login"))
    session = client.session
    session["x"] = 1
    session.save()
    before = session.session_key
    password_login("medlem")
    assert client.session.session_key != before


def test_log_out_everywhere_ends_every_session(client, password_login, member):
    other = Client()
    other.post(reverse("login"), {"username": "medlem", "password": "secret-pw-123"})
    assert other.get(reverse("home")).status_code == HTTPStatus.OK
    password_login("medlem")
    response = client.post(reverse("security:logout-everywhere"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND
    assert other.get(reverse("home")).status_code == HTTPStatus.FOUND
    assert AuditEvent.objects.filter(action="logout_everywhere", user=member).count() == 1
    # A new login works.
    password_login("medlem")
    assert client.get(reverse("home")).status_code == HTTPStatus.OK


def test_passwords_need_twelve_characters_and_django_checks(member):
    for weak in ("kort-lösen1", "123456789012345", "password1234"):
        try:
            validate_password(weak, member)
        except ValidationError:
            continue
        raise AssertionError(weak)
    validate_password("ett-långt-lösen-42", member)
    member.email = "ingrid.lundqvist@pitea.se"
    try:
        validate_password("ingridlundqvist", member)
    except ValidationError:
        pass  # too similar to the username
    else:
        raise AssertionError("similar to the username")


def test_the_password_form_says_so_in_swedish(client_for, member):
    response = client_for(member).post(
        reverse("password_change"),
        {"old_password": "secret-pw-123", "new_password1": "kort-pw1", "new_password2": "kort-pw1"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "minst 12 tecken" in response.content.decode()

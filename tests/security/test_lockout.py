"""Lockout after repeated failed logins: per account from any address; an address that sprays
is slowed (one try per username) without locking out the colleagues who share it."""

import datetime
import re
from http import HTTPStatus

from axes.models import AccessAttempt
from django.core import mail
from django.db.models import F
from django.urls import reverse

from pitebra.models import Membership
from security.models import AuditEvent

from ..factories import make_member, make_user

PASSWORD = "secret-pw-123"
LOCKED = "För många misslyckade inloggningar"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _logged_in(client):
    return "_auth_user_id" in client.session


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = _login(client, username, "wrong-password-1", address)
        assert not _logged_in(client)
    return response


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, member):
    response = _fail(client, "medlem", 4)
    assert response.status_code == HTTPStatus.OK  # the fourth: an ordinary wrong password
    assert LOCKED not in response.content.decode()
    _fail(client, "medlem", 1)

    response = _login(client, "medlem", PASSWORD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_the_account_is_locked_from_every_address(client, member):
    for n in range(5):
        _login(client, "medlem", "wrong-password-1", address=f"10.0.1.{n}")
    response = _login(client, "medlem", PASSWORD, address="10.0.2.1")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not _logged_in(client)


def test_after_the_lock_period_the_right_password_logs_in(client, member, settings):
    _fail(client, "medlem", 5)
    assert _login(client, "medlem", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # 15 minutes (the setting) pass: the attempts are now older than the cool-off period.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    response = _login(client, "medlem", PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert _logged_in(client)


def test_an_unknown_account_gets_the_same_message(client, member):
    _fail(client, "medlem", 5)
    known = _login(client, "medlem", PASSWORD)
    _fail(client, "finns-inte", 5, address="10.0.0.2")
    unknown = _login(client, "finns-inte", "whatever-pw-1", address="10.0.0.2")
    assert unknown.status_code == known.status_code == HTTPStatus.TOO_MANY_REQUESTS
    text = lambda r: re.sub(r'value="[^"]*"', "", r.content.decode())  # noqa: E731 (csrf)
    assert text(unknown) == text(known)


def test_twenty_strangers_failures_from_one_address_do_not_stop_a_colleague(
    client, agreement, member
):
    # One office, one NAT address: unknown names, and colleagues' typos on their own accounts.
    for n in range(15):
        _login(client, f"gissning{n}", "wrong-password-1")
    for n in range(5):
        make_member(agreement, username=f"kollega{n}")
        _login(client, f"kollega{n}", "wrong-password-1")
    response = _login(client, "medlem", PASSWORD)  # no failures of its own
    assert response.status_code == HTTPStatus.FOUND
    assert _logged_in(client)


def test_spraying_from_one_address_is_slowed_to_one_guess_per_name(client, agreement, member):
    for n in range(20):
        _login(client, f"gissning{n}", "wrong-password-1")
    # A name tried once more from the spraying address is refused before its password is
    # checked: the right password does not help, for a real account or an unknown name.
    assert (
        _login(client, "gissning3", "wrong-password-1").status_code == HTTPStatus.TOO_MANY_REQUESTS
    )
    _login(client, "medlem", "Sommar2026!")  # the spray's guess for a real account
    response = _login(client, "medlem", PASSWORD)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert LOCKED in response.content.decode() and not _logged_in(client)
    # Refused attempts add no failure: from elsewhere the account has one failure, not locked.
    assert _login(client, "medlem", PASSWORD, address="10.9.9.9").status_code == HTTPStatus.FOUND


def test_below_twenty_failures_a_colleague_with_a_typo_tries_again(client, member):
    for n in range(18):
        _login(client, f"gissning{n}", "wrong-password-1")
    _login(client, "medlem", "typo-password-1")
    assert _login(client, "medlem", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_coordinator_sees_and_lifts_a_lockout_of_their_group(
    client, client_for, coordinator, member
):
    _fail(client, "medlem", 5)
    page = client_for(coordinator).get(reverse("security:working-group"))
    assert page.status_code == HTTPStatus.OK
    assert "Spärrad" in page.content.decode()
    response = client.post(reverse("security:lift-lockout"), {"username": "medlem"})
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOCKOUT_LIFTED)
    assert event.user == coordinator and event.agreement_id == member.memberships.get().agreement_id
    client.logout()
    assert _login(client, "medlem", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_coordinator_of_another_agreement_cannot_lift_it(client, client_for, outsider, member):
    _fail(client, "medlem", 5)
    page = client_for(outsider).get(reverse("security:working-group")).content.decode()
    assert ">medlem<" not in page and "Spärrad" not in page
    response = client.post(reverse("security:lift-lockout"), {"username": "medlem"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert AccessAttempt.objects.filter(username="medlem").exists()


def test_members_cannot_lift_lockouts(client, client_for, member, agreement):
    make_member(agreement, Membership.Role.MEMBER, username="kollega")
    _fail(client, "kollega", 5)
    response = client_for(member).post(reverse("security:lift-lockout"), {"username": "kollega"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_the_operator_lifts_an_address_lockout(client, client_for, member):
    for n in range(20):
        _login(client, f"gissning{n}", "wrong-password-1")
    _login(client, "medlem", "typo-password-1")
    assert _login(client, "medlem", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    operator = make_user(username="operator", is_superuser=True)
    page = client_for(operator).get(reverse("security:working-group")).content.decode()
    assert "10.0.0.1" in page and "gissning3" not in page  # each name has one failure only
    client.post(reverse("security:lift-lockout"), {"ip_address": "10.0.0.1"})
    client.logout()
    assert _login(client, "medlem", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_password_reset_does_not_lift_the_lockout(client, member):
    member.email = "medlem@example.se"
    member.save()
    _fail(client, "medlem", 5)
    client.post(reverse("password_reset"), {"email": "medlem@example.se"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new_password = "ett-helt-nytt-losen-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == HTTPStatus.FOUND
    assert not _logged_in(client)
    member.refresh_from_db()
    assert member.check_password(new_password)

    response = _login(client, "medlem", new_password)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not _logged_in(client)


def test_failures_and_the_lockout_are_audited(client, member):
    _fail(client, "medlem", 5)
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.count() == 5 and {e.username for e in failed} == {"medlem"}
    assert {e.ip_address for e in failed} == {"10.0.0.1"}
    lockout = AuditEvent.objects.get(action=AuditEvent.Action.LOCKOUT)
    assert lockout.summary.startswith("5 failed logins")


def test_refused_requests_during_a_lockout_write_no_events(client, member):
    _fail(client, "medlem", 5)
    before = AuditEvent.objects.count()
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        for _ in range(10):
            assert (
                _login(client, "medlem", PASSWORD, address).status_code
                == HTTPStatus.TOO_MANY_REQUESTS
            )
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT).count() == 1


def test_behind_a_proxy_the_clients_address_is_counted(client, member, settings):
    settings.PITEBRA_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for n in range(20):
        client.post(
            reverse("login"),
            {"username": f"gissning{n}", "password": "wrong-password-1"},
            REMOTE_ADDR=proxy,
            # A client may send its own X-Forwarded-For; only the proxy's last entry counts.
            HTTP_X_FORWARDED_FOR=f"10.1.1.{n % 3}, 203.0.113.7",
        )
    # Another client behind the same proxy logs in: only 203.0.113.7 is slowed.
    response = client.post(
        reverse("login"),
        {"username": "medlem", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == HTTPStatus.FOUND
    client.logout()
    for password in ("wrong-password-1", PASSWORD):  # a second try from the spraying client
        response = client.post(
            reverse("login"),
            {"username": "medlem", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    failed = AuditEvent.objects.filter(ip_address="203.0.113.7", action="login_failed")
    assert failed.filter(username__startswith="gissning").count() == 20


def test_the_working_group_page_is_bounded_in_queries(
    client_for, agreement, coordinator, django_assert_max_num_queries
):
    for n in range(15):
        make_member(agreement, Membership.Role.MEMBER, username=f"person{n}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("security:working-group"))
    assert response.content.decode().count("person") >= 15


def test_a_username_longer_than_any_account_is_a_refused_login_not_an_error(client, db):
    """The lockout's table holds 255 characters (PostgreSQL refuses more): a 256-character name
    is counted under what an account's username can hold, and the page answers as for any
    wrong login."""
    response = _login(client, "x" * 256, "fel")
    assert response.status_code == HTTPStatus.OK
    assert AccessAttempt.objects.get().username == "x" * 150

"""Two-factor login: enrolment with a QR code and the secret, codes at login, backup codes."""

import re
from http import HTTPStatus

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.models import Membership
from security.middleware import OPEN_URL_NAMES
from security.models import AuditEvent

from ..factories import make_member, make_plan_tree, make_user
from .conftest import secret_on_page, totp_code


@pytest.fixture(autouse=True)
def require_two_factor(settings):
    settings.PITEBRA_REQUIRE_2FA = True


ENROL = reverse("security:two-factor")
VERIFY = reverse("security:two-factor-verify")


def _app_and_admin_urls(agreement):
    plan, _ = make_plan_tree(agreement, year=2024, activities=1)
    return [
        reverse("home"),
        reverse("agreement-detail", args=[agreement.pk]),
        reverse("plans:plan-detail", args=[agreement.pk, 2024]),
        reverse("calendar"),
        reverse("reminder-settings"),
        reverse("password_change"),
        reverse("security:working-group"),
        reverse("security:audit"),
        reverse("security:backup-codes"),
        reverse("admin:index"),
        reverse("admin:pitebra_agreement_changelist"),
        reverse("admin:pitebra_agreement_change", args=[agreement.pk]),
        reverse("admin:pitebra_user_changelist"),
        reverse("admin:security_auditevent_changelist"),
    ]


def _sample_route(pattern, pk):
    """A concrete path for one piece of a URL pattern: every <converter:name> filled in."""
    if isinstance(pattern, RoutePattern):
        route = str(pattern)

        def sample(match):
            converter = pattern.converters.get(match.group(1))
            if isinstance(converter, IntConverter):
                return str(pk)
            # A converter of named alternatives (the plan's item kinds) takes the first.
            regex = getattr(converter, "regex", "")
            return regex.split("|")[0] if re.fullmatch(r"[\w|]+", regex) else "x1"

        return re.sub(r"<(?:\w+:)?(\w+)>", sample, route)
    assert isinstance(pattern, RegexPattern), pattern
    regex = pattern._regex.lstrip("^").rstrip("$").removesuffix("\\Z")
    # A named group of alternatives (the admin's app labels) takes the first; others "1".
    regex = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], regex)
    regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
    return regex.replace("\\", "")


def _every_url(pk, resolver=None, prefix=""):
    """A path for every pattern the root URLconf holds, those of included URLconfs too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        path = prefix + _sample_route(entry.pattern, pk)
        if isinstance(entry, URLResolver):
            yield from _every_url(pk, entry, path)
        else:
            assert isinstance(entry, URLPattern)
            yield "/" + path


def test_the_gate_holds_every_url_but_the_named_open_ones(
    client, password_login, agreement, coordinator
):
    """No page of any app, the admin's included, is reached before enrolment."""
    password_login("koordinator")
    urls = list(_every_url(agreement.pk))
    assert len(urls) > 100  # the walk reaches the included URLconfs, the admin's too
    open_names = {"security:two-factor", *OPEN_URL_NAMES}
    walked = set()
    for url in urls:
        match = resolve(url)  # every sample path is a real address (a 404 would fail here)
        walked.add(match.view_name)
        if match.view_name in open_names or match.url_name in open_names:
            continue
        for response in (client.get(url), client.post(url)):
            assert response.status_code == HTTPStatus.FOUND, url
            assert response["Location"].startswith(ENROL), url
    assert "followup:activity-status" in walked and "plans:plan-detail" in walked


def _enrol(client):
    page = client.get(ENROL).content.decode()
    secret = secret_on_page(page)
    response = client.post(ENROL, {"code": totp_code(secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("security:backup-codes")
    codes_page = client.get(response["Location"]).content.decode()
    return secret, codes_page


def test_a_coordinator_without_a_factor_reaches_only_enrolment(
    client, password_login, agreement, coordinator
):
    assert password_login("koordinator").status_code == HTTPStatus.FOUND
    for url in _app_and_admin_urls(agreement):
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(ENROL), url
    # POSTs too: nothing is changed before enrolment.
    response = client.post(reverse("calendar-reset"))
    assert response["Location"].startswith(ENROL)
    assert not coordinator.__class__.objects.get(pk=coordinator.pk).calendar_token_hash
    page = client.get(ENROL)
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "<svg" in text and "QR" in text  # the QR code, made on the server
    assert len(secret_on_page(text).replace(" ", "")) == 32  # and the secret as text


def test_after_enrolment_a_login_needs_the_code(client, password_login, agreement, coordinator):
    password_login("koordinator")
    secret, codes_page = _enrol(client)
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    assert AuditEvent.objects.filter(action="2fa_enrolled", user=coordinator).count() == 1
    client.post(reverse("logout"))

    password_login("koordinator")
    for url in _app_and_admin_urls(agreement):
        assert client.get(url)["Location"].startswith(VERIFY), url
    response = client.post(VERIFY, {"code": totp_code(secret, offset=1), "next": "/"})
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/"
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_wrong_code_is_refused_and_audited(client, password_login, coordinator):
    password_login("koordinator")
    _enrol(client)
    client.post(reverse("logout"))
    password_login("koordinator")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == HTTPStatus.OK
    assert "Koden är inte giltig" in response.content.decode()
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    assert AuditEvent.objects.filter(action="2fa_failed", user=coordinator).count() == 1


def test_a_backup_code_works_once(client, password_login, coordinator, settings):
    password_login("koordinator")
    _, codes_page = _enrol(client)
    import re

    codes = re.findall(r"<li>([a-z2-9]{8})</li>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post(reverse("logout"))

    password_login("koordinator")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).status_code == HTTPStatus.OK
    client.post(reverse("logout"))

    password_login("koordinator")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == HTTPStatus.OK  # refused: used already
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_the_session_key_changes_at_verification(client, password_login, coordinator):
    password_login("koordinator")
    secret, _ = _enrol(client)
    client.post(reverse("logout"))
    password_login("koordinator")
    before = client.session.session_key
    client.post(VERIFY, {"code": totp_code(secret, offset=1)})
    assert client.session.session_key != before
    assert "_auth_user_id" in client.session


def test_members_are_asked_but_not_forced(client, password_login, member):
    response = password_login("medlem")
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert "Skydda ditt konto med tvåstegsinloggning" in page.content.decode()


def test_a_working_group_can_require_it_of_everyone(
    client, client_for, password_login, agreement, coordinator, member
):
    coordinator_client = client_for(coordinator)
    # force_login is not a verified login: with the requirement on, verify first.
    assert coordinator_client.post(
        reverse("security:require-two-factor", args=[agreement.pk]), {"require": "1"}
    )["Location"].startswith(ENROL)
    coordinator_client.logout()
    agreement.require_two_factor = True
    agreement.save()
    password_login("medlem")
    assert client.get(reverse("home"))["Location"].startswith(ENROL)


def test_a_coordinator_sets_the_requirement(client, password_login, agreement, coordinator):
    password_login("koordinator")
    _enrol(client)
    url = reverse("security:require-two-factor", args=[agreement.pk])
    client.post(url, {"require": "1"})
    agreement.refresh_from_db()
    assert agreement.require_two_factor
    event = AuditEvent.objects.get(action="2fa_required")
    assert event.user == coordinator and event.agreement_id == agreement.pk


@pytest.fixture
def enrolled_member(agreement):
    user = make_member(agreement, Membership.Role.MEMBER, username="telefonlos")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def test_a_coordinator_resets_a_members_factor(
    client, password_login, agreement, coordinator, enrolled_member
):
    password_login("koordinator")
    _enrol(client)
    url = reverse("security:reset-two-factor", args=[enrolled_member.pk])
    assert client.post(url).status_code == HTTPStatus.FOUND
    assert not TOTPDevice.objects.filter(user=enrolled_member).exists()
    event = AuditEvent.objects.get(action="2fa_reset")
    assert (event.user, event.agreement_id, event.object_id) == (
        coordinator,
        agreement.pk,
        str(enrolled_member.pk),
    )


def test_a_coordinator_of_another_agreement_cannot_reset_it(
    client, password_login, outsider, enrolled_member
):
    password_login("utomstaende")
    _enrol(client)
    url = reverse("security:reset-two-factor", args=[enrolled_member.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert TOTPDevice.objects.filter(user=enrolled_member).exists()
    assert not AuditEvent.objects.filter(action="2fa_reset").exists()


def test_a_member_cannot_reset_anyones_factor(
    client, client_for, member, enrolled_member, settings
):
    settings.PITEBRA_REQUIRE_2FA = False
    url = reverse("security:reset-two-factor", args=[enrolled_member.pk])
    assert client_for(member).post(url).status_code == HTTPStatus.FORBIDDEN
    assert TOTPDevice.objects.filter(user=enrolled_member).exists()


def test_nobody_resets_the_operators_factor(client, password_login, coordinator):
    operator = make_user(username="driftansvarig", is_superuser=True)
    TOTPDevice.objects.create(user=operator, name="app", confirmed=True)
    password_login("koordinator")
    _enrol(client)
    url = reverse("security:reset-two-factor", args=[operator.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND


def test_the_demo_coordinator_logs_in_with_the_published_secret(client, demo, password_login):
    from demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET

    password_login("samordnare", DEMO_PASSWORD)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get(reverse("home")).status_code == HTTPStatus.OK


def test_the_operator_resets_a_factor_on_the_command_line(enrolled_member):
    from django.core.management import call_command

    call_command("reset_two_factor", "telefonlos", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not TOTPDevice.objects.filter(user=enrolled_member).exists()
    assert (
        AuditEvent.objects.filter(action="2fa_reset", object_id=str(enrolled_member.pk)).count()
        == 1
    )


def test_a_member_of_two_groups_is_reset_only_by_who_coordinates_both(
    client, password_login, agreement, other_agreement, coordinator, enrolled_member
):
    Membership.objects.create(agreement=other_agreement, user=enrolled_member)
    password_login("koordinator")
    _enrol(client)
    page = client.get(reverse("security:working-group")).content.decode()
    assert f"/users/{enrolled_member.pk}/reset-two-factor/" not in page
    url = reverse("security:reset-two-factor", args=[enrolled_member.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND
    assert TOTPDevice.objects.filter(user=enrolled_member).exists()

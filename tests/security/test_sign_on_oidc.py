"""Sign-in through an organisation's OpenID Connect provider, end to end against a real one
(django-oauth-toolkit in its own process): who gets in, and every forged or replayed answer
refused with nothing created and an audit event."""

import time
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from pitebra.models import Membership, Organisation, User
from security.models import AuditEvent, ExternalAccount, IdentityProvider, IdentityProviderDevice
from security.oidc import ProviderBackend
from security.sign_on import invite
from tests.factories import make_agreement, make_member, make_user
from tests.oidc_provider.fixtures import new_rsa_key

CALLBACK = "http://testserver/security/sign-on/oidc/callback/"
LOGIN = "http://testserver/accounts/login/"


@pytest.fixture
def municipality_setup(db, oidc_provider):
    """Piteå kommun's provider registered by the operator's command, and an invited person."""
    oidc_provider.setup(redirect_uris=[CALLBACK], post_logout_redirect_uris=[LOGIN])
    agreement = make_agreement()
    municipality = agreement.municipality
    call_command(
        "add_identity_provider",
        organisation=municipality.pk,
        name="Piteå kommun",
        oidc_discovery=oidc_provider.discovery_url,
        client_id="pitebra-test",
        client_secret="provider-client-secret-" + "s" * 20,
        email_domains="pitea.se",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    provider = IdentityProvider.objects.get(name="Piteå kommun")
    coordinator = make_member(agreement, role=Membership.Role.COORDINATOR)
    anna = invite(
        by=coordinator,
        agreement=agreement,
        email="anna.berg@pitea.se",
        role=Membership.Role.MEMBER,
        organisation=municipality,
    )
    return agreement, provider, anna


def start(client, provider):
    response = client.get(reverse("security:sign-on-start", args=[provider.pk]))
    assert response.status_code == HTTPStatus.FOUND
    return response["Location"]


def sign_in(client, oidc_provider, provider, username, **person):
    """The whole round: our redirect, the provider's login, back to our callback."""
    oidc_provider.setup(users=[{"username": username, **person}])
    callback = oidc_provider.authorize(start(client, provider), username)
    assert callback is not None and callback.startswith(CALLBACK)
    return client.get(callback.removeprefix("http://testserver"))


def refused_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_ON_REFUSED)


def test_the_authorisation_request_uses_state_nonce_and_pkce(client, municipality_setup):
    _agreement, provider, _anna = municipality_setup
    query = parse_qs(urlsplit(start(client, provider)).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert "client_secret" not in str(query)


def test_an_invited_person_signs_in_and_a_changed_email_changes_nothing(
    client, oidc_provider, municipality_setup
):
    _agreement, provider, anna = municipality_setup
    response = sign_in(client, oidc_provider, provider, "anna", email="anna.berg@pitea.se")
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).wsgi_request.user == anna
    link = ExternalAccount.objects.get(user=anna)
    assert link.provider == provider and link.subject
    login = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, user=anna).get()
    assert login.summary.startswith("oidc:Piteå kommun sub=")

    client.post(reverse("logout"))
    users = User.objects.count()
    # Anna marries; her municipal account's address changes. The subject is what counts.
    response = sign_in(client, oidc_provider, provider, "anna", email="anna.lind@pitea.se")
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).wsgi_request.user == anna
    assert User.objects.count() == users
    assert ExternalAccount.objects.filter(user=anna).count() == 1


@pytest.mark.parametrize(
    "case",
    ["uninvited", "other_organisation", "operator", "staff"],
)
def test_people_nobody_invited_here_are_refused(client, oidc_provider, municipality_setup, case):
    agreement, provider, _anna = municipality_setup
    email = f"{case}@pitea.se"
    if case == "other_organisation":
        police = Organisation.objects.get(pk=agreement.police_area_id)
        make_member(agreement, username="polis", email=email, organisation=police)
    elif case in ("operator", "staff"):
        make_user(
            username=case,
            email=email,
            organisation=agreement.municipality,
            is_superuser=case == "operator",
            is_staff=True,
        )
    users, links = User.objects.count(), ExternalAccount.objects.count()
    response = sign_in(client, oidc_provider, provider, f"p-{case}", email=email)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Du loggades inte in" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert (User.objects.count(), ExternalAccount.objects.count()) == (users, links)
    reason = "uninvited" if case == "uninvited" else case
    reason = "staff" if case == "operator" else reason
    assert refused_events().get().summary.startswith(f"Piteå kommun: {reason}")


def test_a_person_closed_at_the_provider_can_no_longer_sign_in(
    client, oidc_provider, municipality_setup
):
    _agreement, provider, _anna = municipality_setup
    oidc_provider.setup(users=[{"username": "anna", "email": "anna.berg@pitea.se"}])
    oidc_provider.setup(users=[{"username": "anna", "is_active": False}])
    assert oidc_provider.authorize(start(client, provider), "anna") is None


def _forge(monkeypatch, oidc_provider, change):
    """The provider's real token response, with its ID token altered in transit."""
    original = ProviderBackend.get_token

    def get_token(self, payload):
        info = original(self, payload)
        claims = jwt.decode(info["id_token"], options={"verify_signature": False})
        header = jwt.get_unverified_header(info["id_token"])
        info["id_token"] = change(claims, header, oidc_provider.key)
        return info

    monkeypatch.setattr(ProviderBackend, "get_token", get_token)


def _signed(claims, header, key, **changes):
    return jwt.encode({**claims, **changes}, key, algorithm="RS256", headers={"kid": header["kid"]})


FORGERIES = {
    "wrong_signature": lambda c, h, k: _signed(c, h, new_rsa_key()),
    "wrong_audience": lambda c, h, k: _signed(c, h, k, aud="another-application"),
    "expired": lambda c, h, k: _signed(c, h, k, exp=int(time.time()) - 3600),
    "wrong_nonce": lambda c, h, k: _signed(c, h, k, nonce="not-the-one-we-sent"),
    "wrong_issuer": lambda c, h, k: _signed(c, h, k, iss="https://evil.example"),
    "alg_none": lambda c, h, k: jwt.encode(c, None, algorithm="none", headers={"kid": h["kid"]}),
    "alg_hs256_with_public_key": lambda c, h, k: jwt.encode(
        c, "provider-client-secret-" + "s" * 20, algorithm="HS256", headers={"kid": h["kid"]}
    ),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forged_id_tokens_are_refused(
    client, oidc_provider, municipality_setup, monkeypatch, forgery
):
    _agreement, provider, anna = municipality_setup
    _forge(monkeypatch, oidc_provider, FORGERIES[forgery])
    response = sign_in(client, oidc_provider, provider, "anna", email="anna.berg@pitea.se")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not response.wsgi_request.user.is_authenticated
    assert not ExternalAccount.objects.filter(user=anna).exists()
    assert refused_events().get().summary.startswith("Piteå kommun: provider")


def test_a_wrong_or_replayed_state_is_refused(client, oidc_provider, municipality_setup):
    _agreement, provider, anna = municipality_setup
    oidc_provider.setup(users=[{"username": "anna", "email": "anna.berg@pitea.se"}])
    callback = oidc_provider.authorize(start(client, provider), "anna")
    path = callback.removeprefix("http://testserver")
    wrong = path.replace("state=", "state=x")
    assert client.get(wrong).status_code == HTTPStatus.FORBIDDEN
    assert client.get(path).status_code == HTTPStatus.FOUND  # the real one, once
    client.post(reverse("logout"))
    replayed = client.get(path)
    assert replayed.status_code == HTTPStatus.FORBIDDEN
    assert not replayed.wsgi_request.user.is_authenticated
    assert refused_events().count() == 2
    assert ExternalAccount.objects.filter(user=anna).count() == 1


def test_a_callback_started_in_another_browser_is_refused(
    client, oidc_provider, municipality_setup, django_user_model
):
    """Login CSRF: an attacker's code and state, pasted into the victim's browser."""
    from django.test import Client

    _agreement, provider, _anna = municipality_setup
    attacker = Client()
    oidc_provider.setup(users=[{"username": "anna", "email": "anna.berg@pitea.se"}])
    callback = oidc_provider.authorize(start(attacker, provider), "anna")
    response = client.get(callback.removeprefix("http://testserver"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ExternalAccount.objects.exists()


@override_settings(PITEBRA_REQUIRE_2FA=True)
@pytest.mark.parametrize("mfa_by_idp", [True, False])
def test_a_coordinator_through_an_mfa_provider_needs_no_code(
    client, oidc_provider, municipality_setup, mfa_by_idp
):
    agreement, provider, anna = municipality_setup
    Membership.objects.filter(user=anna).update(role=Membership.Role.COORDINATOR)
    provider.mfa_by_idp = mfa_by_idp
    provider.save()
    sign_in(client, oidc_provider, provider, "anna", email="anna.berg@pitea.se")
    response = client.get(reverse("home"))
    if mfa_by_idp:
        assert response.status_code == HTTPStatus.OK
        assert response.wsgi_request.user.is_verified()
        assert IdentityProviderDevice.objects.filter(user=anna).exists()
    else:
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("security:two-factor"))


def test_the_provider_device_takes_no_typed_code(municipality_setup):
    _agreement, provider, anna = municipality_setup
    device = IdentityProviderDevice.objects.create(user=anna, provider=provider, name="x")
    assert device.verify_token("123456") is False


def test_the_login_page_offers_each_provider_and_routes_by_domain(client, municipality_setup):
    _agreement, provider, _anna = municipality_setup
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med Piteå kommun" in page
    assert 'name="username"' in page  # local login stays
    response = client.post(reverse("security:sign-on-email"), {"email": "Anna@Pitea.se"})
    assert response["Location"] == reverse("security:sign-on-start", args=[provider.pk])
    response = client.post(reverse("security:sign-on-email"), {"email": "x@elsewhere.se"})
    assert response["Location"].startswith(reverse("login"))


def test_the_secret_is_in_no_page_and_no_log(admin_client, client, municipality_setup):
    _agreement, provider, _anna = municipality_setup
    secret = "provider-client-secret-" + "s" * 20
    assert provider.client_secret == secret
    for url in (
        reverse("login"),
        reverse("admin:security_identityprovider_change", args=[provider.pk]),
        reverse("admin:security_identityprovider_changelist"),
    ):
        assert secret not in admin_client.get(url).content.decode()
    assert secret not in repr(provider)
    assert not AuditEvent.objects.filter(summary__contains=secret).exists()


def test_only_the_operator_manages_providers_in_the_admin(client, municipality_setup):
    agreement, provider, _anna = municipality_setup
    coordinator = Membership.objects.get(agreement=agreement, role="coordinator").user
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    url = reverse("admin:security_identityprovider_change", args=[provider.pk])
    assert client.get(url).status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)


def test_logging_out_also_logs_out_at_the_provider(client, oidc_provider, municipality_setup):
    import requests

    _agreement, provider, _anna = municipality_setup
    assert provider.end_session_endpoint  # read from the discovery document
    sign_in(client, oidc_provider, provider, "anna", email="anna.berg@pitea.se")
    response = client.post(reverse("logout"))
    location = response["Location"]
    assert location.startswith(provider.end_session_endpoint)
    assert "id_token_hint=" in location
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated
    # The provider accepts our hint and sends the person back to our login page.
    back = requests.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == HTTPStatus.FOUND
    assert back.headers["Location"] == LOGIN


def test_a_coordinator_invites_a_person_and_sees_their_last_login(
    client, oidc_provider, municipality_setup
):
    agreement, provider, anna = municipality_setup
    coordinator = Membership.objects.get(agreement=agreement, role="coordinator").user
    client.force_login(coordinator)
    url = reverse("security:invite", args=[agreement.pk])
    response = client.post(
        url,
        {
            "email": "anna.berg@pitea.se",
            "organisation": agreement.municipality_id,
            "role": "member",
        },
    )
    assert "finns redan ett konto" in response.content.decode()
    response = client.post(
        url,
        {"email": "Per.Ek@pitea.se", "organisation": agreement.municipality_id, "role": "member"},
    )
    assert response.status_code == HTTPStatus.FOUND
    per = User.objects.get(email="per.ek@pitea.se")
    assert not per.has_usable_password()
    assert per.organisation == agreement.municipality
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION, object_id=str(per.pk))

    other = Client()
    sign_in(other, oidc_provider, provider, "per", email="per.ek@pitea.se")
    page = client.get(reverse("security:working-group")).content.decode()
    assert (
        "Piteå kommun" in page.split('<th scope="row">per.ek@pitea.se', 1)[1].split("</tr>", 1)[0]
    )


def test_the_operator_tests_a_provider_without_logging_anyone_in(
    admin_client, admin_user, oidc_provider, municipality_setup
):
    _agreement, provider, anna = municipality_setup
    assert (
        "Testa Piteå kommun" in admin_client.get(reverse("security:sign-on-test")).content.decode()
    )
    for person, expected in (
        (
            {"username": "anna", "email": "anna.berg@pitea.se"},
            "skulle loggas in som anna.berg@pitea.se",
        ),
        ({"username": "okand", "email": "okand@pitea.se"}, "Inget konto i PiteBra väntar på dig"),
    ):
        oidc_provider.setup(users=[person])
        start_url = admin_client.post(reverse("security:sign-on-test-start", args=[provider.pk]))
        callback = oidc_provider.authorize(start_url["Location"], person["username"])
        response = admin_client.get(callback.removeprefix("http://testserver"))
        page = response.content.decode()
        assert response.status_code == HTTPStatus.OK
        assert expected in page
        assert "<code>sub</code>" in page
        assert response.wsgi_request.user == admin_user
    assert not ExternalAccount.objects.exists()


def test_only_the_operator_may_test_a_provider(client, municipality_setup):
    agreement, provider, _anna = municipality_setup
    coordinator = Membership.objects.get(agreement=agreement, role="coordinator").user
    client.force_login(coordinator)
    assert client.get(reverse("security:sign-on-test")).status_code == HTTPStatus.NOT_FOUND
    url = reverse("security:sign-on-test-start", args=[provider.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND

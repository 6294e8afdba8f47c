"""Sign-in and single logout through an organisation's SAML provider (Sweden Connect, ADFS),
end to end over HTTP against pysaml2's own IdP running as a server (tests/saml_idp/): our real
AuthnRequest (signed with our key) to its single sign-on page, the person's login there, its
signed assertion posted back to us and checked with xmlsec1; LogoutRequests both ways."""

from http import HTTPStatus
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from pitebra.models import Membership, Organisation, User
from security import saml
from security.models import AuditEvent, ExternalAccount, IdentityProvider
from security.sign_on import invite
from tests.factories import make_agreement, make_member
from tests.saml_idp.fixtures import key_and_cert

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
OTHER_SP = "https://another-service.example/sp"
SP = "http://testserver" + "/security/sign-on/saml/metadata/"
ANNA = {"username": "anna", "subject": "pitea-7f3a", "mail": "anna.berg@pitea.se"}


@pytest.fixture(scope="module")
def sp_keys(tmp_path_factory):
    return key_and_cert(tmp_path_factory.mktemp("sp"), "pitebra")


@pytest.fixture(autouse=True)
def signing_sp(settings, sp_keys):
    """PiteBra signs its requests, as Sweden Connect requires."""
    settings.PITEBRA_SAML_KEY_FILE, settings.PITEBRA_SAML_CERT_FILE = sp_keys


@pytest.fixture(scope="module")
def idp(saml_idp, sp_keys):
    """The IdP knows PiteBra (and another service) from their metadata, as after
    registration, and wants every request signed."""
    key_file, cert_file = sp_keys
    with override_settings(PITEBRA_SAML_KEY_FILE=key_file, PITEBRA_SAML_CERT_FILE=cert_file):
        ours = saml.metadata(RequestFactory().get("/"))
    other = ours.replace(SP, OTHER_SP)
    saml_idp.setup(sp_metadata=[ours, other], want_requests_signed=True)
    return saml_idp


@pytest.fixture
def saml_setup(db, idp):
    from django.core.management import call_command

    agreement = make_agreement()
    # Registered as the operator does, from the IdP's metadata URL (fetched over HTTP).
    call_command(
        "add_identity_provider",
        organisation=agreement.municipality_id,
        name="Sweden Connect (Piteå)",
        saml_metadata=idp.metadata_url,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    provider = IdentityProvider.objects.get(name="Sweden Connect (Piteå)")
    coordinator = make_member(agreement, role=Membership.Role.COORDINATOR)
    anna = invite(
        by=coordinator,
        agreement=agreement,
        email="anna.berg@pitea.se",
        role=Membership.Role.MEMBER,
        organisation=agreement.municipality,
    )
    idp.setup(people=[{**ANNA, "forge": "", "audience": ""}])
    return provider, anna


def at_idp(client, provider, idp, username="anna"):
    """Start at PiteBra, sign in at the IdP; the form its page posts back to us."""
    response = client.get(reverse("security:sign-on-start", args=[provider.pk]))
    assert response.status_code == HTTPStatus.FOUND
    location = response["Location"]
    assert location.startswith(idp.base + "/sso?") and "Signature=" in location
    assert parse_qs(urlsplit(location).query)["SigAlg"] == [SHA256]
    action, fields = idp.sign_in(location, username)
    assert action == "http://testserver" + reverse("security:saml-acs")
    return fields


def post(client, fields):
    return client.post(reverse("security:saml-acs"), fields)


def refused_with_nothing_created(response, reason_text=""):
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not response.wsgi_request.user.is_authenticated
    assert not ExternalAccount.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_ON_REFUSED).exists()
    assert reason_text in response.content.decode()


def test_an_invited_person_signs_in_and_a_changed_email_changes_nothing(client, idp, saml_setup):
    provider, anna = saml_setup
    response = post(client, at_idp(client, provider, idp))
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert client.get(reverse("home")).wsgi_request.user == anna
    assert ExternalAccount.objects.get(user=anna).subject == "pitea-7f3a"
    login = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, user=anna).get()
    assert "sub=pitea-7f3a" in login.summary and LOA3 in login.summary

    client.post(reverse("logout"))
    # Anna marries: the IdP now sends another address under the same persistent NameID.
    idp.setup(people=[{**ANNA, "mail": "anna.lind@pitea.se"}])
    users = User.objects.count()
    response = post(client, at_idp(client, provider, idp))
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).wsgi_request.user == anna
    assert User.objects.count() == users
    assert ExternalAccount.objects.count() == 1


def test_a_replayed_assertion_is_refused(client, idp, saml_setup):
    provider, anna = saml_setup
    fields = at_idp(client, provider, idp)
    assert post(client, fields).status_code == HTTPStatus.FOUND
    client.post(reverse("logout"))
    ExternalAccount.objects.all().delete()  # as if the first sign-in had not linked anything
    response = post(client, fields)
    refused_with_nothing_created(response, "eller har redan använts")


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ({"forge": "wrong_signature"}, "provider SignatureError"),
        ({"audience": OTHER_SP}, "provider"),
        ({"forge": "expired"}, "provider"),
    ],
    ids=["wrong-signature", "wrong-audience", "expired"],
)
def test_forged_assertions_are_refused(client, idp, saml_setup, person, reason):
    provider, anna = saml_setup
    idp.setup(people=[{**ANNA, **person}])
    users = User.objects.count()
    response = post(client, at_idp(client, provider, idp))
    refused_with_nothing_created(response, "gick inte att lita på")
    assert User.objects.count() == users
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_ON_REFUSED)
    assert event.summary.startswith(f"Sweden Connect (Piteå): {reason}")


def continue_page(response):
    """The form of our page that posts the IdP's answer again, from our own site."""
    from tests.saml_idp.fixtures import _Form

    assert response.status_code == HTTPStatus.OK
    form = _Form()
    form.feed(response.content.decode())
    assert form.action == reverse("security:saml-acs")
    return form.fields


def test_the_answer_arrives_without_the_session_cookie_and_is_posted_again(client, idp, saml_setup):
    provider, anna = saml_setup
    fields = at_idp(client, provider, idp)
    # The IdP's page posts from another site: the browser leaves out our SameSite=Lax cookie.
    cookies, client.cookies = client.cookies, SimpleCookie()
    page = post(client, fields)
    assert "no-store" in page["Cache-Control"]  # it holds the assertion
    again = continue_page(page)
    assert again["SAMLResponse"] == fields["SAMLResponse"]
    client.cookies = cookies
    response = post(client, again)
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("home")).wsgi_request.user == anna


def test_an_assertion_this_browser_did_not_ask_for_is_refused(client, idp, saml_setup):
    provider, _anna = saml_setup
    fields = at_idp(client, provider, idp)
    # Posted into another person's browser (login CSRF): that session asked for nothing.
    other = Client()
    session = other.session  # the other person's own session, which asked for nothing
    session["seen"] = True
    session.save()
    other.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    refused_with_nothing_created(post(other, fields), "startades inte här")
    # Nor does a browser without any session get in, after our page posts it again.
    refused_with_nothing_created(post(Client(), continue_page(post(Client(), fields))))


def test_the_email_of_another_organisations_user_is_refused(client, idp, saml_setup):
    provider, _anna = saml_setup
    police = Organisation.objects.create(name="Polisregion Nord")
    other = make_agreement()
    invite(
        by=make_member(other, role=Membership.Role.COORDINATOR),
        agreement=other,
        email="per.ek@polisen.se",
        role=Membership.Role.MEMBER,
        organisation=police,
    )
    idp.setup(people=[{"username": "per", "subject": "x-per", "mail": "per.ek@polisen.se"}])
    users = User.objects.count()
    response = post(client, at_idp(client, provider, idp, "per"))
    refused_with_nothing_created(response, "hör till en annan organisation")
    assert User.objects.count() == users


def test_an_uninvited_person_is_refused(client, idp, saml_setup):
    provider, _anna = saml_setup
    idp.setup(people=[{"username": "okand", "subject": "x-9", "mail": "okand@pitea.se"}])
    users = User.objects.count()
    response = post(client, at_idp(client, provider, idp, "okand"))
    refused_with_nothing_created(response, "Inget konto i PiteBra väntar på dig")
    assert User.objects.count() == users


def test_our_metadata_names_the_urls_the_idp_registers(client, db, sp_keys):
    xml = client.get(reverse("security:saml-metadata")).content.decode()
    assert f'entityID="{SP}"' in xml
    assert 'Location="http://testserver/security/sign-on/saml/acs/"' in xml
    assert 'Location="http://testserver/security/sign-on/saml/logout/"' in xml
    certificate = open(sp_keys[1]).read().split("-----")[2].replace("\n", "")  # noqa: SIM115
    assert certificate[:60] in xml.replace("\n", "")
    assert "PRIVATE KEY" not in xml


def test_the_operator_registers_a_saml_provider_from_its_metadata(saml_setup, client, idp):
    from security.sign_on import provider_origins

    provider, _anna = saml_setup
    assert provider.protocol == "saml" and idp.entity_id in provider.saml_metadata
    # The login page's e-mail form may lead on to the IdP's single sign-on service.
    assert idp.base in provider_origins()
    assert "Logga in med Sweden Connect (Piteå)" in client.get(reverse("login")).content.decode()


# -- single logout ---------------------------------------------------------------------------


def signed_in(client, provider, idp, session=None):
    response = client.get(reverse("security:sign-on-start", args=[provider.pk]))
    _action, fields = idp.sign_in(response["Location"], "anna", session=session)
    assert post(client, fields).status_code == HTTPStatus.FOUND
    return client


LOGOUT = "/security/sign-on/saml/logout/"


def local(url):
    return url.removeprefix("http://testserver")


def test_logging_out_also_logs_out_at_the_idp(client, idp, saml_setup):
    provider, anna = saml_setup
    browser_at_idp = requests.Session()
    signed_in(client, provider, idp, session=browser_at_idp)
    # Every page's logout form may lead on to the IdP (a browser enforces form-action on the
    # redirect after the form), and to no other place.
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", idp.base]
    response = client.post(reverse("logout"))
    location = response["Location"]
    assert location.startswith(idp.base + "/slo?")
    query = parse_qs(urlsplit(location).query)
    assert {"SAMLRequest", "SigAlg", "Signature"} <= set(query)
    assert not client.get(reverse("login")).wsgi_request.user.is_authenticated
    # The IdP checks our signature, ends its own session and answers, signed.
    back = browser_at_idp.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == HTTPStatus.FOUND, back.text
    assert not browser_at_idp.cookies.get("idp_session") or not back.cookies
    answer = back.headers["Location"]
    assert answer.startswith("http://testserver/security/sign-on/saml/logout/?SAMLResponse=")
    response = client.get(local(answer), follow=True)
    assert response.redirect_chain[0][0] == reverse("login")
    assert "utloggad från PiteBra och från Sweden Connect (Piteå)" in response.content.decode()
    # The same answer again is not an answer to anything.
    assert client.get(local(answer)).status_code == HTTPStatus.FORBIDDEN


def test_a_logout_response_with_a_forged_signature_is_refused(client, idp, saml_setup):
    provider, _anna = saml_setup
    signed_in(client, provider, idp)
    location = client.post(reverse("logout"))["Location"]
    answer = requests.get(location, allow_redirects=False, timeout=10).headers["Location"]
    forged = answer.replace("Signature=", "Signature=AAAA", 1)
    response = client.get(local(forged))
    assert response.status_code == HTTPStatus.FORBIDDEN
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_ON_REFUSED)
    assert "logout NotTrusted" in event.summary
    # Unsigned (as Entra ID sends them), it still answers this browser's own request.
    unsigned = answer.split("&SigAlg=")[0]
    assert client.get(local(unsigned))["Location"] == reverse("login")


@pytest.mark.parametrize("binding", ["redirect", "post"])
def test_logging_out_at_the_idp_ends_the_pitebra_sessions_of_that_person(
    client, idp, saml_setup, binding
):
    provider, anna = saml_setup
    phone = signed_in(Client(), provider, idp)
    signed_in(client, provider, idp)
    # The IdP sends the browser to us with its signed LogoutRequest.
    if binding == "redirect":
        location = idp.logout_at_idp("anna", SP)
        assert location.startswith(f"http://testserver{LOGOUT}?SAMLRequest=")
        assert parse_qs(urlsplit(location).query)["SigAlg"] == [SHA256]
        response = client.get(local(location))
    else:
        action, fields = idp.logout_at_idp("anna", SP, binding="post")
        assert local(action) == LOGOUT and "SAMLRequest" in fields
        response = client.post(LOGOUT, fields)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(idp.base + "/slo?SAMLResponse=")
    assert "Signature=" in response["Location"]
    for browser in (client, phone):
        assert not browser.get(reverse("home")).wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGOUT_EVERYWHERE, user=anna, summary__contains="single logout"
    ).exists()
    # The same LogoutRequest again, after Anna signed in anew, ends nothing.
    signed_in(client, provider, idp)
    if binding == "redirect":
        replayed = Client().get(local(location))
    else:
        replayed = Client().post(LOGOUT, fields)
    assert replayed.status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("home")).wsgi_request.user == anna


@pytest.mark.parametrize("forgery", ["wrong_signature", "unsigned", "changed_after_signing"])
def test_a_forged_logout_request_ends_no_session(client, idp, saml_setup, forgery):
    import base64

    provider, anna = saml_setup
    signed_in(client, provider, idp)
    if forgery == "wrong_signature":
        idp.setup(people=[{**ANNA, "forge": "wrong_signature"}])
    if forgery == "changed_after_signing":  # HTTP-POST, its XML signature no longer fits
        _action, fields = idp.logout_at_idp("anna", SP, binding="post")
        xml = base64.b64decode(fields["SAMLRequest"]).decode()
        xml = xml.replace('Version="2.0"', 'Version="2.0" Reason="urn:x"', 1)
        fields["SAMLRequest"] = base64.b64encode(xml.encode()).decode()
        response = Client().post(LOGOUT, fields)
    else:
        location = idp.logout_at_idp("anna", SP)
        if forgery == "unsigned":
            location = location.split("&SigAlg=")[0]
        response = Client().get(local(location))
    assert response.status_code == HTTPStatus.FORBIDDEN
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_ON_REFUSED)
    assert event.summary.startswith("Sweden Connect (Piteå): provider logout")
    assert client.get(reverse("home")).wsgi_request.user == anna


# -- the operator's test page ----------------------------------------------------------------


def operator_test(client, provider, idp, username="anna"):
    response = client.post(reverse("security:sign-on-test-start", args=[provider.pk]))
    assert response.status_code == HTTPStatus.FOUND
    _action, fields = idp.sign_in(response["Location"], username)
    return post(client, fields)


def test_the_operator_tests_a_saml_provider_without_logging_anyone_in(
    admin_client, admin_user, idp, saml_setup, sp_keys
):
    provider, anna = saml_setup
    page = admin_client.get(reverse("security:sign-on-test")).content.decode()
    assert "Testa Sweden Connect (Piteå)" in page
    idp.setup(people=[{**ANNA, "givenName": "<script>alert(1)</script>"}])
    response = operator_test(admin_client, provider, idp)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "skulle loggas in som anna.berg@pitea.se" in page
    assert "<code>pitea-7f3a</code>" in page  # the NameID
    assert "nameid-format:persistent" in page
    assert LOA3 in page
    assert "<code>mail</code>" in page and "anna.berg@pitea.se" in page
    # What the IdP sent is shown as text, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert response.wsgi_request.user == admin_user
    assert admin_client.get(reverse("home")).wsgi_request.user == admin_user
    assert not ExternalAccount.objects.exists()
    # Neither our key nor the raw answer is on the page.
    assert "PRIVATE KEY" not in page and "SAMLResponse" not in page
    assert open(sp_keys[0]).read().splitlines()[1] not in page  # noqa: SIM115


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (
            {"username": "okand", "subject": "x-9", "mail": "okand@pitea.se"},
            "Inget konto i PiteBra väntar på dig",
        ),
        ({**ANNA, "forge": "wrong_signature"}, "Signaturen på svaret stämmer inte"),
        ({**ANNA, "audience": OTHER_SP}, "avsett för en annan tjänst än PiteBra"),
        ({**ANNA, "forge": "expired"}, "Svaret har gått ut"),
    ],
    ids=["uninvited", "wrong-signature", "wrong-audience", "expired"],
)
def test_the_test_page_explains_each_error_in_swedish(
    admin_client, admin_user, idp, saml_setup, person, expected
):
    provider, _anna = saml_setup
    idp.setup(people=[person])
    response = operator_test(admin_client, provider, idp, person["username"])
    assert response.status_code == HTTPStatus.OK
    assert expected in response.content.decode(), response.content.decode()[-3000:]
    assert response.wsgi_request.user == admin_user
    assert not ExternalAccount.objects.exists()


def test_only_the_operator_may_test_a_saml_provider(client, idp, saml_setup):
    provider, anna = saml_setup
    coordinator = Membership.objects.get(role=Membership.Role.COORDINATOR).user
    client.force_login(coordinator)
    assert client.get(reverse("security:sign-on-test")).status_code == HTTPStatus.NOT_FOUND
    url = reverse("security:sign-on-test-start", args=[provider.pk])
    assert client.post(url).status_code == HTTPStatus.NOT_FOUND

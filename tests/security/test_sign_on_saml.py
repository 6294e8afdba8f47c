"""Sign-in through an organisation's SAML provider (Sweden Connect, ADFS), against pysaml2's
own IdP (saml2.server.Server) started here with a key and certificate made here: the IdP reads
our real AuthnRequest and signs a real assertion; xmlsec1 checks it on our side."""

import base64
import datetime
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import RequestFactory
from django.urls import reverse
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from pitebra.models import Membership, User
from security import saml
from security.models import AuditEvent, ExternalAccount, IdentityProvider
from security.sign_on import invite
from tests.factories import make_agreement, make_member

IDP = "https://idp.pitea.test/saml"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
OTHER_SP = "https://another-service.example/sp"


def _key_and_cert(directory, name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


def _idp(directory, name):
    key_file, cert_file = _key_and_cert(directory, name)
    sp, other = SPConfig(), SPConfig()
    sp.load(saml.sp_settings(RequestFactory().get("/")))
    # Another service the same IdP serves: an assertion meant for it must not open PiteBra.
    other.load({**saml.sp_settings(RequestFactory().get("/")), "entityid": OTHER_SP})
    config = IdPConfig()
    config.load(
        {
            "entityid": IDP,
            "xmlsec_binary": saml.xmlsec_binary(),
            "key_file": key_file,
            "cert_file": cert_file,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            ("https://idp.pitea.test/sso", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 15}}},
                }
            },
            # The IdP knows our service provider from our metadata, as after registration.
            "metadata": {"inline": [str(entity_descriptor(sp)), str(entity_descriptor(other))]},
        }
    )
    return Server(config=config)


@pytest.fixture(scope="module")
def idps(tmp_path_factory):
    """The municipality's IdP, and an impostor with the same name but another key."""
    directory = tmp_path_factory.mktemp("saml")
    return _idp(directory, "idp"), _idp(directory, "impostor")


@pytest.fixture
def saml_setup(db, idps):
    idp, _impostor = idps
    agreement = make_agreement()
    provider = IdentityProvider.objects.create(
        organisation=agreement.municipality,
        name="Sweden Connect (Piteå)",
        protocol=IdentityProvider.Protocol.SAML,
        saml_metadata=str(entity_descriptor(idp.config)),
    )
    coordinator = make_member(agreement, role=Membership.Role.COORDINATOR)
    anna = invite(
        by=coordinator,
        agreement=agreement,
        email="anna.berg@pitea.se",
        role=Membership.Role.MEMBER,
        organisation=agreement.municipality,
    )
    return provider, anna


def authn_request(client, provider, idp):
    response = client.get(reverse("security:sign-on-start", args=[provider.pk]))
    assert response.status_code == HTTPStatus.FOUND
    query = parse_qs(urlsplit(response["Location"]).query)
    return idp.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message


def assertion(idp, request, *, subject="pitea-7f3a", email="anna.berg@pitea.se", audience=None):
    response = idp.create_authn_response(
        identity={"mail": [email], "givenName": ["Anna"], "sn": ["Berg"]},
        in_response_to=request.id,
        destination=request.assertion_consumer_service_url,
        sp_entity_id=audience or request.issuer.text,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
        authn={"class_ref": LOA3, "authn_auth": IDP},
        sign_assertion=True,
        sign_response=True,
    )
    return base64.b64encode(str(response).encode()).decode()


def post(client, saml_response):
    return client.post(reverse("security:saml-acs"), {"SAMLResponse": saml_response})


def test_an_invited_person_signs_in_and_a_changed_email_changes_nothing(client, idps, saml_setup):
    idp, _ = idps
    provider, anna = saml_setup
    response = post(client, assertion(idp, authn_request(client, provider, idp)))
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    assert client.get(reverse("home")).wsgi_request.user == anna
    assert ExternalAccount.objects.get(user=anna).subject == "pitea-7f3a"
    login = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, user=anna).get()
    assert "sub=pitea-7f3a" in login.summary and LOA3 in login.summary

    client.post(reverse("logout"))
    request = authn_request(client, provider, idp)
    response = post(client, assertion(idp, request, email="anna.lind@pitea.se"))
    assert client.get(reverse("home")).wsgi_request.user == anna
    assert User.objects.filter(email__startswith="anna").count() == 1


def test_a_replayed_assertion_is_refused(client, idps, saml_setup):
    idp, _ = idps
    provider, anna = saml_setup
    saml_response = assertion(idp, authn_request(client, provider, idp))
    assert post(client, saml_response).status_code == HTTPStatus.FOUND
    client.post(reverse("logout"))
    links = ExternalAccount.objects.count()
    response = post(client, saml_response)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not response.wsgi_request.user.is_authenticated
    assert ExternalAccount.objects.count() == links


@pytest.mark.parametrize("forgery", ["wrong_signature", "wrong_audience", "unsolicited"])
def test_forged_assertions_are_refused(client, idps, saml_setup, forgery):
    idp, impostor = idps
    provider, anna = saml_setup
    request = authn_request(client, provider, idp)
    if forgery == "wrong_signature":
        saml_response = assertion(impostor, request)
    elif forgery == "wrong_audience":
        saml_response = assertion(idp, request, audience=OTHER_SP)
    else:
        request.id = "id-nobody-asked-for"
        saml_response = assertion(idp, request)
    users = User.objects.count()
    response = post(client, saml_response)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not response.wsgi_request.user.is_authenticated
    assert not ExternalAccount.objects.exists()
    assert User.objects.count() == users
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_ON_REFUSED)
    assert event.summary.startswith("Sweden Connect (Piteå): provider")


def test_an_uninvited_person_is_refused(client, idps, saml_setup):
    idp, _ = idps
    provider, _anna = saml_setup
    request = authn_request(client, provider, idp)
    response = post(client, assertion(idp, request, subject="x-9", email="okand@pitea.se"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Inget konto i PiteBra väntar på dig" in response.content.decode()
    assert not ExternalAccount.objects.exists()


def test_the_operator_registers_a_saml_provider_from_its_metadata_file(
    idps, saml_setup, tmp_path, client
):
    from django.core.management import call_command

    from security.sign_on import provider_origins

    idp, _ = idps
    provider, _anna = saml_setup
    metadata = tmp_path / "idp.xml"
    metadata.write_text(provider.saml_metadata, encoding="utf-8")
    call_command(
        "add_identity_provider",
        organisation=provider.organisation_id,
        name="ADFS Piteå",
        saml_metadata=str(metadata),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    registered = IdentityProvider.objects.get(name="ADFS Piteå")
    assert registered.protocol == "saml" and IDP in registered.saml_metadata
    # The login page's e-mail form may lead on to the IdP's single sign-on service.
    assert "https://idp.pitea.test" in provider_origins()
    assert "Logga in med ADFS Piteå" in client.get(reverse("login")).content.decode()

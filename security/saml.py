"""SAML 2.0 with providers kept in the database, on pysaml2 (which checks signatures with
Debian's xmlsec1): a service provider per identity provider, an AuthnRequest by HTTP-Redirect,
the signed assertion back by HTTP-POST, answering only a request this session made; single
logout both ways, every message from the IdP signed by the key in its metadata."""

import base64
import re
import shutil
from urllib.parse import unquote_plus

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.response import IncorrectlySigned, StatusError, UnsolicitedResponse
from saml2.saml import NAMEID_FORMAT_PERSISTENT, name_id_from_string
from saml2.samlp import STATUS_SUCCESS
from saml2.sigver import (
    SIG_RSA_SHA256,
    SIGNER_ALGS,
    SignatureError,
    SigverError,
    extract_rsa_key_from_x509_cert,
    pem_format,
)
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import DIGEST_SHA256

from .sign_on import Identity

SESSION_OUTSTANDING = "pitebra_saml_outstanding"  # request id -> provider pk
SESSION_TESTS = "pitebra_saml_tests"  # request ids of the operator's test sign-ins
SESSION_SUBJECT = "pitebra_saml_subject"  # the NameID and SessionIndex of this session
SESSION_LOGOUTS = "pitebra_saml_logouts"  # LogoutRequest id -> provider pk
EMAIL_ATTRIBUTES = ("mail", "email", "emailAddress", "urn:oid:0.9.2342.19200300.100.1.3")


def xmlsec_binary():
    return shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def sp_settings(request):
    """PiteBra as a service provider, in pysaml2's terms (also our metadata for the IdP).
    With PITEBRA_SAML_KEY_FILE and PITEBRA_SAML_CERT_FILE our requests are signed."""
    base = request.build_absolute_uri("/").rstrip("/")
    logout = base + reverse("security:saml-sls")
    key_file, cert_file = settings.PITEBRA_SAML_KEY_FILE, settings.PITEBRA_SAML_CERT_FILE
    signed = bool(key_file and cert_file)
    config = {
        "entityid": base + reverse("security:saml-metadata"),
        "xmlsec_binary": xmlsec_binary(),
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [
                        (base + reverse("security:saml-acs"), BINDING_HTTP_POST)
                    ],
                    "single_logout_service": [
                        (logout, BINDING_HTTP_REDIRECT),
                        (logout, BINDING_HTTP_POST),
                    ],
                },
                # RSA with SHA-256, as Sweden Connect asks (pysaml2's default is SHA-1).
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "allow_unsolicited": False,
                "authn_requests_signed": signed,
                "logout_requests_signed": signed,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
            }
        },
        "allow_unknown_attributes": True,
    }
    if signed:
        config.update(key_file=key_file, cert_file=cert_file)
    return config


def metadata(request):
    """PiteBra's own SAML metadata, for the IdP's registration."""
    config = SPConfig()
    config.load(sp_settings(request))
    return str(entity_descriptor(config))


def client_for(request, provider):
    config = SPConfig()
    config.load({**sp_settings(request), "metadata": {"inline": [provider.saml_metadata]}})
    return Saml2Client(config=config)


def entity_id_in_metadata(xml):
    found = re.search(r'entityID="([^"]+)"', xml)
    return found.group(1) if found else ""


def start(request, provider, *, test=False):
    """The AuthnRequest, as a redirect to the provider's single sign-on service."""
    client = client_for(request, provider)
    idp = next(iter(client.metadata.identity_providers()))
    request_id, info = client.prepare_for_authenticate(entityid=idp, binding=BINDING_HTTP_REDIRECT)
    outstanding = request.session.get(SESSION_OUTSTANDING, {})
    outstanding[request_id] = provider.pk
    request.session[SESSION_OUTSTANDING] = dict(list(outstanding.items())[-20:])
    if test:
        request.session[SESSION_TESTS] = [*request.session.get(SESSION_TESTS, [])[-9:], request_id]
    return dict(info["headers"])["Location"]


def verify(request, provider, saml_response, outstanding):
    """The provider's verified answer; pysaml2 raises on a bad signature, another audience,
    an expired assertion or a response to no request of ours."""
    client = client_for(request, provider)
    response = client.parse_authn_request_response(
        saml_response, BINDING_HTTP_POST, outstanding=outstanding
    )
    if response is None or response.name_id is None:
        raise ValueError("no assertion")
    if response.name_id.format not in (None, NAMEID_FORMAT_PERSISTENT):
        raise ValueError("the NameID is not persistent")
    return response


def identity_of(response):
    attributes = response.ava or {}
    email = next((attributes[a][0] for a in EMAIL_ATTRIBUTES if attributes.get(a)), "")
    contexts = [str(info[0]) for info in response.authn_info() if info and info[0]]
    return Identity(
        subject=response.name_id.text,
        email=email if "@" in email else "",
        first_name=(attributes.get("givenName") or [""])[0][:150],
        last_name=(attributes.get("sn") or [""])[0][:150],
        context=("AuthnContext=" + ",".join(contexts)) if contexts else "",
    )


def identity(request, provider, saml_response, outstanding):
    response = verify(request, provider, saml_response, outstanding)
    return identity_of(response), response.in_response_to


def remember_subject(request, provider, response):
    """Keep what a LogoutRequest for this session must name (after the login's new key)."""
    indexes = [
        statement.session_index
        for statement in response.assertion.authn_statement
        if statement.session_index
    ]
    request.session[SESSION_SUBJECT] = {
        "provider": provider.pk,
        "name_id": str(response.name_id),
        "session_index": indexes[0] if indexes else "",
    }


def logout_location(request, provider, subject):
    """The LogoutRequest to the provider's single logout service, as a redirect, or None when
    its metadata offers none. Call after logging out here: the request id is kept in the new
    session, for the provider's LogoutResponse to answer."""
    client = client_for(request, provider)
    idp = next(iter(client.metadata.identity_providers()))
    services = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
    if not services:
        return None
    destination = services[0]["location"]
    request_id, logout_request = client.create_logout_request(
        destination,
        idp,
        name_id=name_id_from_string(subject["name_id"]),
        session_indexes=[subject["session_index"]] if subject["session_index"] else None,
        sign=False,  # HTTP-Redirect signs the query string instead
    )
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(logout_request),
        destination,
        relay_state="",
        sign=client.config.logout_requests_signed,
    )
    logouts = request.session.get(SESSION_LOGOUTS, {})
    logouts[request_id] = provider.pk
    request.session[SESSION_LOGOUTS] = dict(list(logouts.items())[-5:])
    return dict(info["headers"])["Location"]


class NotTrusted(Exception):
    """A single-logout message that is not signed by the provider, or not for us."""


def _redirect_signature_ok(query_string, certs):
    """The HTTP-Redirect binding's signature, checked over the query string exactly as the
    IdP sent it (SAML bindings 3.4.4.1), not over a re-encoding of it."""
    parts = dict(part.split("=", 1) for part in query_string.split("&") if "=" in part)
    if "Signature" not in parts or "SigAlg" not in parts:
        return False
    message = "SAMLRequest" if "SAMLRequest" in parts else "SAMLResponse"
    signed = "&".join(
        f"{name}={parts[name]}" for name in (message, "RelayState", "SigAlg") if name in parts
    ).encode("ascii")
    signature = base64.b64decode(unquote_plus(parts["Signature"]))
    signer = SIGNER_ALGS.get(unquote_plus(parts["SigAlg"]))
    if signer is None:
        return False
    for cert in certs:
        key = extract_rsa_key_from_x509_cert(pem_format(cert))
        try:
            if signer.verify(signed, signature, key):
                return True
        except Exception:  # noqa: S112 -- a key that does not fit; try the next
            continue
    return False


def logout_message(request, provider, kind):
    """The provider's LogoutRequest or LogoutResponse from this request (HTTP-Redirect or
    HTTP-POST), parsed; raises NotTrusted or one of pysaml2's errors. A LogoutRequest must be
    signed (it ends sessions). A LogoutResponse only confirms a logout that has already happened
    here and must answer this browser's own request, so an unsigned one is accepted (Entra
    ID's documented examples are unsigned), but a signature that is there must be right."""
    client = client_for(request, provider)
    idp = next(iter(client.metadata.identity_providers()))
    certs = [cert for _name, cert in client.metadata.certs(idp, "idpsso", "signing")]
    must = kind == "SAMLRequest"
    if request.method == "GET":
        binding, data = BINDING_HTTP_REDIRECT, request.GET.get(kind, "")
        signed = "Signature" in request.GET
        query = request.META.get("QUERY_STRING", "")
        if (must or signed) and not _redirect_signature_ok(query, certs):
            raise NotTrusted("no valid signature")
    else:
        binding, data = BINDING_HTTP_POST, request.POST.get(kind, "")
        xml = client.unravel(data, binding, "request" if must else "response")
        if isinstance(xml, bytes):
            xml = xml.decode("utf-8", "replace")
        signed = re.search(r"<(\w+:)?Signature[\s>]", xml) is not None
        check = (
            client.sec.correctly_signed_logout_request
            if must
            else client.sec.correctly_signed_logout_response
        )
        if (must or signed) and not check(xml, must=True):
            raise NotTrusted("no valid signature")
    if must:
        message = client.parse_logout_request(data, binding).message
    else:
        message = client.parse_logout_request_response(data, binding).response
    if message.issuer is None or message.issuer.text != idp:
        raise NotTrusted("another issuer")
    return client, message


def logout_response_location(request, client, logout_request):
    """Our LogoutResponse to the IdP's LogoutRequest, as a redirect (signed when we can)."""
    destination = client.response_args(logout_request, [BINDING_HTTP_REDIRECT])["destination"]
    response = client.create_logout_response(logout_request, [BINDING_HTTP_REDIRECT], sign=False)
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        relay_state=request.GET.get("RelayState", "")[:80],
        response=True,
        sign=client.config.logout_requests_signed,
    )
    return dict(info["headers"])["Location"]


def succeeded(logout_response):
    return logout_response.status.status_code.value == STATUS_SUCCESS


def message_issuer(request, kind):
    """The Issuer an incoming logout message names (unverified: only to pick the provider
    whose key must then verify it)."""
    data = request.GET.get(kind) if request.method == "GET" else request.POST.get(kind)
    if not data:
        return ""
    binding = BINDING_HTTP_REDIRECT if request.method == "GET" else BINDING_HTTP_POST
    try:
        xml = Saml2Client.unravel(data, binding)
    except Exception:
        return ""
    if isinstance(xml, bytes):
        xml = xml.decode("utf-8", "replace")
    found = re.search(r"<(?:\w+:)?Issuer[^>]*>\s*([^<\s]+)\s*<", xml)
    return found.group(1) if found else ""


def explain(failure):
    """What went wrong with a provider's answer, for the operator's test page: in plain words,
    with what municipal IT can check."""
    text = str(failure)
    if isinstance(failure, SignatureError | IncorrectlySigned | SigverError):
        return _(
            "The answer's signature does not match the certificate in the provider's metadata. "
            "Check that PiteBra has the provider's current metadata (the certificate may have "
            "been renewed): register the provider again from its metadata."
        )
    if "AudienceRestriction" in text:
        return _(
            "The answer was meant for another service than PiteBra (its audience). Check that "
            "PiteBra is registered at the provider with PiteBra's own entity ID."
        )
    timing = ("subject confirmation", "Condition not OK")
    if isinstance(failure, ResponseLifetimeExceed | ToEarly) or any(t in text for t in timing):
        return _(
            "The answer has expired or is not valid yet, or it was sent to another address than "
            "PiteBra's. Check that the clocks of the provider's and PiteBra's servers are right "
            "and that the provider has PiteBra's assertion consumer service URL."
        )
    if isinstance(failure, UnsolicitedResponse):
        return _("The answer is not to a sign-in started here. Start the test again.")
    if isinstance(failure, StatusError):
        return _("The provider refused the sign-in.")
    if "persistent" in text:
        return _(
            "The provider did not send a persistent NameID. Ask the provider to send PiteBra a "
            "persistent NameID: it is how PiteBra recognises the person from one sign-in to "
            "the next."
        )
    return _(
        "The answer from the provider could not be read or checked. The technical detail "
        "below tells the provider's administrators more."
    )


# pysaml2 raises its own errors (SignatureError, UnsolicitedResponse, StatusError, ...) and a
# bare Exception for some conditions (another audience, an expired assertion): every one means
# the answer is not trusted.
CHECK_ERRORS = (Exception,)

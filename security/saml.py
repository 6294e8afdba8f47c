"""SAML 2.0 with providers kept in the database, on pysaml2 (which checks signatures with
Debian's xmlsec1): a service provider per identity provider, an AuthnRequest by HTTP-Redirect,
the signed assertion back by HTTP-POST, answering only a request this session made."""

import shutil

from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT

from .sign_on import Identity

SESSION_OUTSTANDING = "pitebra_saml_outstanding"  # request id -> provider pk
EMAIL_ATTRIBUTES = ("mail", "email", "emailAddress", "urn:oid:0.9.2342.19200300.100.1.3")


def xmlsec_binary():
    return shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def sp_settings(request):
    """PiteBra as a service provider, in pysaml2's terms (also our metadata for the IdP)."""
    base = request.build_absolute_uri("/").rstrip("/")
    return {
        "entityid": base + reverse("security:saml-metadata"),
        "xmlsec_binary": xmlsec_binary(),
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [
                        (base + reverse("security:saml-acs"), BINDING_HTTP_POST)
                    ]
                },
                "allow_unsolicited": False,
                "authn_requests_signed": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
            }
        },
        "allow_unknown_attributes": True,
    }


def client_for(request, provider):
    config = SPConfig()
    config.load({**sp_settings(request), "metadata": {"inline": [provider.saml_metadata]}})
    return Saml2Client(config=config)


def start(request, provider):
    """The AuthnRequest, as a redirect to the provider's single sign-on service."""
    client = client_for(request, provider)
    idp = next(iter(client.metadata.identity_providers()))
    request_id, info = client.prepare_for_authenticate(entityid=idp, binding=BINDING_HTTP_REDIRECT)
    outstanding = request.session.get(SESSION_OUTSTANDING, {})
    outstanding[request_id] = provider.pk
    request.session[SESSION_OUTSTANDING] = dict(list(outstanding.items())[-20:])
    return dict(info["headers"])["Location"]


def identity(request, provider, saml_response, outstanding):
    """The verified identity in the provider's response; pysaml2 raises on a bad signature,
    another audience, an expired assertion or a response to no request of ours."""
    client = client_for(request, provider)
    response = client.parse_authn_request_response(
        saml_response, BINDING_HTTP_POST, outstanding=outstanding
    )
    if response is None or response.name_id is None:
        raise ValueError("no assertion")
    if response.name_id.format not in (None, NAMEID_FORMAT_PERSISTENT):
        raise ValueError("the NameID is not persistent")
    attributes = response.ava or {}
    email = next((attributes[a][0] for a in EMAIL_ATTRIBUTES if attributes.get(a)), "")
    contexts = [str(info[0]) for info in response.authn_info() if info and info[0]]
    return Identity(
        subject=response.name_id.text,
        email=email if "@" in email else "",
        first_name=(attributes.get("givenName") or [""])[0][:150],
        last_name=(attributes.get("sn") or [""])[0][:150],
        context=("AuthnContext=" + ",".join(contexts)) if contexts else "",
    ), response.in_response_to


# pysaml2 raises its own errors (SignatureError, UnsolicitedResponse, StatusError, ...) and a
# bare Exception for some conditions (another audience, an expired assertion): every one means
# the answer is not trusted.
CHECK_ERRORS = (Exception,)

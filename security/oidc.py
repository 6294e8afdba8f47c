"""OpenID Connect with providers kept in the database, on mozilla-django-oidc's pieces: the
authorisation request (state, nonce, PKCE) and the token exchange and signature check, each
given one provider's settings instead of the project's."""

from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .sign_on import Identity

CALLBACK = "security:oidc-callback"
SCOPES = "openid email profile"
# Seconds of clock difference allowed between PiteBra and the provider.
LEEWAY = 60
TIMEOUT = 10
SESSION_STATES = "pitebra_oidc_providers"  # state -> provider pk
SESSION_ID_TOKEN = "pitebra_oidc_id_token"  # noqa: S105 -- the hint the provider's logout asks for


def provider_settings(provider):
    """mozilla-django-oidc's settings, for one provider."""
    values = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": provider.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": provider.token_endpoint,
        "OIDC_OP_USER_ENDPOINT": provider.userinfo_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": provider.jwks_uri,
        "OIDC_RP_CLIENT_ID": provider.client_id,
        "OIDC_RP_CLIENT_SECRET": provider.client_secret,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": SCOPES,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK,
        "OIDC_TIMEOUT": TIMEOUT,
        "OIDC_REDIRECT_ALLOWED_HOSTS": [],
    }

    def get_settings(attr, *args):
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)

    return get_settings


class ProviderRequestView(OIDCAuthenticationRequestView):
    """The redirect to one provider's authorisation endpoint."""

    provider = None

    def __init__(self, **kwargs):
        # The parent reads the project's settings here; ours come with the provider.
        for key, value in kwargs.items():
            setattr(self, key, value)

    def start(self, request, provider):
        self.provider = provider
        self.get_settings = provider_settings(provider)
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = self.get(request)
        state = state_of(response["Location"])
        states = request.session.get(SESSION_STATES, {})
        states[state] = provider.pk
        # Only the newest few: oidc_states keeps at most OIDC_MAX_STATES as well.
        request.session[SESSION_STATES] = dict(list(states.items())[-20:])
        return response


def state_of(url):
    return parse_qs(urlsplit(url).query)["state"][0]


class ProviderBackend(OIDCAuthenticationBackend):
    """Exchanges the code and checks the ID token against one provider: its keys, RS256 only
    (never `none`), our client as the audience, its issuer, an unexpired token, our nonce."""

    def __init__(self, provider):
        self.provider = provider
        self.get_settings = provider_settings(provider)
        super().__init__()

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"alg {header.get('alg')!r} refused")
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.provider.issuer or None,
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )

    def identity(self, request, *, code, nonce, code_verifier):
        """The verified identity behind the authorisation code. Raises SuspiciousOperation,
        jwt.PyJWTError or requests.RequestException when the provider's answer fails a check."""
        self.request = request
        token_info = self.get_token(
            {
                "client_id": self.OIDC_RP_CLIENT_ID,
                "client_secret": self.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": absolutify(request, reverse(CALLBACK)),
                "code_verifier": code_verifier,
            }
        )
        id_token = token_info.get("id_token")
        if not id_token:
            raise SuspiciousOperation("no id_token")
        claims = self.verify_token(id_token, nonce=nonce)
        if self.provider.userinfo_endpoint and token_info.get("access_token"):
            info = self.get_userinfo(token_info["access_token"], id_token, claims)
            # The user info must be about the same person as the signed token.
            if str(info.get("sub")) != str(claims["sub"]):
                raise SuspiciousOperation("userinfo sub differs")
            claims = {**info, **claims}
        request.session[SESSION_ID_TOKEN] = id_token
        return identity_from_claims(claims), claims


def logout_url(request, provider, id_token):
    """The provider's end_session_endpoint, sending the person back to our login page."""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": provider.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    separator = "&" if "?" in provider.end_session_endpoint else "?"
    return f"{provider.end_session_endpoint}{separator}{query}"


def identity_from_claims(claims):
    context = []
    if claims.get("amr"):
        context.append(f"amr={','.join(map(str, claims['amr']))}")
    if claims.get("acr"):
        context.append(f"acr={claims['acr']}")
    return Identity(
        subject=str(claims.get("sub", "")),
        email=str(claims.get("email") or claims.get("preferred_username") or "")
        if "@" in str(claims.get("email") or claims.get("preferred_username") or "")
        else "",
        first_name=str(claims.get("given_name", ""))[:150],
        last_name=str(claims.get("family_name", ""))[:150],
        context=" ".join(context),
    )


def discover(url):
    """The provider's endpoints from its discovery document (/.well-known/openid-configuration)."""
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    document = response.json()
    return {
        "issuer": document["issuer"],
        "authorization_endpoint": document["authorization_endpoint"],
        "token_endpoint": document["token_endpoint"],
        "userinfo_endpoint": document.get("userinfo_endpoint", ""),
        "jwks_uri": document["jwks_uri"],
        "end_session_endpoint": document.get("end_session_endpoint", ""),
    }


CHECK_ERRORS = (
    SuspiciousOperation,
    jwt.PyJWTError,
    requests.RequestException,
    KeyError,
    ValueError,
)

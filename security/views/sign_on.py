"""Signing in through an organisation's identity provider: the login page's buttons and
e-mail routing, the OpenID Connect redirect and callback, and the refusal page."""

import base64
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pitebra.permissions import may_manage_identity_providers

from .. import oidc, saml
from ..audit import Action, record
from ..models import ExternalAccount, IdentityProvider
from ..sign_on import (
    SESSION_PROVIDER,
    SignOnRefused,
    account_for,
    provider_for_email,
    provider_origins,
    refuse,
    sign_in,
)


def _refused(request, provider, error):
    refuse(request, provider, error)
    return render(
        request,
        "security/sign_on_refused.html",
        {"provider": provider, "message": error.message},
        status=403,
    )


@login_not_required
@require_GET
def start(request, provider_pk):
    """'Log in with NAME': off to the provider."""
    provider = get_object_or_404(IdentityProvider, pk=provider_pk, enabled=True)
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        return oidc.ProviderRequestView().start(request, provider)
    return redirect(saml.start(request, provider))


@login_not_required
@require_GET
def saml_metadata(request):
    """PiteBra's SAML metadata (entity ID, ACS and single logout URLs), for the IdP."""
    return HttpResponse(saml.metadata(request), content_type="application/samlmetadata+xml")


SAME_SITE = "pitebra_same_site"  # the answer, posted again from our own page


@csrf_exempt  # the provider's page posts here; the answer must match a request of this session
@login_not_required
@require_POST
def saml_acs(request):
    saml_response = request.POST.get("SAMLResponse", "")
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.POST.get(SAME_SITE):
        # The IdP's page posts from another site, and a browser sends no SameSite=Lax session
        # cookie with such a POST: post the answer again from our own page, which it does.
        context = {
            "saml_response": saml_response,
            "relay_state": request.POST.get("RelayState", "")[:80],
            "marker": SAME_SITE,
        }
        return render(request, "security/saml_continue.html", context)
    outstanding = request.session.get(saml.SESSION_OUTSTANDING, {})
    # Which provider answers is known only after parsing; try those this session asked.
    providers = IdentityProvider.objects.filter(
        pk__in=set(outstanding.values()), protocol=IdentityProvider.Protocol.SAML
    )
    if not outstanding or not providers:
        return _refused(request, None, SignOnRefused("state"))
    testing = _saml_test_of(request, saml_response)
    error = None
    for provider in providers:
        asked = {rid: "/" for rid, pk in outstanding.items() if pk == provider.pk}
        try:
            response = saml.verify(request, provider, saml_response, asked)
        except saml.CHECK_ERRORS as failure:
            error = SignOnRefused("provider", type(failure).__name__)
            error.failure = failure
            continue
        outstanding.pop(response.in_response_to, None)  # used up: a replay finds no request
        request.session[saml.SESSION_OUTSTANDING] = outstanding
        if testing:
            return _saml_test_result(request, provider, response=response)
        if not provider.enabled:
            return _refused(request, provider, SignOnRefused("disabled"))
        try:
            sign_in(request, provider, saml.identity_of(response))
        except SignOnRefused as refusal:
            return _refused(request, provider, refusal)
        saml.remember_subject(request, provider, response)
        return redirect("home")
    provider = providers[0] if len(providers) == 1 else None
    if testing and provider is not None:
        return _saml_test_result(request, provider, failure=error.failure)
    return _refused(request, provider, error)


def _saml_provider_by_issuer(request, kind):
    issuer = saml.message_issuer(request, kind)
    for provider in IdentityProvider.objects.filter(protocol=IdentityProvider.Protocol.SAML):
        if issuer and saml.entity_id_in_metadata(provider.saml_metadata) == issuer:
            return provider
    return None


@csrf_exempt  # the IdP sends these; each must carry the IdP's signature
@login_not_required
@require_http_methods(["GET", "POST"])
def saml_single_logout(request):
    """SAML single logout: the IdP's answer to our LogoutRequest, or its own LogoutRequest
    (the person logged out at the IdP), which ends every PiteBra session of that subject."""
    kind = "SAMLRequest" if "SAMLRequest" in (request.GET or request.POST) else "SAMLResponse"
    provider = _saml_provider_by_issuer(request, kind)
    if provider is None:
        return _refused(request, None, SignOnRefused("provider", "logout from unknown issuer"))
    try:
        client, message = saml.logout_message(request, provider, kind)
    except saml.CHECK_ERRORS as failure:
        detail = f"logout {type(failure).__name__}"
        return _refused(request, provider, SignOnRefused("provider", detail))
    if kind == "SAMLResponse":
        logouts = request.session.get(saml.SESSION_LOGOUTS, {})
        if logouts.pop(message.in_response_to or "", None) != provider.pk:
            return _refused(request, provider, SignOnRefused("state", "logout response"))
        request.session[saml.SESSION_LOGOUTS] = logouts
        if saml.succeeded(message):
            messages.success(
                request,
                _("You have been logged out of PiteBra and of %(name)s.") % {"name": provider.name},
            )
        else:
            messages.warning(
                request,
                _(
                    "You have been logged out of PiteBra, but %(name)s did not confirm that "
                    "you were logged out there. Close the browser to be sure."
                )
                % {"name": provider.name},
            )
        return redirect("login")
    link = ExternalAccount.objects.filter(provider=provider, subject=message.name_id.text).first()
    if link is not None:
        link.user.end_all_sessions()
        record(
            Action.LOGOUT_EVERYWHERE,
            request=request,
            user=link.user,
            obj=link.user,
            summary=f"{provider.name}: single logout",
        )
        if request.user == link.user:
            logout(request)
    return redirect(saml.logout_response_location(request, client, message))


@login_not_required
@require_POST
def by_email(request):
    """A typed e-mail address leads to its organisation's provider, or back to the password."""
    email = request.POST.get("email", "")[:254]
    provider = provider_for_email(email)
    if provider is None:
        return redirect(f"{_login_url()}?unknown_domain=1")
    return redirect("security:sign-on-start", provider.pk)


def _login_url():
    from django.urls import reverse

    return reverse("login")


@login_not_required
@require_GET
def oidc_callback(request):
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states", {})
    providers = request.session.get(oidc.SESSION_STATES, {})
    entry = states.pop(state, None) if state else None
    provider_pk = providers.pop(state, None) if state else None
    request.session.modified = True  # the state is used up, whatever happens next
    provider = IdentityProvider.objects.filter(pk=provider_pk).first() if provider_pk else None
    testing = state in request.session.get(SESSION_TESTS, []) and may_manage_identity_providers(
        request.user
    )
    if testing and entry is not None and provider is not None:
        return _test_result(request, provider, entry)
    if entry is None or provider is None:
        return _refused(request, provider, SignOnRefused("state"))
    if not provider.enabled:
        return _refused(request, provider, SignOnRefused("disabled"))
    if request.GET.get("error") or not request.GET.get("code"):
        detail = request.GET.get("error", "no code")[:60]
        return _refused(request, provider, SignOnRefused("provider", detail))
    try:
        identity, _claims = oidc.ProviderBackend(provider).identity(
            request,
            code=request.GET["code"],
            nonce=entry.get("nonce"),
            code_verifier=entry.get("code_verifier"),
        )
        sign_in(request, provider, identity)
    except SignOnRefused as error:
        return _refused(request, provider, error)
    except oidc.CHECK_ERRORS as error:
        return _refused(request, provider, SignOnRefused("provider", type(error).__name__))
    return redirect(request.session.pop("oidc_login_next", None) or "home")


class LogoutView(auth_views.LogoutView):
    """Logging out of PiteBra also ends the session at the provider, when it offers that
    (OpenID Connect RP-initiated logout, SAML single logout); the provider then sends the
    person back here."""

    def post(self, request, *args, **kwargs):
        provider_pk = request.session.get(SESSION_PROVIDER)
        id_token = request.session.get(oidc.SESSION_ID_TOKEN)
        subject = request.session.get(saml.SESSION_SUBJECT)
        response = super().post(request, *args, **kwargs)
        provider = IdentityProvider.objects.filter(pk=provider_pk).first() if provider_pk else None
        if provider is None:
            return response
        if provider.end_session_endpoint and id_token:
            return redirect(oidc.logout_url(request, provider, id_token))
        if provider.protocol == IdentityProvider.Protocol.SAML and subject:
            location = saml.logout_location(request, provider, subject)
            if location:
                return redirect(location)
        return response


class LoginView(auth_views.LoginView):
    """Django's login page, whose e-mail form may lead on to a provider: the page's
    Content-Security-Policy lets a form's redirect go to the enabled providers only."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        origins = provider_origins()
        if origins:
            response._csp_update = {"form-action": origins}
        return response


SESSION_TESTS = "pitebra_sign_on_tests"  # states of the operator's test sign-ins


def providers_to_test(request):
    """The operator's page for municipal IT: start a test sign-in with a provider."""
    if not may_manage_identity_providers(request.user):
        raise Http404
    providers = IdentityProvider.objects.select_related("organisation")
    return render(request, "security/sign_on_test.html", {"providers": providers})


@require_POST
def test_start(request, provider_pk):
    """A sign-in whose answer is shown to the operator instead of logging anyone in."""
    if not may_manage_identity_providers(request.user):
        raise Http404
    provider = get_object_or_404(IdentityProvider, pk=provider_pk)
    if provider.protocol == IdentityProvider.Protocol.SAML:
        return redirect(saml.start(request, provider, test=True))
    response = oidc.ProviderRequestView().start(request, provider)
    tests = request.session.get(SESSION_TESTS, [])
    request.session[SESSION_TESTS] = [*tests[-9:], oidc.state_of(response["Location"])]
    return response


def _test_result(request, provider, entry):
    context = {"provider": provider, "claims": None, "account": None, "error": None}
    if request.GET.get("error") or not request.GET.get("code"):
        context["error"] = SignOnRefused("provider").message
        context["detail"] = request.GET.get("error_description") or request.GET.get("error", "")
        return render(request, "security/sign_on_test_result.html", context)
    try:
        identity, claims = oidc.ProviderBackend(provider).identity(
            request,
            code=request.GET["code"],
            nonce=entry.get("nonce"),
            code_verifier=entry.get("code_verifier"),
        )
        context["claims"] = sorted(claims.items())
        context["account"], _link = account_for(provider, identity)
    except SignOnRefused as error:
        context["error"] = error.message
    except oidc.CHECK_ERRORS as error:
        context["error"] = SignOnRefused("provider").message
        context["detail"] = f"{type(error).__name__}: {error}"[:300]
    finally:
        request.session.pop(oidc.SESSION_ID_TOKEN, None)
    return render(request, "security/sign_on_test_result.html", context)


def _saml_test_of(request, saml_response):
    """Whether the answer is to one of the operator's test sign-ins. The InResponseTo read
    here is not yet verified: it only chooses which page the operator sees."""
    tests = request.session.get(saml.SESSION_TESTS, [])
    if not tests or not may_manage_identity_providers(request.user):
        return False
    try:
        xml = base64.b64decode(saml_response).decode("utf-8", "replace")
    except ValueError:
        return False
    found = re.search(r'InResponseTo="([^"]+)"', xml)
    return bool(found) and found.group(1) in tests


def _saml_test_result(request, provider, *, response=None, failure=None):
    context = {"provider": provider, "claims": None, "account": None, "error": None}
    if failure is not None:
        context["error"] = saml.explain(failure)
        context["detail"] = f"{type(failure).__name__}: {failure}"[:300]
        return render(request, "security/sign_on_test_result.html", context)
    name_id = response.name_id
    context["name_id"] = {"value": name_id.text, "format": name_id.format or ""}
    context["contexts"] = [str(info[0]) for info in response.authn_info() if info and info[0]]
    context["claims"] = sorted(
        (name, ", ".join(map(str, values))) for name, values in (response.ava or {}).items()
    )
    try:
        context["account"], _link = account_for(provider, saml.identity_of(response))
    except SignOnRefused as error:
        context["error"] = error.message
    return render(request, "security/sign_on_test_result.html", context)

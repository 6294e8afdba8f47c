"""Signing in through an organisation's SAML provider: PiteBra's metadata, the assertion
consumer service (which also answers the operator's test sign-ins), and single logout."""

import base64
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pitebra.permissions import may_manage_identity_providers

from .. import saml
from ..audit import Action, record
from ..models import ExternalAccount, IdentityProvider
from ..sign_on import SignOnRefused, account_for, sign_in
from .sign_on import refused_page


@login_not_required
@require_GET
def saml_metadata(request):
    """PiteBra's SAML metadata (entity ID, ACS and single logout URLs), for the IdP."""
    return HttpResponse(saml.metadata(request), content_type="application/samlmetadata+xml")


SAME_SITE = "pitebra_same_site"  # the answer, posted again from our own page


@csrf_exempt  # the provider's page posts here; the answer must match a request of this session
@login_not_required
@never_cache  # the page that posts the answer again holds the assertion
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
        return refused_page(request, None, SignOnRefused("state"))
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
            return refused_page(request, provider, SignOnRefused("disabled"))
        try:
            sign_in(request, provider, saml.identity_of(response))
        except SignOnRefused as refusal:
            return refused_page(request, provider, refusal)
        saml.remember_subject(request, provider, response)
        return redirect("home")
    provider = providers[0] if len(providers) == 1 else None
    if testing and provider is not None:
        return _saml_test_result(request, provider, failure=error.failure)
    return refused_page(request, provider, error)


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
        return refused_page(request, None, SignOnRefused("provider", "logout from unknown issuer"))
    try:
        client, message = saml.logout_message(request, provider, kind)
    except saml.CHECK_ERRORS as failure:
        detail = f"logout {type(failure).__name__}"
        return refused_page(request, provider, SignOnRefused("provider", detail))
    if kind == "SAMLResponse":
        logouts = request.session.get(saml.SESSION_LOGOUTS, {})
        if logouts.pop(message.in_response_to or "", None) != provider.pk:
            return refused_page(request, provider, SignOnRefused("state", "logout response"))
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
    # Each LogoutRequest once: a copy sent again later would end the new sessions too. (A day:
    # pysaml2 refuses one issued longer ago than that.)
    if not cache.add(f"pitebra-saml-logout:{provider.pk}:{message.id}", 1, timeout=86400):
        return refused_page(request, provider, SignOnRefused("state", "logout request replayed"))
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

"""Signing in through an organisation's identity provider: the login page's buttons and
e-mail routing, the OpenID Connect redirect and callback, and the refusal page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from pitebra import pagecache
from pitebra.pagecache import CSRF_PLACEHOLDER
from pitebra.permissions import may_manage_identity_providers

from .. import oidc, saml
from ..models import IdentityProvider
from ..sign_on import (
    SESSION_PROVIDER,
    SignOnRefused,
    account_for,
    provider_for_email,
    provider_origins,
    refuse,
    sign_in,
)


def refused_page(request, provider, error):
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
        return refused_page(request, provider, SignOnRefused("state"))
    if not provider.enabled:
        return refused_page(request, provider, SignOnRefused("disabled"))
    if request.GET.get("error") or not request.GET.get("code"):
        detail = request.GET.get("error", "no code")[:60]
        return refused_page(request, provider, SignOnRefused("provider", detail))
    try:
        identity, _claims = oidc.ProviderBackend(provider).identity(
            request,
            code=request.GET["code"],
            nonce=entry.get("nonce"),
            code_verifier=entry.get("code_verifier"),
        )
        sign_in(request, provider, identity)
    except SignOnRefused as error:
        return refused_page(request, provider, error)
    except oidc.CHECK_ERRORS as error:
        return refused_page(request, provider, SignOnRefused("provider", type(error).__name__))
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
            try:
                location = saml.logout_location(request, provider, subject)
            except saml.CHECK_ERRORS:
                location = None  # metadata that pysaml2 cannot use: logged out here only
            if location:
                return redirect(location)
        return response


# The login page is cached per address up to this length; a longer `?next=` is rendered
# each time (nobody's scanner fills the cache with pages of made-up addresses).
LOGIN_CACHED_PATH = 300


class LoginView(auth_views.LoginView):
    """Django's login page, whose e-mail form may lead on to a provider: the page's
    Content-Security-Policy lets a form's redirect go to the enabled providers only.

    The empty form reads the same for every visitor of an address: it is rendered once per
    address, language and the enabled providers (the shared data version, which a change of
    provider renews) and served from the page cache, each visitor's CSRF token put in on the
    way out. A page with a message to show (logged out, password changed), or for a user who
    is signed in, is rendered."""

    def get(self, request, *args, **kwargs):
        path = request.get_full_path()
        version = None
        anonymous = not request.user.is_authenticated  # a signed-in user's header is theirs
        quiet = not len(messages.get_messages(request))  # counts them, leaves them to show
        if anonymous and quiet and len(path) <= LOGIN_CACHED_PATH:
            version = pagecache.versions([])
        if version is None:
            return super().get(request, *args, **kwargs)

        def build():
            request.pitebra_defer_csrf = True
            self.extra_context = {**(self.extra_context or {}), "csrf_token": CSRF_PLACEHOLDER}
            try:
                response = super(LoginView, self).get(request, *args, **kwargs)
                response.render()
            finally:
                request.pitebra_defer_csrf = False
            return response.content.decode(), getattr(response, "_csp_update", None)

        html, csp = pagecache.cached_by_key("login", [version, path], build)
        response = HttpResponse(pagecache.with_csrf(request, html))
        if csp:
            response._csp_update = csp
        return response

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

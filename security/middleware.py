"""Middleware for sign-in security: headers, session limits, the second factor, audit context."""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import audit, checks, two_factor

SESSION_STARTED = "pitebra_session_started"
SESSION_SEEN = "pitebra_session_seen"
# The last-seen stamp is written at most this often, so a page view rarely writes the session.
SEEN_RESOLUTION = datetime.timedelta(seconds=60)
# Where logging out sends the browser on to (the provider's logout service), for the pages'
# Content-Security-Policy: the logout form's redirect must be allowed to go there.
SESSION_LOGOUT_ORIGIN = "pitebra_sign_on_logout_origin"


def permissions_policy(get_response):
    """Deny the browser features PiteBra never uses (camera, microphone, geolocation, ...)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class AuditRequestMiddleware:
    """Makes the request known to audit records written by signals (user and IP address)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        checks.note_forwarded(request)
        token = audit.set_current_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.reset_current_request(token)


class SessionLimitsMiddleware:
    """Ends a session 8 hours after login and after 60 minutes without a request (settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now()
            started = _stamp(request.session.get(SESSION_STARTED)) or now
            seen = _stamp(request.session.get(SESSION_SEEN)) or now
            max_age = datetime.timedelta(hours=settings.PITEBRA_SESSION_MAX_HOURS)
            idle = datetime.timedelta(minutes=settings.PITEBRA_SESSION_IDLE_MINUTES)
            if now - started > max_age or now - seen > idle:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
            if SESSION_STARTED not in request.session:
                request.session[SESSION_STARTED] = now.isoformat()
            if now - seen >= SEEN_RESOLUTION or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now.isoformat()
        return self.get_response(request)


def provider_logout_csp(get_response):
    """A session signed in through a provider may leave by the logout form for the provider's
    logout service: the page's form-action allows that one origin too."""

    def middleware(request):
        response = get_response(request)
        origin = request.session.get(SESSION_LOGOUT_ORIGIN) if hasattr(request, "session") else None
        if origin and request.user.is_authenticated:
            update = getattr(response, "_csp_update", None) or {}
            update["form-action"] = [*update.get("form-action", []), origin]
            response._csp_update = update
        return response

    return middleware


def _stamp(value):
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def start_session_clock(request):
    now = timezone.now().isoformat()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class TwoFactorMiddleware:
    """With PITEBRA_REQUIRE_2FA, an unverified login reaches only verification or enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PITEBRA_REQUIRE_2FA and request.user.is_authenticated:
            target = two_factor.pending_step(request)
            # While enrolment or verification is pending the pages offer no links elsewhere.
            request.two_factor_pending = target is not None
            if target is not None and not _is_open(request.path, target):
                return redirect(f"{reverse(target)}?next={_safe_next(request)}")
        return self.get_response(request)


# What an unverified login may still reach besides its own step (verification or enrolment).
# tests/security/test_two_factor.py walks every URL pattern and expects all others gated.
OPEN_URL_NAMES = (
    "logout",
    "set_language",
    "healthz",
    "accessibility",
    # Adding or verifying with a passkey goes through django-otp-webauthn's views, which
    # refuse to add one to an account that has a second factor and has not verified it.
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)


def _is_open(path, target):
    open_paths = {reverse(name) for name in (target, *OPEN_URL_NAMES)}
    return path in open_paths or path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def _safe_next(request):
    path = request.get_full_path()
    if request.method != "GET" or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return reverse("home")
    return quote(path)

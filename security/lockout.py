"""Lockout after repeated failed logins (django-axes), with our limits and Swedish refusal.

An account is locked after AXES_FAILURE_LIMIT failures from any address, for AXES_COOLOFF_TIME.
An address with PITEBRA_LOCKOUT_ADDRESS_ATTEMPTS failures in that time (a spray, or a shared
office address with many typos) is not locked as a whole: from it, a username that has failed
in that time gets no further try, while a username with no failures of its own is checked as
usual. Colleagues behind the same address keep logging in; a spray gets one guess per account.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCKED_MESSAGE = _(
    "Too many failed logins. Logging in with this username or from this address is "
    "blocked for a while. Try again later or ask your coordinator."
)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with separate limits per account and per address."""

    def get_failures(self, request, credentials=None) -> int:
        limit = settings.AXES_FAILURE_LIMIT
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        by_username, by_address = (counts + [0, 0])[:2]
        request.pitebra_failures = (by_username, by_address)
        if by_username >= limit:
            return by_username
        if by_address >= settings.PITEBRA_LOCKOUT_ADDRESS_ATTEMPTS and by_username > 0:
            # A spraying address: a username that has already failed gets no further try
            # from it. One with no failures of its own (a colleague) is checked as usual.
            return limit
        return by_username

    def is_locked(self, request, credentials=None) -> bool:
        locked = super().is_locked(request, credentials)
        # Refused before the password is checked: not a failed login of its own (the lockout
        # event says it once per account and period).
        request.pitebra_refused = locked
        return locked


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with one message whether or not the account exists."""
    return render(
        request,
        "registration/login.html",
        {"form": AuthenticationForm(request), "locked_out": LOCKED_MESSAGE, "next": ""},
        status=429,
    )


def active_lockouts():
    """AccessAttempt rows within the cool-off period that are at or over a limit."""
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=threshold)
    by_user = (
        recent.exclude(username="")
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .filter(n__gte=settings.AXES_FAILURE_LIMIT)
    )
    by_address = (
        recent.values("ip_address")
        .annotate(n=Sum("failures_since_start"))
        .filter(n__gte=settings.PITEBRA_LOCKOUT_ADDRESS_ATTEMPTS)
    )
    return (
        {row["username"]: row["n"] for row in by_user},
        {row["ip_address"]: row["n"] for row in by_address},
    )


def lift(*, username=None, ip_address=None):
    """Lift the lockout of an account or an address; returns the number of records removed."""
    if username:
        return AccessAttempt.objects.filter(username=username).delete()[0]
    if ip_address:
        return AccessAttempt.objects.filter(ip_address=ip_address).delete()[0]
    return 0


def username_of(request, credentials=None):
    """The username a login attempt is counted under, as django-axes would read it, cut to what
    an account's username can hold: a longer one names no account, and axes' table would refuse
    it with a database error (a 500 on PostgreSQL) instead of a refused login."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return None if username is None else str(username)[:150]

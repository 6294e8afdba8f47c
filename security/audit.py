"""Writing the audit trail: `record(...)` from views, signals and services."""

import contextvars
import ipaddress

from django.conf import settings

from .models import AuditEvent

Action = AuditEvent.Action
_current_request = contextvars.ContextVar("pitebra_audit_request", default=None)


def set_current_request(request):
    return _current_request.set(request)


def reset_current_request(token):
    _current_request.reset(token)


def current_request():
    return _current_request.get()


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind PITEBRA_PROXY_COUNT trusted proxies the
    address the outermost of them saw (X-Forwarded-For, counted from the right, so a client
    cannot choose it). The lockout counts by this address too."""
    if request is None:
        return None
    proxies = settings.PITEBRA_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def record(action, *, request=None, user=None, agreement=None, obj=None, summary="", username=""):
    """Write one event; `summary` is a short label of ours, never text a user typed."""
    request = request or current_request()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    if obj is not None and agreement is None:
        agreement = getattr(obj, "agreement", None)
    return AuditEvent.objects.create(
        action=action,
        user=user if user is not None and user.pk else None,
        username=(user.get_username() if user is not None and user.pk else username)[:150],
        ip_address=client_ip(request),
        agreement=agreement,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=str(summary)[:200],
    )


def agreement_for_account(actor, target):
    """The agreement in whose name an action by `actor` on `target`'s account is recorded."""
    from pitebra.permissions import agreements_coordinated_by

    if target is None or not getattr(actor, "is_authenticated", False):
        return None
    return agreements_coordinated_by(actor).filter(memberships__user=target).first()

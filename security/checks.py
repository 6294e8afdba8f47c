"""A system check for the lockout's view of addresses behind a reverse proxy.

A check cannot see requests, so the middleware notes (in the cache, and once per process in the
log) a request that arrived with X-Forwarded-For while PITEBRA_PROXY_COUNT is 0; the check reports
it. With a cache shared between processes (db:// or redis://) `manage.py check` sees what the
app server noted; with locmem:// only the warning in the app server's log says it.
"""

import logging

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.utils import timezone

FORWARDED_SEEN = "pitebra:security:forwarded-for-without-proxy-count"
logger = logging.getLogger("pitebra.security")
_noted = False


def note_forwarded(request):
    """Called for each request: remembers one that came through a proxy nobody declared."""
    global _noted
    if _noted or settings.DEBUG or settings.PITEBRA_PROXY_COUNT:
        return
    if "HTTP_X_FORWARDED_FOR" not in request.META:
        return
    _noted = True
    logger.warning(
        "A request arrived with X-Forwarded-For while PITEBRA_PROXY_COUNT is 0: every client "
        "has the proxy's address, so the lockout and the audit trail see one address for all. "
        "Behind the documented nginx set PITEBRA_PROXY_COUNT=1."
    )
    try:
        cache.set(FORWARDED_SEEN, timezone.now().isoformat(), timeout=30 * 24 * 3600)
    except Exception:  # noqa: BLE001 (a missing cache must not break a request)
        logger.exception("Could not note the X-Forwarded-For request in the cache.")


@checks.register(checks.Tags.security)
def proxy_count_check(app_configs=None, **kwargs):
    if settings.DEBUG or settings.PITEBRA_PROXY_COUNT:
        return []
    try:
        seen = cache.get(FORWARDED_SEEN)
    except Exception:  # noqa: BLE001 (the check must not fail because the cache is down)
        return []
    if not seen:
        return []
    return [
        checks.Warning(
            f"Requests arrive with X-Forwarded-For (last noted {seen}) but PITEBRA_PROXY_COUNT "
            "is 0: the lockout and the audit trail count the proxy's address for everyone.",
            hint="Behind the documented nginx set PITEBRA_PROXY_COUNT=1 in /etc/pitebra/env.",
            id="pitebra.W010",
        )
    ]

"""Cached page parts (the plan tree, the timeline, the follow-up lists), never stale.

A part is cached under a key made of everything it varies on (plan, query string, role,
language, day, the user where a "mine" filter is on) and of the *data version*: a random
token in one database row that every committed write to the project's models replaces
(model signals below, and `bump()` from bulk writes that bypass signals). A changed plan
therefore never finds its old rendering. The token lives in the database, not in the cache,
so every app server and worker sees a bump at once whatever cache backend runs.

CSRF tokens are not cached: a part is rendered with a placeholder that is replaced by the
requesting user's token on the way out.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__pitebra_csrf_placeholder__"
WATCHED_APPS = {"plans", "followup", "pitebra"}
TIMEOUT = 60 * 60


def data_version() -> str | None:
    """The current token, or None while this connection holds writes not yet committed.

    Those writes are not what other requests see, and the token that marks them is only
    written after the commit: a page rendered now is neither read from nor put in the cache.
    """
    from .models import DataVersion

    if _bump_pending():
        return None
    return DataVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "0"


def _bump_pending() -> bool:
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        func is _write_token for _ids, func, *_rest in connection.run_on_commit
    )


def _write_token() -> None:
    from .models import DataVersion

    token = secrets.token_hex(16)
    if not DataVersion.objects.filter(pk=1).update(token=token):
        try:
            with transaction.atomic():
                DataVersion.objects.create(pk=1, token=token)
        except IntegrityError:
            DataVersion.objects.filter(pk=1).update(token=token)


def bump() -> None:
    """A new data version: every cached part rendered before is no longer found.

    Written once the current transaction commits (at once outside one), and only once per
    transaction however many rows it writes: the one version row is never locked inside a
    writer's transaction, so writers do not queue behind each other or deadlock on it. A
    rolled-back transaction changes nothing, so it bumps nothing. A request that reads the
    version between the commit and the bump renders the new data under the old token: a
    newer page than the key says, never an older one.
    """
    if not _bump_pending():
        transaction.on_commit(_write_token)


def watches(model) -> bool:
    """Whether a write to `model` bumps the data version (the registry the tests walk)."""
    meta = getattr(model, "_meta", None)
    if meta is None or meta.app_label not in WATCHED_APPS:
        return False
    return meta.model_name != "dataversion" and not meta.model_name.startswith("historical")


def _on_change(sender, **kwargs):
    if not watches(sender):
        return
    if kwargs.get("raw"):
        return
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return  # a login changes nothing a page shows
    if "action" in kwargs and not kwargs["action"].startswith("post_"):
        return
    bump()


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"pagecache-{id(signal)}")


def cached_text(request, name, build, *, role="", per_user=False):
    """`build()` (a string), from the cache while the data and everything it varies on hold."""
    version = data_version()
    if version is None:
        return build()
    parts = [
        name,
        version,
        request.get_full_path(),
        str(role),
        get_language() or "",
        timezone.localdate().isoformat(),
        str(request.user.pk) if per_user else "",
    ]
    key = "pitebra:part:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        text = build()
        cache.set(key, text, TIMEOUT)
    return text


def cached_part(request, name, template, context_fn, *, role="", per_user=False):
    """The rendered `template` for this request, from the cache when its data is unchanged.

    `context_fn` builds the context (the queries) only on a miss.
    """

    def build():
        context = context_fn()
        context.update(request=request, csrf_token=CSRF_PLACEHOLDER)
        return render_to_string(template, context)

    html = cached_text(request, name, build, role=role, per_user=per_user)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308

"""Cached page parts (the plan tree, the timeline, the follow-up lists), never stale.

A part is cached under a key made of everything it varies on (plan, query string, role,
language, day, the user where a "mine" filter is on) and of the *data versions* it shows: one
random token per agreement, and one for what agreements share (users, the parties'
organisations). Every committed write to the project's models replaces the token of the
agreement it belongs to, or the shared one (model signals below, and `bump()` from bulk
writes that bypass signals). A changed plan therefore never finds its old rendering, and a
write in one agreement leaves every other agreement's cached parts valid: with 290 working
groups writing through the day, each group's pages stay cached between its own writes.

A part names the agreements it shows (`agreements=`); its key holds their tokens and the
shared one, read in one query (`versions()`). A part that shows several agreements (a user's
switcher, a dashboard listing successors) names them all. The tokens live in the database,
not in the cache, so every app server and worker sees a bump at once whatever cache backend
runs.

CSRF tokens are not cached: a part is rendered with a placeholder that is replaced by the
requesting user's token on the way out.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "__pitebra_csrf_placeholder__"
# The apps whose models' writes change what cached parts show.
WATCHED_APPS = {"plans", "followup", "pitebra"}
# Rows no cached part shows: the versions themselves, the data-protection logs (closing an
# account bumps the shared version itself, since it rewrites rows of every agreement), and the
# worker's job rows (a draft's rendering must not change the key it was rendered under).
NOT_SHOWN = {"dataversion", "erasure", "thinninglog", "reportrendering", "importjob"}
SHARED = "shared"
TIMEOUT = 60 * 60


def scope_of(agreement) -> str:
    """The version name of an agreement (an Agreement or its id)."""
    return f"agreement:{getattr(agreement, 'pk', agreement)}"


class _Pending:
    """The versions a transaction has changed, written once it commits."""

    def __init__(self):
        self.scopes: set[str] = set()
        self.agreement_of: dict[tuple, int | None] = {}  # (model, pk) → agreement id
        self.done = False

    def __call__(self):
        self.done = True
        _write_tokens(self.scopes)


def _pending(create=False) -> _Pending | None:
    """This transaction's pending versions, None outside one or when it has written nothing.

    Found through the on-commit callback itself: a rolled-back transaction or savepoint drops
    the callback, and with it what it would have bumped.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _Pending() if create else None
    for _ids, func, *_rest in connection.run_on_commit:
        if isinstance(func, _Pending) and not func.done:
            return func
    if not create:
        return None
    pending = _Pending()
    transaction.on_commit(pending)
    return pending


def _write_tokens(scopes) -> None:
    from .models import DataVersion

    if not scopes:
        return
    token = secrets.token_hex(16)
    # One upsert: no version row is read or locked before, so writers never queue on it.
    DataVersion.objects.bulk_create(
        [DataVersion(scope=scope, token=token) for scope in sorted(scopes)],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )


def bump(*agreements, shared=False) -> None:
    """New data versions for these agreements (Agreement or id), and the shared one if asked.

    Without arguments, the shared version: every cached part keys on it, so that is every
    part (for bulk writes across agreements, such as the demo data).

    Written once the current transaction commits (at once outside one), and only once per
    transaction however many rows it writes: a version row is never locked inside a writer's
    transaction, so writers do not queue behind each other or deadlock on it. A rolled-back
    transaction changes nothing, so it bumps nothing. A request that reads the versions
    between the commit and the bump renders the new data under the old token: a newer page
    than the key says, never an older one.
    """
    scopes = {scope_of(a) for a in agreements if a is not None}
    if shared or not agreements:
        scopes.add(SHARED)
    _add(scopes)


def bump_for(*instances) -> None:
    """New versions for whatever these saved rows belong to (after a bulk write or update)."""
    pending = _pending(create=True)
    _add(set().union(*(scopes_for(obj, pending) for obj in instances)))


def bump_rows(model, pks) -> None:
    """New versions for whatever the rows of `model` with these ids belong to."""
    pending = _pending(create=True)
    _add(set().union(*(_scopes_of_row(model, pk, pending) for pk in pks)))


def _add(scopes) -> None:
    pending = _pending(create=True)
    if not transaction.get_connection().in_atomic_block:
        _write_tokens(scopes)
        return
    pending.scopes |= scopes


def versions(agreements=()) -> str | None:
    """The tokens of these agreements and the shared one, as one string for a cache key.

    None while this connection holds writes not yet committed: those writes are not what
    other requests see, and the tokens that mark them are only written after the commit, so
    a part rendered now is neither read from nor put in the cache.
    """
    from .models import DataVersion

    if _pending() is not None:
        return None
    names = [SHARED, *sorted({scope_of(a) for a in agreements})]
    tokens = dict(DataVersion.objects.filter(scope__in=names).values_list("scope", "token"))
    return ";".join(f"{name}={tokens.get(name, '0')}" for name in names)


def agreements_with_versions(queryset, *fields):
    """([row of `fields`…], versions) of these agreements in one query: the rows, and the
    versions string of them and the shared one as `versions()` gives it (None inside
    uncommitted writes, as there). For a page that first asks which agreements it shows."""
    from django.db.models import CharField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Concat

    from .models import DataVersion

    if _pending() is not None:
        return list(queryset.values_list(*fields)), None
    scope = Concat(Value("agreement:"), Cast(OuterRef("pk"), CharField()))
    token = DataVersion.objects.filter(scope=scope).values("token")[:1]
    shared = DataVersion.objects.filter(scope=SHARED).values("token")[:1]
    found = list(
        queryset.annotate(version_token=Subquery(token), shared_token=Subquery(shared))
        .order_by("pk")
        .values_list("pk", "version_token", "shared_token", *fields)
    )
    if not found:
        return [], versions([])
    tokens = {scope_of(pk): token or "0" for pk, token, _shared, *_row in found}
    names = [SHARED, *sorted(tokens)]
    tokens[SHARED] = found[0][2] or "0"
    version = ";".join(f"{name}={tokens[name]}" for name in names)
    return [tuple(row) for _pk, _token, _shared, *row in found], version


def data_version(agreement=None) -> str | None:
    """The version an agreement's parts key on; without one, every version of the installation.

    The whole installation's version (every row) is for tests and diagnostics: it changes on
    any write anywhere. Cached parts read only the versions they show.
    """
    from .models import DataVersion

    if agreement is not None:
        return versions([agreement])
    if _pending() is not None:
        return None
    rows = DataVersion.objects.order_by("scope").values_list("scope", "token")
    return ";".join(f"{scope}={token}" for scope, token in rows) or "0"


# Which version a write changes ----------------------------------------------------------


def shared_models():
    """Rows every agreement may show: their writes bump the shared version."""
    from django.contrib.auth import get_user_model

    from .models import LocalPoliceArea, Municipality, Organisation, PoliceRegion

    # The national register (municipalities, police regions and areas) changes only with a
    # migration or an operator's correction: rare writes every agreement may show.
    return {get_user_model(), Organisation, Municipality, PoliceRegion, LocalPoliceArea}


def _agreement_id(model, pk, pending) -> int | None:
    """The agreement a stored row belongs to (one query per row, remembered per transaction)."""
    from .models import Agreement
    from .permissions import agreement_path

    if model is Agreement:
        return pk
    key = (model, pk)
    if key not in pending.agreement_of:
        path = agreement_path(model)
        pending.agreement_of[key] = (
            model._base_manager.filter(pk=pk).values_list(f"{path}__pk", flat=True).first()
        )
    return pending.agreement_of[key]


def scopes_for(instance, pending=None) -> set[str]:
    """The versions a write of `instance` changes: its agreement's, or the shared one.

    Resolved from the row's first foreign key on the way to its agreement, so a transaction
    that writes a thousand activities of one strategy asks the database once.
    """
    from .models import Agreement
    from .permissions import agreement_path

    pending = pending or _Pending()
    model = type(instance)._meta.concrete_model
    if model in shared_models():
        return {SHARED}
    if model is Agreement:
        # A successor is listed on its predecessor's dashboard.
        return {scope_of(a) for a in (instance.pk, instance.previous_id) if a}
    try:
        path = agreement_path(model)
    except ImproperlyConfigured:
        return {SHARED}  # not tied to one agreement: every part may show it
    first = model._meta.get_field(path.split("__")[0])
    related_id = getattr(instance, first.attname)
    if related_id is None:
        return {SHARED}
    if first.related_model is Agreement:
        return {scope_of(related_id)}
    found = _agreement_id(first.related_model, related_id, pending)
    return {scope_of(found)} if found else {SHARED}


def watches(model) -> bool:
    """Whether a write to `model` bumps a data version (the registry the tests walk)."""
    meta = getattr(model, "_meta", None)
    if meta is None or meta.app_label not in WATCHED_APPS:
        return False
    return not (meta.model_name in NOT_SHOWN or meta.model_name.startswith("historical"))


def _on_save_or_delete(sender, instance, **kwargs):
    if not watches(sender) or kwargs.get("raw"):
        return
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return  # a login changes nothing a page shows
    # pre_delete: the row and the rows above it are still there to say which agreement.
    pending = _pending(create=True)
    _add(scopes_for(instance, pending))


def _on_m2m(sender, instance, action, model, pk_set, **kwargs):
    if not action.startswith("post_") or not (watches(type(instance)) or watches(model)):
        return
    # A link between a user and a meeting belongs to the meeting's agreement: the shared
    # version changes only when neither side belongs to one, or a clear from the shared
    # side leaves no trace of the rows it held.
    pending = _pending(create=True)
    scopes = scopes_for(instance, pending) - {SHARED}
    for pk in pk_set or ():
        scopes |= _scopes_of_row(model, pk, pending) - {SHARED}
    _add(scopes or {SHARED})


def _scopes_of_row(model, pk, pending) -> set[str]:
    from .models import Agreement
    from .permissions import agreement_path

    if model is Agreement:
        return {scope_of(pk)}
    if model in shared_models():
        return {SHARED}
    try:
        agreement_path(model)
    except ImproperlyConfigured:
        return {SHARED}
    found = _agreement_id(model, pk, pending)
    return {scope_of(found)} if found else {SHARED}


def connect() -> None:
    post_save.connect(_on_save_or_delete, dispatch_uid="pagecache-save")
    pre_delete.connect(_on_save_or_delete, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


# Cached parts ----------------------------------------------------------------------------


def cached_text(
    request, name, build, *, agreements=None, role="", per_user=False, vary="", version=""
):
    """`build()` (a string), from the cache while the data and everything it varies on hold.

    `agreements`: the agreements whose data the text shows (Agreement or id); None (a page
    across agreements, such as the public index) keys on every version of the installation.
    `per_user`: the text lists the user's own things; `vary`: what else it depends on, where
    that is narrower than the user (users who share it share the cached text). `version`:
    the versions string the caller already has (`agreements_with_versions`), None for none.
    """
    if version == "":
        version = data_version() if agreements is None else versions(agreements)
    if version is None:
        return build()
    parts = [
        version,
        request.get_full_path(),
        str(role),
        timezone.localdate().isoformat(),
        str(request.user.pk) if per_user else "",
        str(vary),
    ]
    return cached_by_key(name, parts, build)


def cached_by_key(name, parts, build):
    """`build()` under a key of `name`, the language and `parts` (which must hold the versions
    the text shows: a caller that has none, inside uncommitted writes, calls `build()`)."""
    raw = "\x1f".join([name, get_language() or "", *map(str, parts)])
    key = "pitebra:part:" + hashlib.sha256(raw.encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        text = build()
        cache.set(key, text, TIMEOUT)
    return text


def with_csrf(request, html):
    """A cached part's text with the requesting user's CSRF token in place of the placeholder.

    While a whole page is rendered for the cache (`request.pitebra_defer_csrf`: the login
    page, `navigation.cached_page`), the parts inside it keep the placeholder (and the
    header the user's name): the page puts in each visitor's own on the way out."""
    if getattr(request, "pitebra_defer_csrf", False):
        return mark_safe(html)  # noqa: S308 – a rendered template
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def memberships_with_labels(user):
    """The user's working groups as (agreement id, role, label), by agreement, in one query:
    what the header and an agreement's tabs key on. The label is what they show of the
    agreement (its short name, title and municipality), so a write to an activity leaves them
    cached while a renamed agreement renews them.

    None inside uncommitted writes (as `versions()`): a label read there may never commit.
    """
    from .models import Membership

    if _pending() is not None:
        return None
    rows = (
        Membership.objects.filter(user=user)
        .order_by("agreement_id")
        .values_list(
            "agreement_id",
            "role",
            "agreement__short_name",
            "agreement__title",
            "agreement__municipality__name",
        )
    )
    return [(pk, role, "\x1e".join(map(str, label))) for pk, role, *label in rows]


def cached_part(
    request,
    name,
    template,
    context_fn,
    *,
    agreements=None,
    role="",
    per_user=False,
    vary="",
    version="",
):
    """The rendered `template` for this request, from the cache when its data is unchanged.

    `context_fn` builds the context (the queries) only on a miss.
    """

    def build():
        context = context_fn()
        context.update(request=request, csrf_token=CSRF_PLACEHOLDER)
        return render_to_string(template, context)

    html = cached_text(
        request,
        name,
        build,
        agreements=agreements,
        role=role,
        per_user=per_user,
        vary=vary,
        version=version,
    )
    return with_csrf(request, html)

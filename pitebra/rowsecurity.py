"""The second lock, on PostgreSQL: row-level security on every agreement-owned table.

The application already starts every query from the user's agreements (`permissions.py`).
Beneath it, PostgreSQL itself shows a connection only the rows of the agreements named in the
transaction's setting `pitebra.agreements` ('1,2', or 'all' for the operator, the worker and
commands). No setting, no rows: a view that forgets its `filter()` still reads nothing of
another agreement. Policies are ENABLEd and FORCEd (the tables' owner obeys them too); only a
superuser or a role with BYPASSRLS passes them by, so the app must connect as a plain role.

- Each request: `RowScopeMiddleware` opens the request's transaction and sets, with
  `set_config(..., true)` (SET LOCAL), the user and the agreements of their working groups.
- The worker and commands: `PITEBRA_ROW_SCOPE=all` in their environment sets the scope for
  the session (an explicit choice in their unit, never a default). `migrate` names every
  agreement itself (pre_migrate): its data migrations must see the rows they change.
- SQLite (the embedded default) has no row-level security: nothing here runs there.

A table's policy names its agreement column, or its parent's visibility (an activity is
visible when its strategy is), so one rule follows every foreign key up to the agreement.
"""

import os
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_migrate

ALL = "all"
APPS = ("pitebra", "plans", "followup")
POLICY = "pitebra_agreement_scope"
# Rows every agreement may name (people, the parties): the application's rules guard them.
SHARED = {"pitebra.user", "pitebra.organisation", "pitebra.dataversion"}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION pitebra_all_agreements() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('pitebra.agreements', true), '') = 'all'
$$;
CREATE OR REPLACE FUNCTION pitebra_agreements() RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN coalesce(current_setting('pitebra.agreements', true), '') IN ('', 'all')
        THEN '{}'::bigint[]
        ELSE string_to_array(current_setting('pitebra.agreements', true), ',')::bigint[] END
$$;
CREATE OR REPLACE FUNCTION pitebra_public() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('pitebra.public', true), '') = 'on'
$$;
CREATE OR REPLACE FUNCTION pitebra_user() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT nullif(coalesce(current_setting('pitebra.user', true), ''), '')::bigint
$$;
"""


def active() -> bool:
    return connection.vendor == "postgresql" and settings.PITEBRA_ROW_SECURITY


def _agreement_step(model, agreement_label):
    """(column, parent model) of the first required foreign key on the way to the agreement.

    A history table's keys may be empty (its row outlives the parent): its rows are then
    hidden, which is the closed side to fail on.
    """
    # A history table's keys are all nullable; it follows the keys its model requires.
    original = _original(model)
    queue, seen = [(model, None)], {model}
    while queue:
        current, first = queue.pop(0)
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            if field.null and not (current is model and _required_in(original, field.name)):
                continue
            related = field.related_model
            step = first or (field.column, related)
            if related._meta.label_lower == agreement_label:
                return step
            if related not in seen:
                seen.add(related)
                queue.append((related, step))
    return None


def _original(model):
    """The model a history table records (`historicalactivity` → `activity`), or None; from
    the same registry, which is a migration's state when `install` runs."""
    name = model._meta.model_name
    if not name.startswith("historical"):
        return None
    try:
        return model._meta.apps.get_model(model._meta.app_label, name.removeprefix("historical"))
    except LookupError:
        return None


def _required_in(model, name) -> bool:
    if model is None:
        return False
    try:
        return not model._meta.get_field(name).null
    except FieldDoesNotExist:
        return False


def policies(apps, *, reading=False) -> dict[str, str]:
    """The policy expression of every agreement-owned table, by table name: what a scope may
    write, or (`reading`) read, which adds the agreements whose public page is on to a public
    page's request."""
    agreement = apps.get_model("pitebra", "Agreement")
    table = agreement._meta.db_table
    public = f" OR (pitebra_public() AND {{column}} IN (SELECT id FROM {table} WHERE public))"  # noqa: S608
    scope = (
        "(pitebra_all_agreements() OR {column} = ANY (pitebra_agreements())"
        + (public if reading else "")
        + ")"
    )
    # The agreement's own rows name their flag: a policy must not select from its own table.
    found = {table: scope.replace(public, " OR (pitebra_public() AND public)").format(column="id")}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if model is agreement or label in SHARED or not model._meta.managed:
                continue
            step = _agreement_step(model, "pitebra.agreement")
            if step is None:
                continue
            column, parent = step
            if parent is agreement:
                expression = scope.format(column=column)
            else:  # visible when its parent row is: the parent's own policy decides
                table, key = parent._meta.db_table, parent._meta.pk.column
                expression = f"({column} IN (SELECT {key} FROM {table}))"  # noqa: S608
            if label == "pitebra.membership":
                expression = f"({expression} OR user_id = pitebra_user())"
            found[model._meta.db_table] = expression
    return found


def install(apps, schema_editor) -> None:
    """Create or renew the functions and every table's policy (PostgreSQL only; idempotent)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        reading = policies(apps, reading=True)
        for table, expression in policies(apps).items():
            cursor.execute(
                f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
                f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
                f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
                f'CREATE POLICY {POLICY} ON "{table}" USING {reading[table]} '
                f"WITH CHECK {expression}"
            )


def set_scope(agreements, *, user=None, local=True) -> None:
    """Name the agreements this transaction (or, `local=False`, this session) may read."""
    value = agreements if agreements == ALL else ",".join(str(int(pk)) for pk in agreements)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pitebra.user', %s, %s), set_config('pitebra.agreements', %s, %s)",
            [str(user.pk) if user is not None else "", local, value, local],
        )


def scope_for_user(user):
    """'all' for the operator; else the agreements of the user's working groups."""
    if user.is_superuser and user.is_active:
        return ALL
    # Read under the user's own scope: the membership policy shows a user their own rows.
    set_scope([], user=user)
    # No ordering: the default one joins the agreements, which the scope does not show yet.
    return list(user.memberships.order_by().values_list("agreement_id", flat=True))


class RowScopeMiddleware:
    """Every request in one transaction that names the agreements its user may read.

    After authentication, so the user is known. An anonymous request names none: it reads no
    agreement's rows. The cost is a BEGIN/COMMIT and one query for the memberships.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not active():
            return self.get_response(request)
        # Inside a transaction already (a test's, or ATOMIC_REQUESTS), SET LOCAL would outlive
        # the request: the scope found is put back after it.
        found = _current_scope() if connection.in_atomic_block else None
        with transaction.atomic():
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                set_scope(scope_for_user(user), user=user)
            else:
                set_scope([])
            _set_public(request.path_info.startswith(_public_prefixes()))
            # SET LOCAL: the scope ends with the transaction, at the end of this request.
            response = self.get_response(request)
            if found is not None and not connection.needs_rollback:
                _restore_scope(found)
            return response


@contextmanager
def reading_as(user):
    """Inside a request, read what `user`'s own scope shows (their own memberships), then put
    the request's scope back: a sign-in through a provider asks, while still anonymous,
    whether the account it maps to belongs to a working group."""
    if not active():
        yield
        return
    found = _current_scope()
    set_scope([], user=user)
    try:
        yield
    finally:
        _restore_scope(found)


def _public_prefixes():
    from django.urls import reverse

    return (reverse("public:index"), reverse("offentligt:index"))


def _set_public(on):
    """A public page also reads the agreements whose public page is on (their published rows
    are what it shows; it writes nothing). Every other page: only the user's own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pitebra.public', %s, true)", ["on" if on else ""])


def _current_scope():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting('pitebra.user', true), ''), "
            "coalesce(current_setting('pitebra.agreements', true), ''), "
            "coalesce(current_setting('pitebra.public', true), '')"
        )
        return cursor.fetchone()


def _restore_scope(found):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pitebra.user', %s, true), "
            "set_config('pitebra.agreements', %s, true), set_config('pitebra.public', %s, true)",
            list(found),
        )


def _session_scope(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and os.environ.get("PITEBRA_ROW_SCOPE") == ALL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pitebra.agreements', 'all', false)")


def _migrate_scope(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """`migrate` reads and writes every agreement's rows: its data migrations would otherwise
    see none (and change nothing) when it runs as the app's role."""
    target = connections[using]
    if target.vendor == "postgresql":
        with target.cursor() as cursor:
            cursor.execute("SELECT set_config('pitebra.agreements', 'all', false)")


def connect() -> None:
    """The explicit scopes: PITEBRA_ROW_SCOPE=all in the worker's and commands' environment;
    every agreement for `migrate`."""
    connection_created.connect(_session_scope, dispatch_uid="pitebra-row-scope")
    pre_migrate.connect(_migrate_scope, dispatch_uid="pitebra-row-scope-migrate")

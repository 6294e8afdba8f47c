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
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_migrate

ALL = "all"
APPS = ("pitebra", "plans", "followup")
POLICY = "pitebra_agreement_scope"
# Rows every agreement may name (people, the parties): the application's rules guard them.
SHARED = {"pitebra.user", "pitebra.organisation", "pitebra.dataversion"}
# Facts of a municipality (`MunicipalityFactsQuerySet.of_municipality`): every agreement of the
# municipality reads and edits them, whichever of its agreements holds them.
MUNICIPALITY_FACTS = {"plans.source", "plans.indicator"}

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
CREATE OR REPLACE FUNCTION pitebra_enter(uid bigint, everything boolean, public boolean)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE found text := '';
BEGIN
    PERFORM set_config('pitebra.user', coalesce(uid::text, ''), true);
    PERFORM set_config('pitebra.agreements', '', true);
    PERFORM set_config('pitebra.public', CASE WHEN public THEN 'on' ELSE '' END, true);
    PERFORM set_config('pitebra.facts', '', true);
    IF everything THEN
        found := 'all';
    ELSIF uid IS NOT NULL THEN
        SELECT coalesce(string_agg(DISTINCT agreement_id::text, ','), '') INTO found
            FROM pitebra_membership WHERE user_id = uid;
        PERFORM pitebra_name_facts(found);
    END IF;
    PERFORM set_config('pitebra.agreements', found, true);
    RETURN found;
END
$$;
-- Facts describe a municipality: every agreement of it reads and edits the same ones, also
-- those held by a sibling agreement (its predecessor). The siblings are looked up once, as
-- the scope is set, with every agreement readable for that one statement.
CREATE OR REPLACE FUNCTION pitebra_name_facts(scope text, is_local boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE before text := coalesce(current_setting('pitebra.agreements', true), '');
DECLARE siblings text := '';
BEGIN
    IF scope IN ('', 'all') THEN
        PERFORM set_config('pitebra.facts', '', is_local);
        RETURN;
    END IF;
    PERFORM set_config('pitebra.agreements', 'all', true);
    SELECT coalesce(string_agg(DISTINCT sibling.id::text, ','), '') INTO siblings
        FROM pitebra_agreement own JOIN pitebra_agreement sibling
            ON sibling.municipality_id = own.municipality_id
        WHERE own.id = ANY (string_to_array(scope, ',')::bigint[]);
    PERFORM set_config('pitebra.agreements', before, true);
    PERFORM set_config('pitebra.facts', siblings, is_local);
END
$$;
CREATE OR REPLACE FUNCTION pitebra_fact_agreements() RETURNS bigint[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN coalesce(current_setting('pitebra.facts', true), '') = ''
        THEN '{}'::bigint[]
        ELSE string_to_array(current_setting('pitebra.facts', true), ',')::bigint[] END
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
    # A coordinator may start (and so read back) the successor of an agreement in their scope.
    found[table] = found[table][:-1] + " OR previous_id = ANY (pitebra_agreements()))"
    if reading:
        # The agreements that hold the municipality's facts: a fact's query joins its agreement
        # (`of_municipality`), so their own rows are read too (never written).
        found[table] = found[table][:-1] + " OR id = ANY (pitebra_fact_agreements()))"
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
                if label in MUNICIPALITY_FACTS:
                    expression = f"({expression} OR {column} = ANY (pitebra_fact_agreements()))"
            else:  # visible when its parent row is: the parent's own policy decides
                table, key = parent._meta.db_table, parent._meta.pk.column
                expression = f"({column} IN (SELECT {key} FROM {table}))"  # noqa: S608
            if label == "pitebra.membership":
                # Who belongs to which working group is read across agreements: the access
                # rules need it (a coordinator may not manage an account that is also in
                # another agreement). It names ids and roles, no agreement's content; writes
                # stay within the scope.
                expression = "(true)" if reading else f"({expression} OR user_id = pitebra_user())"
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


def _execute(sql, params=()):
    """A scope statement on the connection's own DB-API cursor: part of every request, like
    BEGIN, so not counted among a page's queries (the query budgets in the tests)."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def set_scope(agreements, *, user=None, local=True) -> None:
    """Name the agreements this transaction (or, `local=False`, this session) may read."""
    value = agreements if agreements == ALL else ",".join(str(int(pk)) for pk in agreements)
    _execute(
        "SELECT set_config('pitebra.user', %s, %s), set_config('pitebra.agreements', %s, %s)",
        [str(user.pk) if user is not None else "", local, value, local],
    )
    _execute("SELECT pitebra_name_facts(%s, %s)", [value, local])


def enter(user, *, public=False) -> str:
    """Scope this transaction to `user` in one round trip: 'all' for the operator, else the
    agreements of their working groups (read under their own scope, which shows a user their
    memberships); an anonymous user, none. `public`: also read public agreements."""
    if not active():
        return ""
    known = user is not None and user.is_authenticated
    everything = known and user.is_superuser and user.is_active
    return _execute(
        "SELECT pitebra_enter(%s, %s, %s)", [user.pk if known else None, everything, public]
    )[0]


def widen(*agreements) -> None:
    """Add agreements just made in this transaction (a successor) to its scope."""
    if not active():
        return
    _execute(
        "SELECT set_config('pitebra.agreements', CASE current_setting('pitebra.agreements', true)"
        " WHEN 'all' THEN 'all' ELSE concat_ws(',', nullif(current_setting('pitebra.agreements',"
        " true), ''), %s) END, true)",
        [",".join(str(int(a.pk if hasattr(a, "pk") else a)) for a in agreements)],
    )
    _execute("SELECT pitebra_name_facts(current_setting('pitebra.agreements', true))")


def scope_for_user(user):
    """'all' for the operator; else the agreements of the user's working groups."""
    scope = enter(user)
    return ALL if scope == ALL else [int(pk) for pk in scope.split(",") if pk]


class RowScopeMiddleware:
    """Every request in one transaction that names the agreements its user may read.

    After authentication, so the user is known. An anonymous request names none: it reads no
    agreement's rows. The cost is a BEGIN/COMMIT and one statement (`pitebra_enter`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not active() or request.path_info == _healthz():
            # /healthz answers 503 itself when the database does not.
            return self.get_response(request)
        public = request.path_info.startswith(_public_prefixes())
        request.row_scoped = True  # a login later in this request re-scopes it (rescope)
        if connection.in_atomic_block:
            # Inside a transaction already (a test's, or ATOMIC_REQUESTS): SET LOCAL would
            # outlive the request, so the scope found is put back after it.
            found = _current_scope()
            enter(getattr(request, "user", None), public=public)
            response = self.get_response(request)
            if not connection.needs_rollback:
                _restore_scope(found)
            return response
        with transaction.atomic():
            enter(getattr(request, "user", None), public=public)
            # SET LOCAL: the scope ends with the transaction, at the end of this request.
            return self.get_response(request)


def rescope(sender, request, user, **kwargs):
    """A login within a request (the password form, OIDC, SAML) scopes the rest of it to the
    user who logged in."""
    if active() and getattr(request, "row_scoped", False):
        enter(user, public=request.path_info.startswith(_public_prefixes()))


def _healthz():
    from django.urls import reverse

    return reverse("healthz")


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


def _current_scope():
    return _execute(
        "SELECT coalesce(current_setting('pitebra.user', true), ''), "
        "coalesce(current_setting('pitebra.agreements', true), ''), "
        "coalesce(current_setting('pitebra.public', true), ''), "
        "coalesce(current_setting('pitebra.facts', true), '')"
    )


def _restore_scope(found):
    _execute(
        "SELECT set_config('pitebra.user', %s, true), "
        "set_config('pitebra.agreements', %s, true), set_config('pitebra.public', %s, true), "
        "set_config('pitebra.facts', %s, true)",
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
    user_logged_in.connect(rescope, dispatch_uid="pitebra-row-scope-login")

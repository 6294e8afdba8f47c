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
  the session (an explicit choice in their unit, never a default).
- SQLite (the embedded default) has no row-level security: nothing here runs there.

A table's policy names its agreement column, or its parent's visibility (an activity is
visible when its strategy is), so one rule follows every foreign key up to the agreement.
"""

import os

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.signals import connection_created

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
    history = model._meta.model_name.startswith("historical")
    queue, seen = [(model, None)], {model}
    while queue:
        current, first = queue.pop(0)
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one):
                continue
            if field.null and not (history and current is model):
                continue
            related = field.related_model
            step = first or (field.column, related)
            if related._meta.label_lower == agreement_label:
                return step
            if related not in seen:
                seen.add(related)
                queue.append((related, step))
    return None


def policies(apps) -> dict[str, str]:
    """The policy expression of every agreement-owned table, by table name."""
    agreement = apps.get_model("pitebra", "Agreement")
    scope = "(pitebra_all_agreements() OR {column} = ANY (pitebra_agreements()))"
    found = {agreement._meta.db_table: scope.format(column="id")}
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
        for table, expression in policies(apps).items():
            cursor.execute(
                f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
                f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
                f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
                f'CREATE POLICY {POLICY} ON "{table}" USING {expression} WITH CHECK {expression}'
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
        with transaction.atomic():
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                set_scope(scope_for_user(user), user=user)
            else:
                set_scope([])
            # SET LOCAL: the scope ends with the transaction, at the end of this request.
            return self.get_response(request)


def _session_scope(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and os.environ.get("PITEBRA_ROW_SCOPE") == ALL:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pitebra.agreements', 'all', false)")


def connect() -> None:
    """The worker's and commands' explicit scope: PITEBRA_ROW_SCOPE=all in their environment."""
    connection_created.connect(_session_scope, dispatch_uid="pitebra-row-scope")

"""Every table's rows, taken once and written back: the demo without seeding it for each test.

`seed_demo` runs the whole demo through the ORM: seconds per test, and far more on a loaded
machine. The first test of a process that asks for the demo seeds it as before and the rows of
every table are kept in memory; each later test gets exactly those rows back, written in a few
statements inside its own transaction, which its rollback removes again as before. So each test
still sees the fresh demo, however the one before it changed the data.

PostgreSQL hands each table over as one JSON array and reads it back with
json_populate_recordset (each value through its type's own text form, so every type comes back
as it was; COPY FROM would be refused under row-level security). SQLite reads and inserts plain
rows. Sequences are moved past the copied ids, as `loaddata` does.
"""

import os

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from pitebra import pagecache

# Migrations are not data: a flush keeps them, and so does this.
KEPT = {"django_migrations"}


def _tables(connection, cursor):
    return sorted(set(connection.introspection.table_names(cursor)) - KEPT)


def take(connection):
    """The rows of every table, as {table: data} (JSON text on PostgreSQL, rows on SQLite)."""
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables(connection, cursor):
            if connection.vendor == "postgresql":
                cursor.execute(f"SELECT json_agg(t)::text FROM {quote(table)} t")  # noqa: S608 - names from introspection
                tables[table] = cursor.fetchone()[0]
            else:
                cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
                columns = [column[0] for column in cursor.description]
                tables[table] = (columns, cursor.fetchall())
    return tables


def restore(connection, tables):
    """Make every table hold exactly the rows `take` returned (foreign keys are checked at
    commit, or by the test case's constraint check, so the order does not matter)."""
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            # The audit trail refuses DELETE on PostgreSQL (security/migrations/0002) but to
            # its own thinning, which announces itself this way, for this transaction only.
            cursor.execute("SELECT set_config('pitebra.thinning', 'on', true)")
        for table in _tables(connection, cursor):
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
        if postgresql:
            cursor.execute("SELECT set_config('pitebra.thinning', 'off', true)")
        for table, data in sorted(
            tables.items(), key=lambda item: _parents_first().get(item[0], 0)
        ):
            if postgresql:
                if data:
                    cursor.execute(
                        f"INSERT INTO {quote(table)} "  # noqa: S608
                        f"SELECT * FROM json_populate_recordset(NULL::{quote(table)}, %s::json)",
                        [data],
                    )
                continue
            columns, rows = data
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    # The content types' ids are the snapshot's: a flush in between may have made others.
    ContentType.objects.clear_cache()


def _parents_first():
    """{table: rank}, a table after every table its foreign keys name: under row-level security
    a row's policy may look up its parent row (a council answer its question), so the parent
    must be back first. Tables of no model rank first."""
    ranks = {}

    def rank(model, seen=()):
        table = model._meta.db_table
        if table not in ranks:
            parents = [
                field.related_model
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model not in (model, *seen)
            ]
            ranks[table] = 1 + max((rank(p, (*seen, model)) for p in parents), default=0)
        return ranks[table]

    for model in apps.get_models(include_auto_created=True):
        rank(model)
    return ranks


# The demo's rows per (test database, day), taken after its first seeding in this process.
_DEMO_ROWS = {}


def load_demo(today):
    """The demo as on `today` (None: the clock's day), in one transaction (a test's own, rolled
    back after it, or committed for a live server): seeded the first time in this process, the
    same rows written back every later time, replacing whatever the tables held. A test asks
    for it before any fixture that writes."""
    key = (connection.settings_dict["NAME"], today)
    with transaction.atomic():
        if key not in _DEMO_ROWS:
            call_command("seed_demo", force=True, today=today, stdout=open(os.devnull, "w"))  # noqa: SIM115
            _DEMO_ROWS[key] = take(connection)
            return
        restore(connection, _DEMO_ROWS[key])
        pagecache.bump()  # as seed_demo does: the rows came in bulk, without signals

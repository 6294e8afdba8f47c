"""The second lock: PostgreSQL's row-level security holds where the application's scoping fails.

The suite connects as a superuser, which row-level security never stops (FORCE included). Here
each request runs as a plain role without BYPASSRLS (`SET ROLE pitebra_app`), as the app must
connect in production, with the request scoping on (PITEBRA_ROW_SECURITY). PostgreSQL only.
"""

from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from django.shortcuts import get_object_or_404
from django.test import override_settings
from django.urls import reverse

from pitebra import rowsecurity
from pitebra.models import Agreement, Membership

from ..factories import (
    make_activity,
    make_agreement,
    make_goal,
    make_member,
    make_plan,
    make_strategy,
)

ROLE = "pitebra_app"
YEAR = 2025

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def app_role(db):
    """The app's role: no superuser, no BYPASSRLS, the rights on the tables the app needs."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
            f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$; "
            f"GRANT USAGE ON SCHEMA public TO {ROLE}; "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}; "
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROLE};"
        )
    return ROLE


class As:
    """Run requests and queries as the app's role, with the request scoping on."""

    def __enter__(self):
        self.settings = override_settings(PITEBRA_ROW_SECURITY=True)
        self.settings.enable()
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {ROLE}")
        return self

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        self.settings.disable()


@pytest.fixture
def two(app_role):
    made = {}
    for name in ("A", "B"):
        agreement = make_agreement(title=f"Överenskommelse {name}")
        plan = make_plan(agreement, YEAR)
        make_activity(make_strategy(make_goal(plan)), title=f"Hemlig aktivitet {name}")
        user = make_member(agreement, Membership.Role.COORDINATOR, username=f"samordnare{name}")
        made[name] = {"agreement": agreement, "user": user}
    return made


def _unscoped(user, pk, *, required=None):
    """The application's scoping turned off: the agreement looked up by its id alone."""
    return get_object_or_404(Agreement.objects.all(), pk=pk), Membership.Role.COORDINATOR


def test_own_agreement_is_readable_as_the_app_role(client, two):
    client.force_login(two["A"]["user"])
    with As():
        response = client.get(reverse("plans:plan-detail", args=[two["A"]["agreement"].pk, YEAR]))
    assert response.status_code == 200
    assert "Hemlig aktivitet A" in response.content.decode()


def test_a_view_without_its_scoping_still_reads_nothing_of_another_agreement(client, two):
    """With `get_agreement_for` replaced by a lookup by id alone, the app would open B's plan
    to A's coordinator; PostgreSQL answers as if B did not exist."""
    client.force_login(two["A"]["user"])
    url = reverse("plans:plan-detail", args=[two["B"]["agreement"].pk, YEAR])
    with mock.patch("pitebra.permissions.get_agreement_for", _unscoped), As():
        response = client.get(url)
    assert response.status_code == 404
    assert "Hemlig aktivitet B" not in response.content.decode()


def test_without_the_policies_the_same_view_leaks(client, two):
    """The test above holds because of the policies: dropped, the unscoped view shows B."""
    client.force_login(two["A"]["user"])
    url = reverse("plans:plan-detail", args=[two["B"]["agreement"].pk, YEAR])
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block ALTER TABLE
        for table in rowsecurity.policies(apps):
            cursor.execute(f'DROP POLICY {rowsecurity.POLICY} ON "{table}"')
            cursor.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    with mock.patch("pitebra.permissions.get_agreement_for", _unscoped), As():
        response = client.get(url)
    assert response.status_code == 200
    assert "Hemlig aktivitet B" in response.content.decode()


def test_no_scope_reads_no_agreements_rows(two):
    """Fail closed: a connection of the app's role that names no agreements sees no rows of
    any agreement-owned table, though every one of these tables has rows."""
    tables = rowsecurity.policies(apps)
    with As(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pitebra.agreements', '', true)")
        for table in ["pitebra_agreement", "plans_activity", "plans_goal", "plans_strategy"]:
            assert table in tables
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 – our table names
            assert cursor.fetchone()[0] == 0, table
    with connection.cursor() as cursor:  # with every agreement named: the rows are there
        cursor.execute("SELECT set_config('pitebra.agreements', 'all', true)")
        cursor.execute('SELECT count(*) FROM "plans_activity"')
        assert cursor.fetchone()[0] == 2


def test_an_anonymous_request_reads_no_agreements_rows(client, two):
    """The login page runs with an empty scope: a query it made would find nothing."""
    seen = {}

    def spy(request):
        seen["agreements"] = Agreement.objects.count()
        from django.http import HttpResponse

        return HttpResponse("ok")

    with As():
        middleware = rowsecurity.RowScopeMiddleware(spy)
        from django.contrib.auth.models import AnonymousUser
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        middleware(request)
    assert seen["agreements"] == 0


def test_a_scope_cannot_write_into_another_agreement(two):
    from django.db import DatabaseError, transaction

    from plans.models import Goal

    plan_b = two["B"]["agreement"].plans.get()
    with As():
        rowsecurity.set_scope([two["A"]["agreement"].pk])
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Goal.objects.create(plan_id=plan_b.pk, title="Inskjutet mål", position=9)


def test_every_agreement_owned_table_has_forced_row_security(two):
    """Registry-driven: every model tied to an agreement has its table's policy, enabled and
    forced, after migrate (a table added tomorrow included)."""
    tables = rowsecurity.policies(apps)
    assert len(tables) >= 30
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
            "AND relname = ANY(%s)",
            [list(tables)],
        )
        forced = {row[0] for row in cursor.fetchall()}
    assert forced == set(tables)


def test_the_worker_names_its_scope_explicitly(two, monkeypatch):
    """A process started with PITEBRA_ROW_SCOPE=all (the worker's unit) reads every agreement;
    without it, a connection of the app's role reads none."""
    with As(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pitebra.agreements', '', true)")
        monkeypatch.delenv("PITEBRA_ROW_SCOPE", raising=False)
        rowsecurity._session_scope(None, connection)
        cursor.execute('SELECT count(*) FROM "pitebra_agreement"')
        assert cursor.fetchone()[0] == 0
        monkeypatch.setenv("PITEBRA_ROW_SCOPE", "all")
        rowsecurity._session_scope(None, connection)
        cursor.execute('SELECT count(*) FROM "pitebra_agreement"')
        assert cursor.fetchone()[0] == 2


def test_an_activity_without_a_risk_period_is_saved_with_its_history(two):
    """A history table's keys are all nullable: its policy follows the key its model requires
    (the strategy), not the first one (the risk period, empty here), or the save would fail."""
    from plans.models import Activity

    activity = Activity.objects.get(title="Hemlig aktivitet A")
    assert activity.risk_period_id is None
    with As():
        rowsecurity.set_scope([two["A"]["agreement"].pk])
        activity.title = "Ändrad aktivitet A"
        activity.save()
        assert activity.history.filter(title="Ändrad aktivitet A").exists()


def test_a_request_inside_a_transaction_leaves_the_scope_it_found(client, two):
    """A test's (or ATOMIC_REQUESTS') transaction outlives the request: the request's SET
    LOCAL must not narrow what the code after it reads."""
    client.force_login(two["A"]["user"])
    with As():
        rowsecurity.set_scope(rowsecurity.ALL)
        response = client.get(reverse("plans:plan-detail", args=[two["A"]["agreement"].pk, YEAR]))
        assert response.status_code == 200
        assert Agreement.objects.count() == 2


def test_migrate_names_every_agreement(two):
    """`migrate` runs as the app's role too: its data migrations must see every row."""
    with As(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pitebra.agreements', '', true)")
        assert Agreement.objects.count() == 0
        rowsecurity._migrate_scope(None, using=connection.alias)
        assert Agreement.objects.count() == 2


def test_a_public_page_reads_the_public_agreements_and_no_other(client, two):
    """Anonymous visitors read a public agreement's public page; a page of an agreement whose
    public page is off stays a 404, and outside the public pages nothing is read."""
    agreement_a = two["A"]["agreement"]
    Agreement.objects.filter(pk=agreement_a.pk).update(public=True)
    seen = {}

    def spy(request):
        from django.http import HttpResponse

        seen[request.path] = Agreement.objects.count()
        return HttpResponse("ok")

    with As():
        response = client.get(reverse("public:agreement", args=[agreement_a.pk]))
        assert response.status_code == 200
        assert agreement_a.municipality.name in response.content.decode()
        assert (
            client.get(reverse("public:agreement", args=[two["B"]["agreement"].pk])).status_code
            == 404
        )
        from django.contrib.auth.models import AnonymousUser
        from django.test import RequestFactory

        for path in [reverse("public:index"), "/"]:
            request = RequestFactory().get(path)
            request.user = AnonymousUser()
            rowsecurity.RowScopeMiddleware(spy)(request)
    assert seen == {reverse("public:index"): 1, "/": 0}


def test_memberships_are_read_across_agreements_and_written_only_within_the_scope(two):
    """The access rules need to see that an account is also in another agreement (no takeover
    of it by one agreement's coordinator); a scope still cannot add anyone to another one."""
    from django.db import DatabaseError, transaction

    with As():
        rowsecurity.set_scope([two["A"]["agreement"].pk])
        assert Membership.objects.filter(user=two["B"]["user"]).count() == 1
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Membership.objects.create(
                agreement=two["B"]["agreement"], user=two["A"]["user"], role="member"
            )

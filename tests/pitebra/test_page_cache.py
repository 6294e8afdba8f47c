"""Cached page parts are never stale: every kind of change shows at once, and nothing of one
user (CSRF token, the "mine" filter) reaches another.

These tests commit for real (`transaction=True`): the data version is bumped after a commit,
so a test inside one rolled-back transaction could not see a bump happen. One module past
300 lines: one fixture (a plan every page shows) and one test per kind of change.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pitebra import pagecache
from pitebra.models import DataVersion, Membership, PriorityArea
from plans.models import Activity, StatusUpdate
from plans.services.status import activity_save

from ..factories import (
    make_activity,
    make_evaluation,
    make_goal,
    make_log_entry,
    make_member,
    make_plan,
    make_priority_area,
    make_promise,
    make_strategy,
)

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tree(agreement):
    plan = make_plan(agreement, TODAY.year)
    goal = make_goal(plan, title="Tryggare centrum")
    strategy = make_strategy(goal, title="Fler vuxna ute")
    activity = make_activity(
        strategy,
        title="Nattvandring i centrum",
        start=TODAY - datetime.timedelta(days=100),
        status=Activity.Status.ONGOING,
    )
    return plan, goal, strategy, activity


def url(plan, name):
    return reverse(name, args=[plan.agreement_id, plan.year])


PAGES = ["plans:plan-detail", "plans:plan-timeline", "followup:followup-year"]


def page(client, plan, name):
    response = client.get(url(plan, name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def seen(client, member, tree):
    """The member has loaded every page once: all of them are cached now."""
    client.force_login(member)
    for name in PAGES:
        page(client, tree[0], name)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_activity_change_shows_at_once(seen, tree, name):
    plan, _goal, _strategy, activity = tree
    assert "Nattvandring i centrum" in page(seen, plan, name)
    activity.title = "Kvällsvandring vid torget"
    activity.save()
    html = page(seen, plan, name)
    assert "Kvällsvandring vid torget" in html
    assert "Nattvandring i centrum" not in html


@pytest.mark.parametrize("name", ["plans:plan-detail", "plans:plan-timeline"])
def test_goal_change_shows_at_once(seen, tree, name):
    plan, goal, _strategy, _activity = tree
    goal.title = "Ett levande torg"
    goal.save()
    assert "Ett levande torg" in page(seen, plan, name)


def test_strategy_change_shows_at_once(seen, tree):
    plan, _goal, strategy, _activity = tree
    strategy.title = "Belysning i gångtunnlar"
    strategy.save()
    assert "Belysning i gångtunnlar" in page(seen, plan, "plans:plan-detail")


def test_new_activity_and_deletion_show_at_once(seen, tree):
    plan, _goal, strategy, activity = tree
    extra = make_activity(strategy, title="Föräldramöte i Öjebyn")
    assert "Föräldramöte i Öjebyn" in page(seen, plan, "plans:plan-detail")
    extra.delete()
    activity.delete()
    html = page(seen, plan, "plans:plan-detail")
    assert "Föräldramöte i Öjebyn" not in html
    assert "Nattvandring i centrum" not in html


@pytest.mark.parametrize("name", PAGES)
def test_status_change_from_the_plan_shows_at_once(seen, tree, name):
    plan, _goal, _strategy, activity = tree
    assert "pb-status-done" not in page(seen, plan, name)
    response = seen.post(
        reverse("followup:activity-status", args=[plan.agreement_id, activity.pk]),
        {"status": "done", "traffic_light": "green", "comment": "Klart i maj"},
    )
    assert response.status_code == 302
    assert StatusUpdate.objects.filter(activity=activity).exists()
    assert "pb-status-done" in page(seen, plan, name)


def test_log_entry_shows_at_once(seen, tree):
    plan, _goal, _strategy, activity = tree
    assert "tag-stale" in page(seen, plan, "followup:followup-year")
    make_log_entry(activity, date=TODAY)
    assert "tag-stale" not in page(seen, plan, "followup:followup-year")


def test_evaluation_shows_at_once(seen, tree):
    plan, _goal, _strategy, activity = tree
    activity.status = Activity.Status.DONE
    activity.end = TODAY - datetime.timedelta(days=1)
    activity_save(activity=activity, by=None)
    assert "tag-unevaluated" in page(seen, plan, "followup:followup-year")
    make_evaluation(activity)
    assert "tag-unevaluated" not in page(seen, plan, "followup:followup-year")


def test_promise_shows_at_once(seen, tree):
    plan = tree[0]
    promise = make_promise(plan, promise="Polisen syns på torget varje fredag")
    assert "Polisen syns på torget varje fredag" in page(seen, plan, "followup:followup-year")
    promise.promise = "Polisen syns vid skolan varje måndag"
    promise.save()
    html = page(seen, plan, "followup:followup-year")
    assert "Polisen syns vid skolan varje måndag" in html
    assert "Polisen syns på torget" not in html


def test_responsible_organisation_rename_shows_at_once(seen, tree):
    plan, _goal, _strategy, activity = tree
    organisation = activity.responsible_organisation
    organisation.name = "Nya kommunen"
    organisation.save()
    assert "<td>Nya kommunen" in page(seen, plan, "plans:plan-detail")


def test_membership_change_is_a_new_data_version_and_access_is_checked_first(seen, member, tree):
    plan = tree[0]
    before = pagecache.data_version()
    membership = Membership.objects.get(user=member, agreement=plan.agreement)
    membership.role = Membership.Role.READER
    membership.save()
    assert pagecache.data_version() != before
    assert seen.get(url(plan, "plans:plan-detail")).status_code == 403
    membership.delete()
    assert seen.get(url(plan, "plans:plan-detail")).status_code == 404


def test_move_by_update_is_a_new_data_version(seen, tree):
    plan, _goal, strategy, activity = tree
    make_activity(strategy, title="Andra aktiviteten")
    html = page(seen, plan, "plans:plan-detail")
    assert html.index("Nattvandring i centrum") < html.index("Andra aktiviteten")
    response = seen.post(
        reverse("plans:item-move", args=[plan.agreement_id, "activity", activity.pk]),
        {"direction": "down"},
    )
    assert response.status_code == 302
    html = page(seen, plan, "plans:plan-detail")
    assert html.index("Andra aktiviteten") < html.index("Nattvandring i centrum")


def test_csrf_token_is_each_users_own(seen, agreement, tree):
    """A part cached for one user carries the requesting user's token, never the first one's."""
    plan, _goal, _strategy, activity = tree
    other = make_member(agreement, Membership.Role.MEMBER, username="annan")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(other)
    html = page(strict, plan, "plans:plan-detail")
    assert pagecache.CSRF_PLACEHOLDER not in html
    first = page(seen, plan, "plans:plan-detail")
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert tokens and tokens.isdisjoint(
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first)
    )
    response = strict.post(
        reverse("followup:activity-status", args=[plan.agreement_id, activity.pk]),
        {
            "csrfmiddlewaretoken": tokens.pop(),
            "status": "done",
            "traffic_light": "",
            "comment": "Klart",
        },
    )
    assert response.status_code == 302


def test_mine_filter_is_never_shared(agreement, tree):
    plan, _goal, strategy, _activity = tree
    first = make_member(agreement, Membership.Role.MEMBER, username="forsta")
    second = make_member(agreement, Membership.Role.MEMBER, username="andra")
    make_activity(strategy, title="Förstas egen aktivitet", contact_user=first)
    clients = {}
    for user in (first, second):  # both logged in before either page is cached
        clients[user] = Client()
        clients[user].force_login(user)
    mine = url(plan, "plans:plan-detail") + "?mine=on"
    assert "Förstas egen aktivitet" in clients[first].get(mine).content.decode()
    assert "Förstas egen aktivitet" not in clients[second].get(mine).content.decode()


def test_language_is_part_of_the_key(seen, tree):
    plan = tree[0]
    swedish = page(seen, plan, "plans:plan-detail")
    seen.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(seen, plan, "plans:plan-detail")
    assert "Change status" in english
    assert "Change status" not in swedish


def test_report_draft_shows_a_change_at_once(seen, agreement, tree):
    plan, _goal, _strategy, activity = tree
    agreement.last_year = plan.year
    agreement.save()
    document = reverse("followup:report-preview-document", args=[plan.agreement_id, plan.year])
    assert "Nattvandring i centrum" in seen.get(document).content.decode()
    activity.title = "Kvällsvandring vid torget"
    activity.save()
    html = seen.get(document).content.decode()
    assert "Kvällsvandring vid torget" in html
    assert "Nattvandring i centrum" not in html


def _version_queries(queries):
    return [q["sql"] for q in queries if "pitebra_dataversion" in q["sql"]]


def test_a_transaction_bumps_once_after_commit_and_never_locks_the_version_row(tree):
    """Writers do not queue on the version row: nothing touches it until they commit, and a
    transaction of many writes bumps it once."""
    plan, _goal, strategy, activity = tree
    before = pagecache.data_version()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for n in range(5):
            make_activity(strategy, title=f"Aktivitet {n}")
        activity.title = "Ändrad i samma transaktion"
        activity.save()
        assert _version_queries(queries) == []
        assert pagecache.data_version() is None  # uncommitted: the cache is not used
    writes = [sql for sql in _version_queries(queries) if not sql.lstrip().startswith("SELECT")]
    assert len(writes) == 1
    assert pagecache.data_version() not in (None, before)


def test_a_rolled_back_change_bumps_nothing_and_is_never_cached(seen, tree):
    plan, _goal, _strategy, activity = tree
    before = pagecache.data_version()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        activity.title = "Aldrig sparad titel"
        activity.save()
        # Rendered inside the transaction: this request sees its own write, the cache not.
        assert "Aldrig sparad titel" in page(seen, plan, "plans:plan-detail")
        raise Undo
    assert pagecache.data_version() == before
    html = page(seen, plan, "plans:plan-detail")
    assert "Aldrig sparad titel" not in html
    assert "Nattvandring i centrum" in html


def test_an_unchanged_page_comes_from_the_cache(seen, tree):
    plan = tree[0]
    with CaptureQueriesContext(connection) as queries:
        page(seen, plan, "plans:plan-detail")
    assert not [q for q in queries if "plans_activity" in q["sql"]]


def test_dashboard_shows_a_status_change_a_member_and_the_cycle_at_once(client, member, agreement):
    """The dashboard is cached whole (glance, cycle, working group): each shows a change."""
    from pitebra.models import StepStatus

    plan = make_plan(agreement, 2025)
    activity = make_activity(make_strategy(make_goal(plan)), title="Skolvägar")
    client.force_login(member)
    dashboard = reverse("agreement-detail", args=[agreement.pk]) + "?year=2025"

    def show():
        response = client.get(dashboard)
        assert response.status_code == 200
        return response.content.decode()

    html = show()
    assert "Planerad: 1" in html
    assert "Klart: 1" not in html
    activity.status = Activity.Status.DONE
    activity_save(activity=activity, by=None)
    html = show()
    assert "Klart: 1" in html
    assert "Planerad: 1" not in html

    make_member(agreement, Membership.Role.MEMBER, username="nyinkommen")
    assert "nyinkommen" in show()

    before = show()
    StepStatus.objects.create(
        agreement=agreement, year=2025, step=StepStatus.Step.FACTS, state=StepStatus.State.DONE
    )
    assert show() != before


def _tables_read_by_cached_parts(client, monkeypatch, urls):
    """The tables every cached part queries while it is built (a miss: the cache is cleared)."""
    read = set()
    original = pagecache.cached_text

    def capturing(request, name, build, **kwargs):
        def build_and_watch():
            with CaptureQueriesContext(connection) as queries:
                text = build()
            for query in queries:
                read.update(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"]))
            return text

        return original(request, name, build_and_watch, **kwargs)

    monkeypatch.setattr(pagecache, "cached_text", capturing)
    cache.clear()
    for address in urls:
        assert client.get(address).status_code == 200, address
    return read


def test_every_model_a_cached_part_shows_is_watched(client, member, agreement, monkeypatch):
    """Derived from the parts themselves: a model whose rows a part renders and whose writes
    do not bump the data version would leave that part stale (e.g. a renamed priority area)."""
    area = make_priority_area(agreement, name="Trygg stadskärna")
    plan = make_plan(agreement, TODAY.year)
    agreement.last_year = plan.year
    agreement.save()
    activity = make_activity(
        make_strategy(make_goal(plan, priority_area=area)), status=Activity.Status.ONGOING
    )
    make_log_entry(activity, date=TODAY)
    make_evaluation(activity)
    make_promise(plan)
    client.force_login(member)
    year = [agreement.pk, plan.year]
    urls = [
        reverse("plans:plan-detail", args=year),
        reverse("plans:plan-timeline", args=year),
        reverse("followup:followup-year", args=year),
        reverse("followup:report-preview-document", args=year),
        reverse("agreement-detail", args=[agreement.pk]) + f"?year={plan.year}",
    ]
    tables = _tables_read_by_cached_parts(client, monkeypatch, urls)
    by_table = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    shown = {by_table[table] for table in tables if table in by_table}
    assert PriorityArea in shown  # the walk sees the parts' data
    shown -= {DataVersion}  # the key itself
    unwatched = sorted(m._meta.label for m in shown if not pagecache.watches(m))
    assert unwatched == []

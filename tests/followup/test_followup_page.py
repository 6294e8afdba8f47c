"""The follow-up page of a year: what needs the group's attention, in a bounded number of
queries."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from followup.overview import year_overview
from plans.models import Activity

from ..factories import (
    make_activity,
    make_evaluation,
    make_goal,
    make_log_entry,
    make_organisation,
    make_plan,
    make_plan_tree,
    make_promise,
    make_strategy,
)

D = datetime.date
TODAY = D(2024, 6, 15)


@pytest.fixture
def plan_with_cases(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    cases = {
        "overdue": make_activity(strategy, title="Försenad", end=D(2024, 5, 31), status="ongoing"),
        "red": make_activity(
            strategy, title="Röd", traffic_light="red", start=D(2024, 1, 1), end=D(2024, 12, 31)
        ),
        "stale": make_activity(
            strategy, title="Tyst", status="ongoing", start=D(2024, 1, 1), end=D(2024, 12, 1)
        ),
        "fresh": make_activity(
            strategy, title="Aktiv", status="ongoing", start=D(2024, 1, 1), end=D(2024, 12, 1)
        ),
        "done": make_activity(strategy, title="Klar", status="done", end=D(2024, 4, 1)),
        "evaluated": make_activity(strategy, title="Utvärderad", status="done", end=D(2024, 4, 1)),
        "coming": make_activity(
            strategy, title="Snart", status="ongoing", start=D(2024, 6, 1), end=D(2024, 7, 1)
        ),
        "cancelled": make_activity(
            strategy, title="Inställd", status="cancelled", end=D(2024, 3, 1)
        ),
    }
    make_log_entry(cases["stale"], date=D(2024, 4, 1))  # 75 days before TODAY
    make_log_entry(cases["fresh"], date=D(2024, 6, 1))
    make_log_entry(cases["coming"], date=D(2024, 6, 10))
    make_log_entry(cases["red"], date=D(2024, 6, 10))
    make_evaluation(cases["evaluated"])
    return plan, cases


def titles(activities):
    return sorted(a.title for a in activities)


def test_overview_sorts_the_activities_into_what_needs_attention(plan_with_cases):
    plan, cases = plan_with_cases
    o = year_overview(plan, TODAY)
    assert titles(o.overdue) == ["Försenad"]
    assert titles(o.red) == ["Röd"]
    assert titles(o.stale) == ["Försenad", "Tyst"]
    assert titles(o.missing_evaluations) == ["Försenad", "Klar"]
    assert titles(o.coming) == ["Snart"]


def test_after_the_year_every_activity_but_the_cancelled_needs_an_evaluation(plan_with_cases):
    plan, cases = plan_with_cases
    o = year_overview(plan, D(2025, 1, 15))
    assert "Inställd" not in titles(o.missing_evaluations)
    assert "Utvärderad" not in titles(o.missing_evaluations)
    assert "Aktiv" in titles(o.missing_evaluations)


def test_carried_over_activities_are_followed_up_in_the_next_plan(agreement):
    from plans.services.plan import plan_roll_over

    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    make_activity(strategy, title="Fortsätter", status="ongoing", end=D(2024, 12, 31))
    plan_roll_over(plan=plan, to_year=2025)
    o = year_overview(plan, D(2025, 2, 1))
    assert o.overdue == [] and o.stale == [] and o.missing_evaluations == []


def test_goal_rollup_counts_activities_log_and_verdicts(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    a = make_activity(strategy, status="done")
    b = make_activity(strategy, status="ongoing")
    make_log_entry(a, occasions=3, people_reached=40)
    make_log_entry(b, occasions=2, people_reached=None)
    make_evaluation(a, verdict="change")
    (rollup,) = year_overview(plan, TODAY).goals
    assert (rollup.activities, rollup.done, rollup.evaluated) == (2, 1, 1)
    assert (rollup.occasions, rollup.people) == (5, 40)
    assert rollup.verdicts == {"change": 1}


def test_page_shows_the_lists_and_promise_progress_in_swedish(
    client_for, agreement, member, plan_with_cases
):
    plan, cases = plan_with_cases
    weekly = make_promise(plan, target_count=5, target_period="week", unit="insatser")
    make_promise(plan, target_count=1, target_period="year", unit="dialoger", promise="Dialog")
    make_log_entry(cases["fresh"], date=D(2024, 1, 3), citizen_promise=weekly, occasions=9)
    response = client_for(member).get(reverse("followup:followup-year", args=[agreement.pk, 2024]))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    for text in [
        "Uppföljning 2024",
        "Behöver uppmärksamhet",
        '<span class="tag tag-overdue">Försenad</span>',
        '<span class="tag tag-red">Röd</span>',
        '<span class="tag tag-stale">Ingen logg på 60 dagar</span>',
        '<span class="tag tag-unevaluated">Ej utvärderad</span>',
        "Kommande slutdatum",
        "Medborgarlöften",
        "Efter",  # the weekly promise is behind in the current week
    ]:
        assert text in page, text
    progress = dict(response.context["promises"])[weekly]
    assert progress.completed_met == 1  # week 1 of 2024 had 9


def test_follow_up_index_goes_to_the_latest_year_with_a_plan(client_for, agreement, member):
    make_plan(agreement, year=2024)
    response = client_for(member).get(reverse("followup:followup-index", args=[agreement.pk]))
    assert response["Location"] == reverse("followup:followup-year", args=[agreement.pk, 2024])


def test_follow_up_index_without_a_plan_explains(client_for, agreement, member):
    page = client_for(member).get(reverse("followup:followup-index", args=[agreement.pk]))
    assert "Det finns ingen genomförandeplan ännu" in page.content.decode()


def _grow(plan, n, entries_each):
    orgs = [make_organisation() for _ in range(2)]
    promise = make_promise(plan, target_period="week")
    for i in range(n):
        goal = make_goal(plan) if i % 10 == 0 else plan.goals.last()
        strategy = (
            make_strategy(goal) if i % 5 == 0 else goal.strategies.last() or make_strategy(goal)
        )
        activity = make_activity(
            strategy,
            partners=orgs,
            status=["ongoing", "done", "planned"][i % 3],
            traffic_light=["red", "green", ""][i % 3],
            end=D(2024, 1 + i % 12, 1),
        )
        for k in range(entries_each):
            make_log_entry(activity, date=D(2024, 1 + k % 12, 1 + k % 28), citizen_promise=promise)
        if i % 4 == 0:
            make_evaluation(activity)


def test_follow_up_page_queries_do_not_grow_with_activities_and_log_entries(
    client_for, agreement, member, django_assert_max_num_queries
):
    plan = make_plan(agreement, year=2024)
    _grow(plan, 3, 2)
    client = client_for(member)
    url = reverse("followup:followup-year", args=[agreement.pk, 2024])
    with django_assert_max_num_queries(12) as small:  # measured: 11
        assert client.get(url).status_code == HTTPStatus.OK
    _grow(plan, 37, 15)
    assert Activity.objects.in_plan(plan).count() == 40
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == HTTPStatus.OK
    evaluations = reverse("followup:evaluation-list", args=[agreement.pk, 2024])
    with django_assert_max_num_queries(len(small.captured_queries) + 1):
        assert client.get(evaluations).status_code == HTTPStatus.OK

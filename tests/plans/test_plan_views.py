"""The implementation plan as members use it: tree, filters, editing, access."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from plans.models import Activity, Goal

from ..factories import (
    make_activity,
    make_goal,
    make_organisation,
    make_plan,
    make_plan_tree,
    make_strategy,
)


def plan_url(plan, name="plans:plan-detail"):
    return reverse(name, args=[plan.agreement_id, plan.year])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("member", HTTPStatus.OK),
        ("coordinator", HTTPStatus.OK),
        ("reader", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
@pytest.mark.parametrize(
    "name",
    [
        "plans:plan-detail",
        "plans:plan-timeline",
        "plans:plan-compare",
        "plans:plan-as-of",
        "plans:plan-import",
        "plans:plan-export-xlsx",
        "plans:plan-export-csv",
        "plans:goal-create",
    ],
)
def test_plan_pages_by_role(request, client_for, agreement, role, status, name):
    plan, _ = make_plan_tree(agreement)
    user = request.getfixturevalue(role)
    assert client_for(user).get(plan_url(plan, name)).status_code == status


@pytest.mark.parametrize(("role", "status"), [("reader", 403), ("outsider", 404)])
def test_reader_and_outsider_cannot_edit_an_activity(request, client_for, agreement, role, status):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    client = client_for(request.getfixturevalue(role))
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"title": "Kapad"}).status_code == status
    activity.refresh_from_db()
    assert activity.title != "Kapad"


def test_another_agreements_activity_is_404_under_my_agreement(
    client_for, agreement, other_agreement, member
):
    _, strategy = make_plan_tree(other_agreement, activities=1)
    foreign = strategy.activities.get()
    url = reverse("plans:activity-detail", args=[agreement.pk, foreign.pk])
    assert client_for(member).get(url).status_code == HTTPStatus.NOT_FOUND


def test_plan_tree_shows_areas_goals_strategies_and_activities(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=2)
    page = client_for(member).get(plan_url(plan)).content.decode()
    assert strategy.goal.priority_area.name in page
    assert strategy.goal.title in page
    assert strategy.title in page
    assert "Aktivitet nr 0" in page and "Aktivitet nr 1" in page


def test_plan_filters(client_for, agreement, member):
    plan = make_plan(agreement)
    strategy = make_strategy(make_goal(plan))
    police = make_organisation(name="Polisen Test", agreement=agreement)
    make_activity(
        strategy,
        title="Nattvandring",
        status="ongoing",
        places="Öjebyn",
        responsible_organisation=police,
    )
    make_activity(strategy, title="Belysning", status="done", places="Centrum", contact_user=member)
    client = client_for(member)

    def titles(**params):
        response = client.get(plan_url(plan), params)
        return [
            a.title
            for _, goals in response.context["tree"]
            for _, strats in goals
            for _, acts in strats
            for a in acts
        ]

    assert titles(status="ongoing") == ["Nattvandring"]
    assert titles(place="centrum") == ["Belysning"]
    assert titles(organisation=police.pk) == ["Nattvandring"]
    assert titles(mine="on") == ["Belysning"]
    assert sorted(titles()) == ["Belysning", "Nattvandring"]


def test_plan_page_query_count_does_not_grow_with_activities(
    client_for, agreement, member, django_assert_max_num_queries
):
    plan, strategy = make_plan_tree(agreement, activities=3)
    client = client_for(member)
    with django_assert_max_num_queries(20) as small:
        client.get(plan_url(plan))
    partners = [make_organisation() for _ in range(3)]
    for n in range(60):
        goal = make_goal(plan) if n % 10 == 0 else strategy.goal
        s = make_strategy(goal) if n % 5 == 0 else strategy
        make_activity(s, partners=partners, contact_user=member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(plan_url(plan))
    assert response.status_code == HTTPStatus.OK


def test_member_creates_goal_strategy_and_activity(client_for, agreement, member):
    from ..factories import make_priority_area

    area = make_priority_area(agreement, name="Trygga miljöer")
    plan = make_plan(agreement)
    client = client_for(member)
    response = client.post(
        reverse("plans:goal-create", args=[agreement.pk, plan.year]),
        {"priority_area": area.pk, "title": "Ökad trygghet i centrum"},
    )
    goal = Goal.objects.get(title="Ökad trygghet i centrum")
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    client.post(
        reverse("plans:strategy-create", args=[agreement.pk, goal.pk]),
        {"goal": goal.pk, "title": "Trygghetsvandringar"},
    )
    strategy = goal.strategies.get()
    response = client.post(
        reverse("plans:activity-create", args=[agreement.pk, strategy.pk]),
        {
            "strategy": strategy.pk,
            "title": "Trygghetsvandring i Öjebyn",
            "responsible_organisation": agreement.municipality_id,
            "contact_name": "Anna Andersson",
            "quarter": "2",
            "status": "planned",
        },
    )
    activity = Activity.objects.get(title="Trygghetsvandring i Öjebyn")
    assert response.status_code == HTTPStatus.FOUND
    assert (activity.start, activity.end) == (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))


def test_activity_form_errors_are_swedish_and_nothing_is_saved(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    response = client_for(member).post(
        reverse("plans:activity-create", args=[agreement.pk, strategy.pk]),
        {
            "strategy": strategy.pk,
            "title": "Uppföljning av 811218-9876",
            "responsible_organisation": agreement.municipality_id,
            "start": "2024-06-01",
            "end": "2024-05-01",
            "status": "planned",
        },
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "personnummer" in page
    assert "Slutet får inte vara före starten." in page
    assert "Ange en kontaktperson" in page
    assert not Activity.objects.exists()


def test_moving_an_activity_to_another_strategy_and_up(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=2)
    other = make_strategy(strategy.goal, title="Annan strategi")
    first, second = strategy.activities.order_by("pk")
    client = client_for(member)
    client.post(
        reverse("plans:item-move", args=[agreement.pk, "activity", second.pk]), {"direction": "up"}
    )
    assert list(strategy.activities.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    form = client.get(reverse("plans:activity-edit", args=[agreement.pk, first.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "partners"}
    data.update(strategy=other.pk, status="planned", contact_name="Någon")
    response = client.post(reverse("plans:activity-edit", args=[agreement.pk, first.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    assert first.strategy == other


def test_deleting_a_strategy_asks_first_then_deletes(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=2)
    client = client_for(member)
    url = reverse("plans:item-delete", args=[agreement.pk, "strategy", strategy.pk])
    assert "raderas" in client.get(url).content.decode()
    client.post(url)
    assert not Activity.objects.exists()


def test_coordinator_adopts_and_the_dashboard_follows(client_for, agreement, coordinator, member):
    plan, _ = make_plan_tree(agreement, activities=1)
    assert client_for(member).post(plan_url(plan, "plans:plan-adopt")).status_code == 403
    client = client_for(coordinator)
    client.post(plan_url(plan, "plans:plan-adopt"))
    plan.refresh_from_db()
    assert plan.is_adopted and plan.adopted_by == coordinator
    cycle = client.get(reverse("agreement-detail", args=[agreement.pk])).context["cycle"]
    step3 = {y.year: y.steps[2] for y in cycle}
    assert step3[2024].state == "done" and step3[2024].derived
    assert step3[2023].state == "not_started"


def test_member_edits_after_adoption_and_it_is_recorded(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=1)
    plan.status, plan.adopted_on = "adopted", datetime.date(2024, 2, 1)
    plan.save()
    activity = strategy.activities.get()
    client = client_for(member)
    form = client.get(reverse("plans:activity-edit", args=[agreement.pk, activity.pk])).context[
        "form"
    ]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "partners"}
    data.update(status="ongoing", contact_name="Någon")
    client.post(reverse("plans:activity-edit", args=[agreement.pk, activity.pk]), data)
    last = activity.history.latest("history_date")
    assert last.status == "ongoing"
    assert last.history_user == member
    page = client.get(reverse("plans:activity-detail", args=[agreement.pk, activity.pk]))
    assert "Pågår" in page.content.decode()
    assert str(member) in page.content.decode()


def test_timeline_marks_the_months_an_activity_runs(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(
        strategy,
        title="Sommarlov",
        start=datetime.date(2024, 6, 10),
        end=datetime.date(2024, 8, 16),
    )
    response = client_for(member).get(plan_url(plan, "plans:plan-timeline"))
    ((group, rows),) = response.context["groups"]
    ((activity, cells),) = rows
    months = cells.split("</td>")[:-1]
    assert len(months) == 12
    assert [m for m, td in enumerate(months, start=1) if "gantt-on" in td] == [6, 7, 8]
    page = response.content.decode()
    assert page.count('class="gantt-on ') == 3
    by_org = client_for(member).get(
        plan_url(plan, "plans:plan-timeline"), {"group": "organisation"}
    )
    assert by_org.context["groups"][0][0] == agreement.municipality.name

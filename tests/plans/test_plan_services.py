"""Roll-over, comparison, no lost updates and the plan at a past date."""

import datetime
from http import HTTPStatus
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from plans.models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy
from plans.services.plan import plan_compare, plan_roll_over
from plans.services.status import activity_save

from ..factories import (
    make_activity,
    make_cause,
    make_goal,
    make_member,
    make_organisation,
    make_picture,
    make_plan,
    make_problem,
    make_strategy,
)


@pytest.fixture
def plan_2024(agreement):
    plan = make_plan(agreement, 2024)
    strategy = make_strategy(make_goal(plan, title="Trygga miljöer i centrum"), title="Vandringar")
    partner = make_organisation(name="PiteBo AB", agreement=agreement)
    cause = make_cause(make_problem(make_picture(agreement, 2024)), description="Mörka gångtunnlar")
    for status in ["planned", "ongoing", "done", "postponed", "cancelled"]:
        activity = make_activity(
            strategy, title=f"Aktivitet {status}", status=status, partners=[partner]
        )
        activity.causes.set([cause])
    CitizenPromise.objects.create(
        plan=plan,
        promise="Tre dialoger",
        responsible_organisation=agreement.police_area,
        target_count=3,
        unit="dialoger",
    )
    return plan


def test_roll_over_copies_goals_and_strategies_and_carries_unfinished(plan_2024):
    new = plan_roll_over(plan=plan_2024, to_year=2025)
    assert new.year == 2025 and new.previous == plan_2024 and not new.is_adopted
    assert list(new.goals.values_list("title", flat=True)) == ["Trygga miljöer i centrum"]
    assert list(Strategy.objects.filter(goal__plan=new).values_list("title", flat=True)) == [
        "Vandringar"
    ]
    carried = Activity.objects.in_plan(new)
    assert sorted(carried.values_list("status", flat=True)) == ["ongoing", "planned", "postponed"]
    for activity in carried:
        assert activity.previous.strategy.goal.plan == plan_2024
        assert [p.name for p in activity.partners.all()] == ["PiteBo AB"]
        assert [c.description for c in activity.causes.all()] == ["Mörka gångtunnlar"]
    # What stays behind is untouched.
    assert Activity.objects.in_plan(plan_2024).count() == 5
    assert new.citizen_promises.get().promise == "Tre dialoger"


def test_roll_over_is_all_or_nothing(plan_2024):
    with (
        mock.patch("plans.services.plan._carry", side_effect=IntegrityError("boom")),
        pytest.raises(IntegrityError),
    ):
        plan_roll_over(plan=plan_2024, to_year=2025)
    assert not ImplementationPlan.objects.filter(year=2025).exists()
    assert Goal.objects.count() == 1


def test_roll_over_through_the_page_refuses_an_existing_year(
    client_for, agreement, coordinator, member, plan_2024
):
    url = reverse("plans:plan-roll-over", args=[agreement.pk, 2024])
    assert client_for(member).post(url, {"to_year": 2025}).status_code == HTTPStatus.FORBIDDEN
    client = client_for(coordinator)
    response = client.post(url, {"to_year": 2025})
    assert response["Location"] == reverse("plans:plan-compare", args=[agreement.pk, 2025])
    page = client.post(url, {"to_year": 2025}, follow=True).content.decode()
    assert "Det finns redan en plan för 2025" in page
    assert ImplementationPlan.objects.filter(year=2025).count() == 1


def test_year_comparison_lists_added_removed_and_changed(plan_2024):
    new = plan_roll_over(plan=plan_2024, to_year=2025)
    carried = Activity.objects.in_plan(new).get(title="Aktivitet ongoing")
    carried.status = "done"
    activity_save(activity=carried, by=None)
    make_activity(carried.strategy, title="Ny aktivitet 2025")
    result = plan_compare(old=plan_2024, new=new)
    assert [a.title for a in result.added] == ["Ny aktivitet 2025"]
    assert sorted(a.title for a in result.removed) == ["Aktivitet cancelled", "Aktivitet done"]
    ((item, diffs),) = result.changed
    assert item == carried
    assert [(str(label), old, new) for label, old, new in diffs] == [("status", "Pågår", "Klart")]


def _edit_data(client, agreement, activity):
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    for key, value in data.items():
        if isinstance(value, list):  # many-to-many initial values are model instances
            data[key] = [obj.pk for obj in value]
    data["contact_name"] = data.get("contact_name") or "Kontakt"
    return url, data


def test_the_second_of_two_concurrent_saves_is_refused_and_shows_the_change(
    client, agreement, member, plan_2024
):
    from django.test import Client

    colleague = make_member(agreement, username="kollega", first_name="Kim", last_name="Kollega")
    activity = Activity.objects.get(title="Aktivitet planned")
    mine, theirs = Client(), Client()
    mine.force_login(member)
    theirs.force_login(colleague)
    url, my_data = _edit_data(mine, agreement, activity)
    _, their_data = _edit_data(theirs, agreement, activity)

    their_data["title"] = "Trygghetsvandring i Öjebyn"
    saved = theirs.post(url, their_data)
    assert saved.status_code == HTTPStatus.FOUND, saved.context["form"].errors

    my_data["description"] = "Min beskrivning"
    response = mine.post(url, my_data)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK, response.context["form"].errors
    assert "Någon annan sparade det här efter att du öppnade det" in page
    assert "Kim Kollega" in page
    assert "Trygghetsvandring i Öjebyn" in page
    assert "Min beskrivning" in page  # my text is kept in the form
    activity.refresh_from_db()
    assert activity.title == "Trygghetsvandring i Öjebyn"
    assert activity.description == ""

    # Having seen their change, saving again is a deliberate choice and goes through.
    form = response.context["form"]
    again = dict(form.data.items())
    assert mine.post(url, again).status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert activity.description == "Min beskrivning"


def test_plan_as_it_stood_on_a_past_date(client_for, agreement, member):
    plan = make_plan(agreement, 2024)
    then = timezone.now() - datetime.timedelta(days=10)
    with mock.patch("django.utils.timezone.now", return_value=then):
        strategy = make_strategy(make_goal(plan))
        old = make_activity(strategy, title="Fanns redan", status="planned")
    old.status = "done"
    activity_save(activity=old, by=None)
    make_activity(strategy, title="Tillkom senare")
    day = timezone.localtime(then).date()
    response = client_for(member).get(
        reverse("plans:plan-as-of", args=[agreement.pk, 2024]), {"on": day.isoformat()}
    )
    ((area, goals),) = response.context["tree"]
    ((goal, strategies),) = goals
    ((s, activities),) = strategies
    assert [(a.title, a.status) for a in activities] == [("Fanns redan", "planned")]
    now = client_for(member).get(
        reverse("plans:plan-as-of", args=[agreement.pk, 2024]),
        {"on": timezone.localdate().isoformat()},
    )
    titles = [a.title for a in now.context["tree"][0][1][0][1][0][1]]
    assert titles == ["Fanns redan", "Tillkom senare"]

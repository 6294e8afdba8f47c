"""History in the language of the page, one entry per save, and the year comparison."""

import datetime
import re
from http import HTTPStatus

from django.urls import reverse

from plans.models import Activity
from plans.services.plan import plan_compare, plan_roll_over

from ..factories import (
    make_activity,
    make_cause,
    make_goal,
    make_indicator,
    make_organisation,
    make_picture,
    make_plan,
    make_priority_area,
    make_problem,
    make_strategy,
)
from ..pitebra.test_versioning import _as_posted


def _history_cells(page):
    table = page.split("<caption>", 1)[1].split("</table>", 1)[0]
    return re.sub(r"<[^>]+>", " ", table)


def test_a_new_activity_has_exactly_one_history_entry(client_for, agreement, member):
    strategy = make_strategy(make_goal(make_plan(agreement, 2024)))
    partner = make_organisation(name="Skolan", agreement=agreement)
    client = client_for(member)
    url = reverse("plans:activity-create", args=[agreement.pk, strategy.pk])
    data = _as_posted(client.get(url).context["form"])
    data.update(
        title="Föräldravandring",
        contact_name="Kim",
        responsible_organisation=str(agreement.municipality_id),
        partners=[str(partner.pk)],
        traffic_light="green",
        traffic_light_comment="Startar bra",
    )
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    activity = Activity.objects.get(title="Föräldravandring")
    assert [r.history_type for r in activity.history.all()] == ["+"]
    page = client.get(reverse("plans:activity-detail", args=[agreement.pk, activity.pk]))
    text = _history_cells(page.content.decode())
    assert text.count("Skapad") == 1
    assert "utan synliga ändringar" not in text

    # Saving the unchanged form adds nothing either.
    edit = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    assert client.post(edit, _as_posted(client.get(edit).context["form"])).status_code == 302
    assert activity.history.count() == 1


def test_the_history_of_an_activity_changed_in_every_field_says_it_in_words(
    client_for, agreement, member
):
    area = make_priority_area(agreement)
    plan = make_plan(agreement, 2024)
    goal = make_goal(plan, priority_area=area)
    first, second = (
        make_strategy(goal, title="Strategi ett"),
        make_strategy(goal, title="Strategi två"),
    )
    before_org, after_org = (
        make_organisation(name="Gamla förvaltningen", agreement=agreement),
        make_organisation(name="Nya förvaltningen", agreement=agreement),
    )
    problem = make_problem(make_picture(agreement), title="Klotter vid skolan")
    cause = make_cause(problem, description="Få vuxna ute")
    indicator = make_indicator(agreement, name="Anmälda skadegörelsebrott")
    partner = make_organisation(name="Bostadsbolaget", agreement=agreement)
    activity = make_activity(
        first,
        title="Före",
        status="ongoing",
        traffic_light="yellow",
        responsible_organisation=before_org,
        contact_name="Kim",
        start=datetime.date(2024, 2, 1),
        end=datetime.date(2024, 6, 30),
    )
    client = client_for(member)
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    data = _as_posted(client.get(url).context["form"])
    data.update(
        strategy=str(second.pk),
        title="Efter",
        description="Ny beskrivning",
        operational_goal="Tio vandringar",
        responsible_organisation=str(after_org.pk),
        contact_user=str(member.pk),
        contact_name="",
        partners=[str(partner.pk)],
        causes=[str(cause.pk)],
        problems=[str(problem.pk)],
        indicators=[str(indicator.pk)],
        start="2024-03-18",
        end="2024-11-30",
        status="done",
        traffic_light="green",
        traffic_light_comment="Alla vandringar gjorda",
        target_group="Föräldrar",
        places="Öjebyn",
        estimated_hours="12.5",
        estimated_cost="1500",
        follow_up="Räkna deltagare",
    )
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    page = client.get(reverse("plans:activity-detail", args=[agreement.pk, activity.pk]))
    text = _history_cells(page.content.decode())
    for internal in ["ongoing", "done", "yellow", "green", "2024-03-18", "'", "{"]:
        assert internal not in text, internal
    for words in [
        "Pågår",
        "Klart",
        "Gul",
        "Grön",
        "Strategi ett",
        "Strategi två",
        "Gamla förvaltningen",
        "Nya förvaltningen",
        "Bostadsbolaget",
        "Klotter vid skolan",
        "Få vuxna ute",
        "Anmälda skadegörelsebrott",
        "18 mars 2024",
        "12,5",
    ]:
        assert words in text, words
    ids = {str(o.pk) for o in [first, second, before_org, after_org, partner, problem, cause]}
    changes = re.findall(r"“([^”]*)”", text)
    assert not ids & set(changes)  # no value shown as a bare id


def test_the_comparison_pairs_by_previous_and_labels_every_item(agreement):
    area = make_priority_area(agreement)
    old = make_plan(agreement, 2024)
    strategy = make_strategy(make_goal(old, priority_area=area, title="Trygga miljöer"))
    make_activity(strategy, title="Nattvandring", status="ongoing")
    make_activity(strategy, title="Avslutad", status="done")
    new = plan_roll_over(plan=old, to_year=2025)
    carried = Activity.objects.in_plan(new).get()
    carried.title = "Nattvandring med föräldrar"
    carried.save()
    # An item made by hand with an old title pairs by title, never added and removed at once.
    manual = make_activity(carried.strategy, title="Avslutad", status="planned")
    result = plan_compare(old=old, new=new)
    added = {item.pk for item in result.added}
    removed = {getattr(item, "previous_id", None) or item.pk for item in result.removed}
    assert added == set()
    assert not {item.title for item in result.added} & {item.title for item in result.removed}
    changed = {item.pk: (item.kind_label, diffs) for item, diffs in result.changed}
    assert str(changed[carried.pk][0]) == "aktivitet"
    assert ("titel", "Nattvandring", "Nattvandring med föräldrar") in [
        (str(label), a, b) for label, a, b in changed[carried.pk][1]
    ]
    assert str(changed[manual.pk][0]) == "aktivitet"
    assert removed == set()

"""A demo that lives in the present: the signed agreement kept as it was, its successor with
a year in progress counted from the day the demo is loaded (never from the clock in tests)."""

import datetime
import os
from http import HTTPStatus

from django.core.management import call_command
from django.urls import reverse

from followup.models import LogEntry, PublishedReport
from followup.overview import year_overview
from pitebra.models import Agreement, StepStatus
from plans.models import Activity, ImplementationPlan, SituationPicture

from ..conftest import DEMO_TODAY


def test_the_seed_agreement_is_unchanged_and_shown_as_revised(demo, client_for):
    pitea = demo["pitea"]
    assert (pitea.first_year, pitea.last_year, pitea.revise_by) == (
        2023,
        2025,
        datetime.date(2025, 12, 31),
    )
    assert pitea.reported_to == "Folkhälsorådet samt polis- och kommunledning"
    assert pitea.revision_status(DEMO_TODAY) == "revised"
    assert PublishedReport.objects.filter(report__agreement=pitea, report__year=2024).exists()
    client = client_for(demo["users"]["samordnare"])
    page = client.get(reverse("agreement-detail", args=[pitea.pk])).content.decode()
    assert "Reviderad" in page and "Revidering försenad" not in page
    assert demo["current"].title in page
    home = client.get(reverse("home")).content.decode()
    assert home.index(demo["current"].title) < home.index(f"{pitea.title}</a>")


def test_the_successor_runs_from_the_current_year_with_work_in_progress(demo, client_for):
    current, pitea = demo["current"], demo["pitea"]
    assert current.previous == pitea
    assert (current.first_year, current.last_year) == (2026, 2028)
    assert current.revision_status(DEMO_TODAY) is None
    assert list(current.priority_areas.values_list("name", flat=True)) == [
        "Barn och unga",
        "Trygga miljöer",
    ]
    assert set(current.memberships.values_list("user__username", flat=True)) == {
        "samordnare",
        "polis",
        "kommun",
        "folkhalsoradet",
    }
    plan = ImplementationPlan.objects.get(agreement=current, year=2026)
    assert plan.is_adopted and plan.adopted_on <= DEMO_TODAY
    activities = Activity.objects.in_plan(plan)
    assert activities.filter(status="ongoing").count() >= 3
    assert activities.filter(status="done").exists() and activities.filter(status="planned")
    assert all(a.start.year == a.end.year == 2026 for a in activities)
    lighting = activities.get(title="Belysning vid busstationen")
    assert lighting.responsible_organisation.agreement == current  # its own partner row

    entries = LogEntry.objects.filter(activity__strategy__goal__plan=plan)
    assert entries.count() > 20
    assert max(e.date for e in entries) <= DEMO_TODAY
    assert not entries.outside_own_plan_year().exists()
    picture = SituationPicture.objects.get(agreement=current, year=2026)
    assert not picture.is_agreed and picture.problems.count() == 3
    states = dict(
        StepStatus.objects.filter(agreement=current, year=2026).values_list("step", "state")
    )
    assert states[4] == "in_progress" and states[5] == "not_started"

    overview = year_overview(plan, DEMO_TODAY)
    weekly = next(p for promise, p in overview.promises if promise.target_period == "week")
    assert weekly.completed and weekly.current is not None
    assert len(overview.overdue) == 1  # the lighting at the bus station is late
    # Done and past-end activities wait for their evaluation: the working group's next task.
    assert {a.title for a in overview.missing_evaluations} == {
        "Trygghetsvandring i Centrum",
        "Belysning vid busstationen",
    }
    client = client_for(demo["users"]["kommun"])
    response = client.get(reverse("followup:followup-year", args=[current.pk, 2026]))
    assert response.status_code == HTTPStatus.OK
    assert "Synlig polis vid Stadsparken" in response.content.decode()


def test_the_demo_on_another_day_counts_from_that_day(db):
    day = datetime.date(2027, 3, 5)
    call_command("seed_demo", force=True, today=day, stdout=open(os.devnull, "w"))  # noqa: SIM115
    current = Agreement.objects.get(previous__first_year=2023)
    assert (current.first_year, current.last_year) == (2027, 2029)
    plan = ImplementationPlan.objects.get(agreement=current)
    assert plan.year == 2027 and plan.adopted_on == datetime.date(2027, 2, 17)
    dates = LogEntry.objects.filter(activity__strategy__goal__plan=plan).values_list(
        "date", flat=True
    )
    assert dates and max(dates) <= day and min(dates).year == 2027


def test_a_later_run_changes_nothing(demo):
    counts = (Agreement.objects.count(), LogEntry.objects.count(), Activity.objects.count())
    later = datetime.date(2027, 6, 1)
    call_command("seed_demo", force=True, today=later, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Agreement.objects.count(), LogEntry.objects.count(), Activity.objects.count()) == counts


def test_the_plan_on_a_past_day_shows_the_adopted_plan(demo, client_for):
    pitea = demo["pitea"]
    client = client_for(demo["users"]["kommun"])
    url = reverse("plans:plan-as-of", args=[pitea.pk, 2025])
    before = client.get(url, {"on": "2025-02-17"}).content.decode()
    after = client.get(url, {"on": "2025-03-01"}).content.decode()
    assert "Trygghetsvandring i Öjebyn" not in before
    assert "Trygghetsvandring i Öjebyn" in after

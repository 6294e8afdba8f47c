"""The demo facts load idempotently, and the dashboard's steps 1–2 follow the data."""

import os

from django.core.management import call_command
from django.urls import reverse

from plans.cycle import facts_states, situation_states
from plans.models import (
    Approval,
    Cause,
    Indicator,
    Observation,
    Place,
    Problem,
    SituationPicture,
    Source,
)

from ..factories import make_indicator, make_observation, make_picture

PLANS_MODELS = [Source, Indicator, Observation, Place, SituationPicture, Approval, Problem, Cause]


def _snapshot():
    rows = {m.__name__: sorted(map(str, m.objects.values_list())) for m in PLANS_MODELS}
    rows["Problem.m2m"] = sorted(
        map(str, Problem.indicators.through.objects.values_list("problem", "indicator"))
    )
    return rows


def test_seed_demo_facts_are_idempotent(demo):
    before = _snapshot()
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_demo_has_the_issue_indicators_and_pictures(demo):
    pitea = demo["pitea"]
    kpis = set(pitea.indicators.values_list("kolada_kpi", flat=True))
    assert kpis == {"N07540", "N07403", "N02905", "N15643"}
    assert Observation.objects.filter(indicator__agreement=pitea, scope="country").count() >= 20
    agreed = SituationPicture.objects.get(agreement=pitea, year=2024)
    draft = SituationPicture.objects.get(agreement=pitea, year=2025)
    assert agreed.is_agreed and set(agreed.approvals.values_list("party", flat=True)) == {
        "police",
        "municipality",
    }
    assert not draft.is_agreed
    assert 4 <= draft.problems.count() <= 6
    areas = set(draft.problems.values_list("priority_area__name", flat=True))
    assert areas == {"Barn och unga", "Trygga miljöer"}
    assert "Exempeldata" in draft.analysis
    assert pitea.municipality.kolada_id == "2581"


def test_steps_1_and_2_follow_the_data(agreement):
    assert facts_states(agreement, agreement.years) == {}
    first = make_indicator(agreement)
    second = make_indicator(agreement)
    make_observation(first, 2023, 1)
    make_observation(second, 2023, 1)
    make_observation(first, 2024, 1)
    make_observation(second, 2025, 1, scope=Observation.Scope.COUNTRY)  # a comparison only
    assert facts_states(agreement, agreement.years) == {2023: "done", 2024: "in_progress"}

    make_picture(agreement, year=2024)
    agreed = make_picture(agreement, year=2023)
    SituationPicture.objects.filter(pk=agreed.pk).update(agreed_at="2023-04-01T10:00:00Z")
    make_picture(agreement, year=2025, version=1, agreed_at="2025-04-01T10:00:00Z")
    make_picture(agreement, year=2025, version=2)  # a new version under way
    assert situation_states(agreement, agreement.years) == {
        2023: "done",
        2024: "in_progress",
        2025: "in_progress",
    }


def test_dashboard_shows_the_derived_states(client_for, agreement, member):
    indicator = make_indicator(agreement)
    make_observation(indicator, 2024, 1)
    response = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    year_2024 = next(y for y in response.context["cycle"] if y.year == 2024)
    assert (year_2024.steps[0].state, year_2024.steps[0].derived) == ("done", True)
    assert year_2024.steps[1].derived is False


def test_latest_versions_and_agreed_pictures(agreement, other_agreement):
    make_picture(agreement, year=2024, version=1, agreed_at="2024-03-01T10:00:00Z")
    newest_2024 = make_picture(agreement, year=2024, version=2)
    agreed_2025 = make_picture(agreement, year=2025, agreed_at="2025-03-01T10:00:00Z")
    make_picture(other_agreement, year=2024, version=3)
    mine = SituationPicture.objects.filter(agreement=agreement)
    assert set(mine.latest_versions()) == {newest_2024, agreed_2025}
    assert list(mine.latest_versions().agreed()) == [agreed_2025]

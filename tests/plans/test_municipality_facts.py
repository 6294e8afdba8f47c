"""Facts describe the municipality: every agreement of the same municipality sees the same ones."""

from http import HTTPStatus

from django.urls import reverse

from pitebra.cycle import cycle_for
from pitebra.models import Membership, StepStatus
from plans.models import Indicator

from ..factories import (
    make_agreement,
    make_indicator,
    make_member,
    make_observation,
    make_source,
)


def test_the_demo_successor_shows_pitea_s_indicators(client_for, demo):
    pitea, current = demo["pitea"], demo["current"]
    names = set(Indicator.objects.filter(agreement=pitea).values_list("name", flat=True))
    assert names
    member = make_member(current, Membership.Role.MEMBER, username="ny-i-gruppen")
    html = client_for(member).get(reverse("plans:indicator-list", args=[current.pk])).content
    html = html.decode()
    assert "Inga nyckeltal ännu" not in html
    assert all(name in html for name in names)


def test_an_agreement_of_the_same_municipality_sees_and_edits_them_another_does_not(client_for, db):
    first = make_agreement(first_year=2023, last_year=2025)
    second = make_agreement(municipality=first.municipality, first_year=2026, last_year=2028)
    stranger = make_agreement()
    source = make_source(first, name="Skolenkät Piteå")
    indicator = make_indicator(first, name="Anmälda brott", source=source)
    make_observation(indicator, 2026, 8000)
    member = make_member(second, Membership.Role.MEMBER, username="andra")
    client = client_for(member)
    detail = reverse("plans:indicator-detail", args=[second.pk, indicator.pk])
    assert client.get(detail).status_code == HTTPStatus.OK
    assert (
        "Skolenkät Piteå"
        in client.get(reverse("plans:source-list", args=[second.pk])).content.decode()
    )
    # The step is derived from the municipality's values for the successor's years.
    facts = {y.year: y.steps[0] for y in cycle_for(second)}
    assert facts[2026].state == StepStatus.State.DONE and facts[2026].derived
    # Editing from the successor keeps the indicator where it was added.
    page = client.get(reverse("plans:indicator-edit", args=[second.pk, indicator.pk]))
    assert page.status_code == HTTPStatus.OK
    outsider = make_member(stranger, Membership.Role.COORDINATOR, username="annan-kommun")
    other = client_for(outsider)
    assert (
        other.get(reverse("plans:indicator-detail", args=[stranger.pk, indicator.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        "Skolenkät Piteå"
        not in other.get(reverse("plans:source-list", args=[stranger.pk])).content.decode()
    )


def test_a_state_set_by_hand_is_shown_as_set_by_hand(db):
    agreement = make_agreement()
    StepStatus.objects.create(
        agreement=agreement, year=2024, step=StepStatus.Step.FOLLOW_UP, state="done"
    )
    cells = {y.year: y.steps[4] for y in cycle_for(agreement)}
    assert cells[2024].by_hand and not cells[2023].by_hand

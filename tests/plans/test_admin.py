"""The admin of steps 1–2: scoped to the coordinator's agreements, agreed pictures read-only."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from ..factories import make_indicator, make_picture, make_priority_area, make_problem


def test_coordinator_sees_only_own_indicators(client_for, agreement, other_agreement, coordinator):
    make_indicator(agreement, name="Eget nyckeltal")
    make_indicator(other_agreement, name="Grannens nyckeltal")
    page = client_for(coordinator).get(reverse("admin:plans_indicator_changelist"))
    assert "Eget nyckeltal" in page.content.decode()
    assert "Grannens nyckeltal" not in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda i, p: reverse("admin:plans_indicator_change", args=[i.pk]),
        lambda i, p: reverse("admin:plans_situationpicture_change", args=[p.pk]),
        lambda i, p: reverse("admin:plans_problem_change", args=[p.problems.get().pk]),
    ],
)
def test_another_agreements_records_are_404_in_admin(client_for, agreement, outsider, url):
    indicator = make_indicator(agreement)
    picture = make_picture(agreement)
    make_problem(picture)
    assert client_for(outsider).get(url(indicator, picture)).status_code == HTTPStatus.NOT_FOUND


def test_choices_in_the_admin_list_only_own_agreements_records(
    client_for, agreement, other_agreement, coordinator
):
    make_priority_area(agreement, name="Eget område")
    make_priority_area(other_agreement, name="Grannens område")
    picture = make_picture(agreement)
    problem = make_problem(picture)
    page = client_for(coordinator).get(reverse("admin:plans_problem_change", args=[problem.pk]))
    assert "Eget område" in page.content.decode()
    assert "Grannens område" not in page.content.decode()


def test_an_agreed_picture_cannot_be_changed_in_the_admin(client_for, agreement, coordinator):
    picture = make_picture(agreement, analysis="Som godkänd", agreed_at="2024-03-01T10:00:00Z")
    problem = make_problem(picture, title="Godkänt problem")
    client = client_for(coordinator)
    client.post(
        reverse("admin:plans_problem_change", args=[problem.pk]),
        {"title": "Ändrat", "trend": "stable", "seriousness": "low", "position": 0},
    )
    client.post(reverse("admin:plans_problem_delete", args=[problem.pk]), {"post": "yes"})
    problem.refresh_from_db()
    assert problem.title == "Godkänt problem"

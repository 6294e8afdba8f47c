"""A long plan shows each goal's activities on request, with the open goals in the URL."""

import pytest
from django.urls import reverse

from plans.views import plan as plan_views

from ..factories import make_activity, make_goal, make_plan, make_strategy


@pytest.fixture
def long_plan(agreement, monkeypatch):
    monkeypatch.setattr(plan_views, "COLLAPSE_AFTER", 2)
    plan = make_plan(agreement, 2024)
    goals = []
    for g in range(2):
        goal = make_goal(plan, title=f"Målet {g}")
        strategy = make_strategy(goal)
        for a in range(2):
            make_activity(strategy, title=f"Aktivitet {g}-{a}")
        goals.append(goal)
    return plan, goals


def get(client, plan, query=""):
    url = reverse("plans:plan-detail", args=[plan.agreement_id, plan.year]) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_long_plan_opens_goals_from_the_url(client, member, long_plan):
    plan, (first, second) = long_plan
    client.force_login(member)
    closed = get(client, plan)
    assert "Målet 0" in closed and "Målet 1" in closed
    assert "Aktivitet 0-0" not in closed and "Aktivitet 1-0" not in closed
    assert f"?open={first.pk}#goal-{first.pk}" in closed
    one = get(client, plan, f"?open={first.pk}")
    assert "Aktivitet 0-0" in one and "Aktivitet 0-1" in one
    assert "Aktivitet 1-0" not in one
    # The opened goal links to closing it again; the other one to opening both.
    assert f"?open=#goal-{first.pk}" in one
    assert f"?open={first.pk}%2C{second.pk}#goal-{second.pk}" in one
    every = get(client, plan, "?open=all")
    assert all(f"Aktivitet {g}-{a}" in every for g in range(2) for a in range(2))


def test_a_short_plan_and_a_filtered_one_show_every_activity(client, member, long_plan):
    plan, _goals = long_plan
    client.force_login(member)
    assert "Aktivitet 1-1" in get(client, plan, "?q=Aktivitet+1-1")
    plan_views.COLLAPSE_AFTER = 100  # monkeypatch restores it
    assert "Aktivitet 1-1" in get(client, plan)

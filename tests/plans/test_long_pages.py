"""Pages that list a plan's activities show them a page at a time past `PAGE_ROWS`: every
activity on exactly one page, the pages linked, and the page's other choices kept."""

import re

import pytest
from django.urls import reverse

from pitebra import paging
from plans.views import plan as plan_views

from ..factories import make_activity, make_goal, make_plan, make_strategy

TITLE = re.compile(r"Aktivitet \d-\d")


@pytest.fixture
def long_plan(agreement, monkeypatch):
    """Two goals of three activities; long (over 2), and 4 rows to a page."""
    monkeypatch.setattr(plan_views, "COLLAPSE_AFTER", 2)
    monkeypatch.setattr(paging, "PAGE_ROWS", 4)
    plan = make_plan(agreement, 2024)
    for g in range(2):
        strategy = make_strategy(make_goal(plan, title=f"Målet {g}"))
        for a in range(3):
            make_activity(strategy, title=f"Aktivitet {g}-{a}")
    return plan


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def titles(page):
    return set(TITLE.findall(page))


def test_every_goal_open_comes_a_page_at_a_time(client, member, long_plan):
    client.force_login(member)
    url = reverse("plans:plan-detail", args=[long_plan.agreement_id, long_plan.year])
    first = get(client, url + "?open=all")
    assert len(titles(first)) == 4
    assert "Sida 1 av 2: rad 1–4 av 6" in first
    assert 'href="?open=all&amp;page=2" rel="next">Nästa sida</a>' in first
    second = get(client, url + "?open=all&page=2")
    assert len(titles(second)) == 2
    assert titles(first) | titles(second) == {
        f"Aktivitet {g}-{a}" for g in (0, 1) for a in (0, 1, 2)
    }
    # Closing a goal starts again at the first page.
    assert "page=2#goal" not in second
    # A page past the last shows the last; nonsense shows the first.
    assert titles(get(client, url + "?open=all&page=99")) == titles(second)
    assert titles(get(client, url + "?open=all&page=x")) == titles(first)


def test_a_broad_filter_comes_a_page_at_a_time(client, member, long_plan):
    client.force_login(member)
    url = reverse("plans:plan-detail", args=[long_plan.agreement_id, long_plan.year])
    first = get(client, url + "?q=Aktivitet")
    second = get(client, url + "?q=Aktivitet&page=2")
    assert len(titles(first)) == 4 and len(titles(second)) == 2
    assert "q=Aktivitet&amp;page=2" in first


@pytest.mark.parametrize("group", ["goal", "organisation"])
def test_the_timeline_comes_a_page_at_a_time(client, member, long_plan, group):
    client.force_login(member)
    url = reverse("plans:plan-timeline", args=[long_plan.agreement_id, long_plan.year])
    first = get(client, f"{url}?group={group}")
    second = get(client, f"{url}?group={group}&page=2")
    assert len(titles(first)) == 4 and len(titles(second)) == 2
    assert titles(first) | titles(second) == {
        f"Aktivitet {g}-{a}" for g in (0, 1) for a in (0, 1, 2)
    }
    assert f'href="?group={group}&amp;page=2" rel="next">Nästa sida</a>' in first

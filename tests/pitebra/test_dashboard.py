"""The agreement dashboard: what a working group sees of its agreement and cycle."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from pitebra.models import Agreement, Membership, StepStatus

from ..factories import make_member, make_organisation, make_priority_area


def test_dashboard_shows_parties_period_priority_areas_and_goals(client_for, demo):
    page = client_for(demo["users"]["kommun"]).get(
        reverse("agreement-detail", args=[demo["pitea"].pk])
    )
    text = page.content.decode()
    assert "Lokalpolisområde Piteå älvdal" in text
    assert "Piteå kommun" in text
    assert "2023–2025" in text
    assert "Barn och unga" in text
    assert "Arbeta brottsförebyggande med barn och ungdomar." in text
    assert "Verka för trygga miljöer." in text
    assert "Håll i, håll ut" in text


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 9, 1), None),
        (datetime.date(2025, 10, 2), "due"),
        (datetime.date(2025, 12, 31), "due"),
        (datetime.date(2026, 1, 1), "overdue"),
    ],
)
def test_revision_status_window(agreement, today, expected):
    assert agreement.revise_by == datetime.date(2025, 12, 31)
    assert agreement.revision_status(today) == expected


def test_dashboard_warns_when_the_revise_by_date_has_passed_without_a_new_agreement(
    client_for, agreement, member
):
    # revise-by 2025-12-31: the warning shows on any later day until a successor is started.
    page = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    assert "Revidering försenad" in page.content.decode()
    assert "31 december 2025" in page.content.decode()


def test_the_seed_agreement_with_its_successor_is_revised_not_late(client_for, demo):
    page = client_for(demo["users"]["polis"]).get(
        reverse("agreement-detail", args=[demo["pitea"].pk])
    )
    assert "Reviderad" in page.content.decode()
    assert "Revidering försenad" not in page.content.decode()


def test_dashboard_warns_when_the_revise_by_date_is_near(client_for, agreement, member):
    from django.utils import timezone

    agreement.revise_by = timezone.localdate() + datetime.timedelta(days=30)
    agreement.save()
    page = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    assert "Revidering närmar sig" in page.content.decode()


def test_dashboard_shows_the_cycle_per_year(client_for, agreement, member):
    StepStatus.objects.create(agreement=agreement, year=2024, step=2, state="in_progress")
    response = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    cycle = response.context["cycle"]
    assert [y.year for y in cycle] == [2023, 2024, 2025]
    assert [c.state for c in cycle[1].steps] == [
        "not_started",
        "in_progress",
        "not_started",
        "not_started",
        "not_started",
    ]
    assert "Pågår" in response.content.decode()


def test_coordinator_sets_the_cycle_states(client_for, agreement, coordinator):
    url = reverse("agreement-cycle-edit", args=[agreement.pk, 2024])
    states = ["done", "done", "in_progress", "not_started", "not_started"]
    data = {f"y2024-step_{n}": s for n, s in enumerate(states, start=1)}
    response = client_for(coordinator).post(url, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    saved = StepStatus.objects.filter(agreement=agreement, year=2024).order_by("step")
    assert [s.state for s in saved] == states


def test_cycle_for_a_year_outside_the_period_is_404(client_for, agreement, coordinator):
    url = reverse("agreement-cycle-edit", args=[agreement.pk, 2030])
    data = {f"y2030-step_{n}": "done" for n in range(1, 6)}
    assert client_for(coordinator).post(url, data).status_code == HTTPStatus.NOT_FOUND
    assert not StepStatus.objects.exists()


def test_bad_cycle_state_is_refused_and_nothing_saved(client_for, agreement, coordinator):
    url = reverse("agreement-cycle-edit", args=[agreement.pk, 2024])
    data = {f"y2024-step_{n}": "finished?" for n in range(1, 6)}
    page = client_for(coordinator).post(url, data, follow=True).content.decode()
    assert "kunde inte sparas" in page
    assert not StepStatus.objects.exists()


def test_coordinator_starts_a_new_agreement_from_the_previous(client_for, agreement, coordinator):
    partner = make_organisation(name="PiteBo AB")
    agreement.partners.add(partner)
    agreement.motto = "Håll i, håll ut"
    agreement.save()
    make_priority_area(agreement, name="Barn och unga", overarching_goal="Arbeta med unga")
    make_priority_area(agreement, name="Trygga miljöer", overarching_goal="Trygga miljöer")
    member = make_member(agreement, username="kvarvarande")
    response = client_for(coordinator).post(
        reverse("agreement-copy", args=[agreement.pk]),
        {
            "title": "Överenskommelse 2026–2028",
            "first_year": 2026,
            "last_year": 2028,
            "revise_by": "2028-12-31",
            "copy_working_group": "on",
        },
    )
    new = Agreement.objects.get(title="Överenskommelse 2026–2028")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("agreement-detail", args=[new.pk])
    assert new.previous == agreement
    assert new.municipality == agreement.municipality
    assert new.police_area == agreement.police_area
    assert list(new.partners.all()) == [partner]
    assert new.motto == "Håll i, håll ut"
    assert new.working_method == agreement.working_method
    assert [(a.name, a.overarching_goal) for a in new.priority_areas.all()] == [
        ("Barn och unga", "Arbeta med unga"),
        ("Trygga miljöer", "Trygga miljöer"),
    ]
    roles = dict(new.memberships.values_list("user__username", "role"))
    assert roles == {coordinator.username: "coordinator", member.username: "member"}


def test_new_agreement_with_reversed_period_shows_a_swedish_error(
    client_for, agreement, coordinator
):
    response = client_for(coordinator).post(
        reverse("agreement-copy", args=[agreement.pk]),
        {"title": "Fel", "first_year": 2028, "last_year": 2026, "revise_by": "2028-12-31"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Sista året får inte vara före första året." in response.content.decode()
    assert Agreement.objects.count() == 1


def test_the_database_refuses_a_reversed_period(agreement):
    from django.db import IntegrityError, transaction

    agreement.first_year, agreement.last_year = 2026, 2024
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_dashboard_query_count_does_not_grow_with_the_group(
    client_for, agreement, coordinator, django_assert_max_num_queries
):
    for n in range(15):
        make_priority_area(agreement, name=f"Område {n}")
        make_member(agreement, role=Membership.Role.MEMBER, username=f"person{n}")
    client = client_for(coordinator)
    # Each of the five steps derives its state in one or two queries, whatever the data; the
    # year at a glance adds at most 5 (plan, activities, promises and their log, latest work).
    with django_assert_max_num_queries(22):
        assert client.get(reverse("agreement-detail", args=[agreement.pk])).status_code == 200


def test_the_dashboard_is_headed_by_the_short_name_with_the_title_small(client_for, demo):
    current = demo["current"]
    coordinator = demo["users"]["samordnare"]
    html = client_for(coordinator).get(reverse("agreement-detail", args=[current.pk]))
    html = html.content.decode()
    assert f'<h1 class="mb-0">Piteå {current.first_year}–{current.last_year}</h1>' in html
    assert f'<p class="small text-body-secondary mb-2">{current.title}</p>' in html
    # Settings and backup live on their own page; the steps' forms are not on the dashboard.
    assert "Ladda ner en säkerhetskopia" not in html
    assert 'name="y2026-step_1"' not in html
    assert reverse("agreement-settings", args=[current.pk]) in html
    settings_page = client_for(coordinator).get(reverse("agreement-settings", args=[current.pk]))
    assert "Ladda ner en säkerhetskopia" in settings_page.content.decode()
    assert f'name="y{current.first_year}-step_1"' in settings_page.content.decode()


def test_existing_agreements_get_a_short_name_and_a_copy_proposes_one(
    client_for, agreement, coordinator
):
    assert agreement.name.endswith("2023–2025")
    page = client_for(coordinator).get(reverse("agreement-copy", args=[agreement.pk]))
    assert "2026–2028" in page.content.decode()

"""Organisations belong to agreements: no page or admin choice offers another agreement's."""

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse

from followup.models import Decision, Meeting
from pitebra.models import Agreement, Membership, Organisation
from plans.models import Activity, Strategy

from ..factories import (
    make_activity,
    make_agreement,
    make_goal,
    make_member,
    make_organisation,
    make_plan,
    make_strategy,
)
from .admin_world import populate

THEIRS = ["Bortom bostadsbolag", "Bortom kommun", "Bortom polisområde"]


@pytest.fixture
def world(db):
    a = populate("Hemma")
    b = populate("Bortom")
    member = make_member(a, Membership.Role.MEMBER, username="medlem-a")
    coordinator = make_member(a, Membership.Role.COORDINATOR, username="samordnare-a")
    activity = Activity.objects.get(strategy__goal__plan__agreement=a)
    meeting = Meeting.objects.get(agreement=a)
    return SimpleNamespace(
        a=a, b=b, member=member, coordinator=coordinator, activity=activity, meeting=meeting
    )


def _pages(world):
    a, activity = world.a, world.activity
    kw = {"agreement_pk": a.pk}
    return [
        reverse("plans:activity-edit", kwargs={**kw, "pk": activity.pk}),
        reverse("plans:activity-create", kwargs={**kw, "strategy_pk": activity.strategy_id}),
        reverse("plans:promise-create", kwargs={**kw, "year": 2024}),
        reverse("plans:plan-detail", kwargs={**kw, "year": 2024}),  # the filters
        reverse("followup:log-create", kwargs=kw),
        reverse("followup:meeting-detail", kwargs={**kw, "pk": world.meeting.pk}),
        reverse(
            "followup:decision-activity",
            kwargs={**kw, "pk": Decision.objects.create(meeting=world.meeting, text="Ny").pk},
        ),
    ]


def test_every_organisation_choice_on_the_pages_is_the_agreements_own(client, world):
    client.force_login(world.member)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        page = response.content.decode()
        assert "Hemma bostadsbolag" in page, url
        for name in THEIRS:
            assert name not in page, (url, name)


def test_another_agreements_organisation_cannot_be_posted_as_responsible(client, world):
    client.force_login(world.member)
    theirs = Organisation.objects.get(name="Bortom bostadsbolag")
    url = reverse(
        "plans:activity-edit", kwargs={"agreement_pk": world.a.pk, "pk": world.activity.pk}
    )
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "responsible_organisation": theirs.pk,
            "partners": [theirs.pk],
            "contact_name": "Någon",
            "version": world.activity.version,
        }
    )
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "responsible_organisation" in response.context["form"].errors
    world.activity.refresh_from_db()
    assert world.activity.responsible_organisation.name == "Hemma bostadsbolag"
    assert list(world.activity.partners.values_list("name", flat=True)) == ["Hemma bostadsbolag"]


def test_the_plan_filter_ignores_another_agreements_organisation(client, world):
    client.force_login(world.member)
    theirs = Organisation.objects.get(name="Bortom bostadsbolag")
    url = reverse("plans:plan-detail", kwargs={"agreement_pk": world.a.pk, "year": 2024})
    response = client.get(url, {"organisation": theirs.pk})
    assert response.status_code == HTTPStatus.OK
    assert "organisation" in response.context["filters"].errors


def test_a_coordinator_registers_a_partner_that_exists_elsewhere_as_a_new_row(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("admin:pitebra_organisation_add"),
        {"name": "Bortom bostadsbolag", "kind": "partner", "agreement": world.a.pk},
    )
    assert response.status_code == HTTPStatus.FOUND
    rows = Organisation.objects.filter(name="Bortom bostadsbolag")
    assert sorted(rows.values_list("agreement", flat=True)) == sorted([world.a.pk, world.b.pk])
    # A partner must name the agreement it belongs to; a party is the operator's to register.
    response = client.post(
        reverse("admin:pitebra_organisation_add"), {"name": "Utan avtal", "kind": "partner"}
    )
    assert response.status_code == HTTPStatus.OK
    assert not Organisation.objects.filter(name="Utan avtal").exists()


def test_a_coordinator_cannot_change_a_shared_party(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:pitebra_organisation_change", args=[world.a.municipality_id])
    assert client.get(url).context["has_change_permission"] is False
    client.post(url, {"name": "Omdöpt", "kind": "municipality"})
    world.a.municipality.refresh_from_db()
    assert world.a.municipality.name == "Hemma kommun"


def test_the_demo_keeps_pitea_s_partners_to_pitea(demo):
    pitea, alvsbyn = demo["pitea"], demo["alvsbyn"]
    # One row on the signed agreement, and its own row on the successor started from it.
    pitebo = Organisation.objects.filter(name="PiteBo AB")
    assert set(pitebo.values_list("agreement", flat=True)) == {pitea.pk, demo["current"].pk}
    names = set(Organisation.objects.of_agreement(alvsbyn).values_list("name", flat=True))
    assert names == {"Älvsbyns kommun", "Lokalpolisområde Piteå älvdal"}
    # The police area is a party to both agreements, and one row.
    assert "Lokalpolisområde Piteå älvdal" in set(
        Organisation.objects.of_agreement(pitea).values_list("name", flat=True)
    )


def test_the_migration_gives_each_partner_its_agreement(db):
    """Existing data: a partner used by two agreements becomes one row for each."""
    migration = __import__(
        "pitebra.migrations.0005_assign_organisations_to_agreements", fromlist=["forwards"]
    )
    a, b = make_agreement(), make_agreement()
    shared = make_organisation(name="Skolan")
    unused = make_organisation(name="Oanvänd")
    activities = {}
    for agreement in (a, b):
        strategy = make_strategy(make_goal(make_plan(agreement)))
        activities[agreement] = make_activity(
            strategy, responsible_organisation=shared, partners=[shared, b.municipality]
        )
    migration.forwards(apps, None)

    shared.refresh_from_db()
    unused.refresh_from_db()
    assert shared.agreement == a and unused.agreement is None
    copy = Organisation.objects.get(name="Skolan", agreement=b)
    activity_b = Activity.objects.get(pk=activities[b].pk)
    assert activity_b.responsible_organisation == copy
    assert set(activity_b.partners.all()) == {copy, b.municipality}
    assert Activity.objects.get(pk=activities[a].pk).responsible_organisation == shared
    # B's municipality, used as a partner in A's plan, is linked to A explicitly.
    assert list(Agreement.objects.get(pk=a.pk).partners.all()) == [b.municipality]
    assert Strategy.objects.count() == 2

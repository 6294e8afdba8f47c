"""The admin is for coordinators, scoped to the agreements they coordinate."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from pitebra.models import Membership

from ..factories import make_agreement, make_member, make_priority_area


@pytest.mark.parametrize("role", ["member", "reader"])
def test_members_and_readers_cannot_use_the_admin(request, client_for, role):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse("admin:index"))
    # The admin sends those without permission to its own login page.
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]


def test_coordinator_sees_only_own_agreements_in_admin(
    client_for, agreement, other_agreement, coordinator
):
    client = client_for(coordinator)
    page = client.get(reverse("admin:pitebra_agreement_changelist")).content.decode()
    assert agreement.title in page
    assert other_agreement.title not in page
    response = client.get(reverse("admin:pitebra_agreement_change", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "url",
    [
        lambda a, area: reverse("admin:pitebra_agreement_change", args=[a.pk]),
        lambda a, area: reverse("admin:pitebra_agreement_delete", args=[a.pk]),
        lambda a, area: reverse("admin:pitebra_priorityarea_change", args=[area.pk]),
    ],
)
def test_another_agreements_records_are_404_in_admin(client_for, agreement, outsider, url):
    area = make_priority_area(agreement, name="Trygga miljöer")
    response = client_for(outsider).get(url(agreement, area))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_cannot_see_another_agreements_people(
    client_for, agreement, other_agreement, coordinator
):
    stranger = make_member(other_agreement, username="annan-kommun")
    client = client_for(coordinator)
    page = client.get(reverse("admin:pitebra_user_changelist")).content.decode()
    assert "annan-kommun" not in page
    response = client.get(reverse("admin:pitebra_user_change", args=[stranger.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_cannot_grant_superuser(client_for, agreement, coordinator, member):
    client = client_for(coordinator)
    url = reverse("admin:pitebra_user_change", args=[member.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    client.post(
        url,
        {"username": member.username, "is_active": "on", "is_superuser": "on", "is_staff": "on"},
    )
    member.refresh_from_db()
    assert not member.is_superuser
    assert not member.is_staff


def test_coordinator_adds_a_member_through_the_agreement_inline(client_for, agreement, coordinator):
    """The inline offers the people of the coordinator's groups (here: of a second group)."""
    second = make_agreement()
    Membership.objects.create(agreement=second, user=coordinator, role="coordinator")
    colleague = make_member(second, username="kollega")
    client = client_for(coordinator)
    url = reverse("admin:pitebra_agreement_change", args=[agreement.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "revise_by": "2025-12-31",
            "priority_areas-TOTAL_FORMS": "0",
            "priority_areas-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": agreement.memberships.get().pk,
            "memberships-0-agreement": agreement.pk,
            "memberships-0-user": coordinator.pk,
            "memberships-0-role": "coordinator",
            "memberships-1-agreement": agreement.pk,
            "memberships-1-user": colleague.pk,
            "memberships-1-role": "member",
        }
    )
    data.pop("partners", None)
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    assert Membership.objects.get(agreement=agreement, user=colleague).role == "member"

"""Accounts in the admin, written as the attacks a coordinator of Piteå tried on Älvsbyn."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from followup.models import Meeting
from pitebra.models import Agreement, Membership, User
from pitebra.permissions import may_manage_account

from ..factories import make_agreement, make_meeting, make_member, make_user
from .test_admin_scope import _post_data

COORDINATOR = Membership.Role.COORDINATOR


@pytest.fixture
def both(agreement, other_agreement):
    """A police officer serving both agreements (like `polis` in the demo)."""
    user = make_member(agreement, username="polis", email="polis@example.org")
    return _join(other_agreement, user)


def _join(agreement, user, role=Membership.Role.MEMBER):
    Membership.objects.create(agreement=agreement, user=user, role=role)
    return user


def test_password_takeover_of_someone_also_in_another_agreement_is_refused(
    client_for, coordinator, both
):
    client = client_for(coordinator)
    url = f"/admin/pitebra/user/{both.pk}/password/"
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    response = client.post(url, {"password1": "ny-lang-losen-1", "password2": "ny-lang-losen-1"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    both.refresh_from_db()
    assert both.check_password("secret-pw-123")


def test_email_takeover_of_someone_also_in_another_agreement_is_refused(
    client_for, coordinator, both
):
    client = client_for(coordinator)
    url = reverse("admin:pitebra_user_change", args=[both.pk])
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert 'name="email"' not in page.content.decode()
    assert "du kan se det här kontot men inte ändra det" in page.content.decode().lower()
    client.post(url, {"username": "polis", "email": "angripare@example.org", "is_active": "on"})
    both.refresh_from_db()
    assert both.email == "polis@example.org"


def test_someone_only_in_another_agreement_is_not_found_by_fragment(
    client_for, coordinator, other_agreement
):
    stranger = make_member(other_agreement, username="alvsbyn-polis", email="per@alvsbyn.example")
    client = client_for(coordinator)
    url = reverse("admin:autocomplete")
    params = {"app_label": "pitebra", "model_name": "membership", "field_name": "user"}
    for term in ["", "lvs", "alvsbyn", "per@alvsbyn.example"]:
        found = client.get(url, {**params, "term": term}).json()["results"]
        assert str(stranger.pk) not in {row["id"] for row in found}
        assert "alvsbyn" not in str(found)
    assert (
        client.get(reverse("admin:pitebra_user_changelist"), {"q": "lvs"})
        .context["cl"]
        .result_count
        == 0
    )


def test_a_colleague_from_elsewhere_is_added_by_exact_username_and_told_by_email(
    client_for, agreement, coordinator, other_agreement
):
    stranger = make_member(other_agreement, username="alvsbyn-polis", email="per@alvsbyn.example")
    client = client_for(coordinator)
    add = reverse("admin:pitebra_membership_add")
    for fragment in ["alvsbyn", "lvs", "per@alvsbyn"]:
        response = client.post(
            add, {"agreement": agreement.pk, "identifier": fragment, "role": "reader"}
        )
        assert response.status_code == HTTPStatus.OK
        assert "identifier" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(agreement=agreement, user=stranger).exists()

    with_email = {"agreement": agreement.pk, "identifier": "PER@alvsbyn.example", "role": "reader"}
    response = client.post(add, with_email)
    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.get(agreement=agreement, user=stranger).role == "reader"
    # Still in Älvsbyn too: the coordinator may not take the account over.
    assert not may_manage_account(coordinator, stranger)
    url = f"/admin/pitebra/user/{stranger.pk}/password/"
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_added_colleague_gets_an_email_saying_who_added_them(
    client_for, agreement, coordinator, other_agreement, django_capture_on_commit_callbacks
):
    coordinator.first_name, coordinator.last_name = "Sara", "Samordnare"
    coordinator.save()
    stranger = make_member(other_agreement, username="alvsbyn-polis", email="per@alvsbyn.example")
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:pitebra_membership_add"),
            {"agreement": agreement.pk, "identifier": "alvsbyn-polis", "role": "member"},
        )
    assert Membership.objects.filter(agreement=agreement, user=stranger).exists()
    [message] = mail.outbox
    assert message.to == ["per@alvsbyn.example"]
    assert "Sara Samordnare" in message.body
    assert agreement.title in message.body
    assert "medlem" in message.body


def test_a_coordinator_manages_an_account_of_their_own_group_only(client_for, coordinator, member):
    client = client_for(coordinator)
    url = f"/admin/pitebra/user/{member.pk}/password/"
    response = client.post(url, {"password1": "ny-lang-losen-1", "password2": "ny-lang-losen-1"})
    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.check_password("ny-lang-losen-1")


def test_a_coordinator_creates_a_login_straight_into_their_group(
    client_for, agreement, coordinator, other_agreement
):
    client = client_for(coordinator)
    add = reverse("admin:pitebra_user_add")
    data = {
        "agreement": agreement.pk,
        "role": "member",
        "username": "nykomling",
        "usable_password": "true",
        "password1": "x-long-password-1",
        "password2": "x-long-password-1",
    }
    assert client.post(add, {**data, "agreement": other_agreement.pk}).status_code == 200
    assert not User.objects.filter(username="nykomling").exists()
    assert client.post(add, data).status_code == HTTPStatus.FOUND
    assert Membership.objects.get(user__username="nykomling").agreement == agreement


def test_nobody_outside_every_group_is_managed_by_a_coordinator(client_for, coordinator):
    loner = make_user(username="ensam")
    assert not may_manage_account(coordinator, loner)
    url = reverse("admin:pitebra_user_change", args=[loner.pk])
    assert client_for(coordinator).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_coordinator_cannot_create_an_agreement_from_nothing(client_for, agreement, coordinator):
    client = client_for(coordinator)
    add = reverse("admin:pitebra_agreement_add")
    assert client.get(add).status_code == HTTPStatus.FORBIDDEN
    other = make_agreement()
    response = client.post(
        add,
        {
            "title": "Egen",
            "municipality": other.municipality_id,
            "police_area": other.police_area_id,
            "first_year": 2026,
            "last_year": 2028,
            "revise_by": "2028-12-31",
        },
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Agreement.objects.filter(title="Egen").exists()


def test_a_coordinator_cannot_move_their_agreement_to_another_municipality(
    client_for, agreement, coordinator
):
    elsewhere = make_agreement()
    client = client_for(coordinator)
    url = reverse("admin:pitebra_agreement_change", args=[agreement.pk])
    form = client.get(url).context["adminform"].form
    assert "municipality" not in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "municipality": elsewhere.municipality_id,
            "revise_by": "2025-12-31",
            "priority_areas-TOTAL_FORMS": "0",
            "priority_areas-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("partners", None)
    client.post(url, data)
    agreement.refresh_from_db()
    assert agreement.municipality_id != elsewhere.municipality_id


def test_a_coordinator_starts_the_successor_of_their_agreement(client_for, agreement, coordinator):
    client = client_for(coordinator)
    change = client.get(reverse("admin:pitebra_agreement_change", args=[agreement.pk]))
    copy_url = reverse("agreement-copy", kwargs={"agreement_pk": agreement.pk})
    assert copy_url in change.content.decode()
    response = client.post(
        copy_url,
        {"title": "Nästa", "first_year": 2026, "last_year": 2028, "revise_by": "2028-12-31"},
    )
    assert response.status_code == HTTPStatus.FOUND
    new = Agreement.objects.get(title="Nästa")
    assert (new.municipality, new.police_area, new.previous) == (
        agreement.municipality,
        agreement.police_area,
        agreement,
    )
    assert Membership.objects.get(agreement=new, user=coordinator).role == COORDINATOR


def test_the_operator_creates_an_agreement(client, agreement):
    operator = User.objects.create_superuser("operator", password="x-long-password-1")
    client.force_login(operator)
    assert client.get(reverse("admin:pitebra_agreement_add")).status_code == HTTPStatus.OK


def test_meeting_attendees_come_from_the_agreements_working_group(
    client_for, agreement, coordinator, member, other_agreement
):
    stranger = make_member(other_agreement, username="annan")
    # Also a coordinator of a second agreement: its people are in the admin's choices, but
    # still not attendees of this agreement's meeting.
    second = make_agreement()
    _join(second, coordinator, COORDINATOR)
    colleague = make_member(second, username="kollega")
    meeting = make_meeting(agreement, attendees=[member])
    client = client_for(coordinator)
    url = reverse("admin:followup_meeting_change", args=[meeting.pk])
    page = client.get(url)
    choices = page.context["adminform"].form.fields["attendees"].queryset
    assert stranger not in choices
    base = _post_data(page.context)
    for outsider in (stranger, colleague):
        response = client.post(url, {**base, "attendees": [member.pk, outsider.pk]})
        assert response.status_code == HTTPStatus.OK
        assert list(Meeting.objects.get(pk=meeting.pk).attendees.all()) == [member]
    response = client.post(url, {**base, "attendees": [member.pk, coordinator.pk]})
    assert response.status_code == HTTPStatus.FOUND

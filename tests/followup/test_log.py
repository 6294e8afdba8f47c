"""Logging operational work: the fast form, its defaults, and who may use it."""

import datetime
from http import HTTPStatus
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import LogEntry
from pitebra.models import Membership

from ..factories import (
    make_activity,
    make_log_entry,
    make_member,
    make_organisation,
    make_plan_tree,
    make_promise,
)


@pytest.fixture
def this_year_tree(agreement):
    plan, strategy = make_plan_tree(agreement, year=timezone.localdate().year, activities=3)
    return plan, strategy


def log_url(agreement):
    return reverse("followup:log-create", args=[agreement.pk])


def test_the_form_defaults_to_today_my_organisation_and_no_activity(
    client_for, agreement, this_year_tree
):
    police = make_organisation(name="Polisen i test")
    member = make_member(agreement, username="polisman", organisation=police)
    plan, strategy = this_year_tree
    first, second, third = strategy.activities.order_by("pk")
    make_log_entry(first, created_by=member)
    make_log_entry(third, created_by=member)  # the latest
    page = client_for(member).get(log_url(agreement))
    form = page.context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["organisation"] == police.pk
    assert not form.initial.get("activity")  # the person chooses: "Välj aktivitet" first
    assert '<option value="" selected>Välj aktivitet</option>' in page.content.decode()
    groups = [label for label, _options in form.fields["activity"].choices[1:]]
    assert groups[0] == "Mina senaste aktiviteter"
    recent = [pk for pk, _label in form.fields["activity"].choices[1][1]]
    assert recent == [third.pk, first.pk]


def test_my_activities_come_before_the_others(client_for, agreement, member, this_year_tree):
    plan, strategy = this_year_tree
    mine = make_activity(strategy, title="Min aktivitet", contact_user=member)
    page = client_for(member).get(log_url(agreement)).content.decode()
    assert page.index("Min aktivitet") < page.index("Aktivitet nr 0")
    assert "Mina aktiviteter" in page
    assert f'value="{mine.pk}"' in page


def test_member_logs_work_in_a_few_fields(client_for, agreement, member, this_year_tree):
    plan, strategy = this_year_tree
    activity = strategy.activities.first()
    today = timezone.localdate()
    response = client_for(member).post(
        log_url(agreement),
        {
            "activity": activity.pk,
            "date": today.isoformat(),
            "description": "Patrull i centrum",
            "occasions": "2",
            "organisation": agreement.police_area_id,
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "followup:activity-followup", args=[agreement.pk, activity.pk]
    )
    entry = LogEntry.objects.get()
    assert (entry.activity, entry.date, entry.occasions, entry.created_by) == (
        activity,
        today,
        2,
        member,
    )
    page = client_for(member).get(response["Location"]).content.decode()
    assert "Patrull i centrum" in page
    assert "Loggat: " in page


def test_save_and_log_more_returns_to_the_form(client_for, agreement, member, this_year_tree):
    plan, strategy = this_year_tree
    response = client_for(member).post(
        log_url(agreement),
        {
            "activity": strategy.activities.first().pk,
            "date": timezone.localdate().isoformat(),
            "description": "Lektion",
            "occasions": "1",
            "organisation": agreement.municipality_id,
            "again": "1",
        },
    )
    assert response["Location"] == log_url(agreement)


def test_a_future_date_and_a_personal_identity_number_are_refused(
    client_for, agreement, member, this_year_tree
):
    plan, strategy = this_year_tree
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(member).post(
        log_url(agreement),
        {
            "activity": strategy.activities.first().pk,
            "date": tomorrow.isoformat(),
            "description": "Samtal med 811218-9876",
            "occasions": "1",
            "organisation": agreement.municipality_id,
        },
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "datumet kan inte ligga i framtiden" in page
    assert "personnummer" in page
    assert not LogEntry.objects.exists()


def test_a_log_entry_tagged_with_a_promise(client_for, agreement, member, this_year_tree):
    plan, strategy = this_year_tree
    promise = make_promise(plan, unit="medborgardialoger")
    client_for(member).post(
        log_url(agreement),
        {
            "activity": strategy.activities.first().pk,
            "date": timezone.localdate().isoformat(),
            "description": "Medborgardialog",
            "occasions": "1",
            "organisation": agreement.police_area_id,
            "citizen_promise": promise.pk,
        },
    )
    assert LogEntry.objects.get().citizen_promise == promise


def test_another_agreements_activity_cannot_be_logged_here(
    client_for, agreement, other_agreement, member, this_year_tree
):
    plan, strategy = make_plan_tree(other_agreement, year=timezone.localdate().year)
    foreign = strategy.activities.first()
    client = client_for(member)
    assert client.get(log_url(agreement), {"activity": foreign.pk}).status_code == 404
    response = client.post(
        log_url(agreement),
        {
            "activity": foreign.pk,
            "date": timezone.localdate().isoformat(),
            "description": "Fel",
            "occasions": "1",
            "organisation": agreement.municipality_id,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", HTTPStatus.OK),
        ("member", HTTPStatus.OK),
        ("reader", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_who_may_log_work(request, client_for, agreement, role, status):
    user = request.getfixturevalue(role)
    client = client_for(user)
    assert client.get(log_url(agreement)).status_code == status
    assert client.post(log_url(agreement), {}).status_code == status


def test_readers_get_no_log_work_link_members_do(client_for, agreement, reader, member):
    url = reverse("agreement-detail", args=[agreement.pk])
    assert "Logga arbete" not in client_for(reader).get(url).content.decode()
    page = client_for(member).get(url).content.decode()
    assert f'href="{log_url(agreement)}"' in page


def test_log_work_from_anywhere_goes_to_my_only_agreement(client_for, agreement, member):
    response = client_for(member).get(reverse("log-work"))
    assert response["Location"] == log_url(agreement)


def test_log_work_lets_someone_in_two_groups_choose(client_for, agreement, other_agreement):
    user = make_member(agreement, username="tvagrupper")
    make_member(other_agreement, Membership.Role.MEMBER, user=user)
    page = client_for(user).get(reverse("log-work")).content.decode()
    assert agreement.title in page and other_agreement.title in page


def test_the_default_date_is_the_day_in_stockholm(client_for, agreement, member):
    # 23:30 UTC on New Year's Eve is already New Year's Day in Sweden.
    moment = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        form = client_for(member).get(log_url(agreement)).context["form"]
    assert form.initial["date"] == datetime.date(2025, 1, 1)


def test_a_recent_activity_of_another_year_is_labelled_with_its_year(
    client_for, agreement, member, this_year_tree
):
    plan, strategy = this_year_tree
    old_plan, old_strategy = make_plan_tree(agreement, year=plan.year - 1, activities=0)
    old = make_activity(old_strategy, title="Förra årets")
    make_log_entry(old, created_by=member)
    form = client_for(member).get(log_url(agreement)).context["form"]
    recent = dict(form.fields["activity"].choices[1][1])
    assert recent[old.pk] == f"Förra årets ({plan.year - 1})"


def test_logging_from_an_activity_of_another_year_offers_it(
    client_for, agreement, member, this_year_tree
):
    plan, strategy = this_year_tree
    old_plan, old_strategy = make_plan_tree(agreement, year=plan.year - 1, activities=1)
    old = old_strategy.activities.get()
    form = client_for(member).get(log_url(agreement), {"activity": old.pk}).context["form"]
    assert form.initial["activity"] == old.pk
    label, options = form.fields["activity"].choices[1]
    assert label == "Vald aktivitet"
    assert [pk for pk, _ in options] == [old.pk]


def test_the_author_or_a_coordinator_removes_a_log_entry(
    client_for, agreement, member, coordinator, this_year_tree
):
    plan, strategy = this_year_tree
    activity = strategy.activities.first()
    day = datetime.date(plan.year, 3, 1)  # in the plan's year, so the page lists them
    mine = make_log_entry(activity, created_by=member, date=day)
    theirs = make_log_entry(activity, created_by=coordinator, date=day)
    client = client_for(member)
    url = reverse("followup:log-delete", args=[agreement.pk, theirs.pk])
    # The page offers "Remove" by the same rule the view enforces.
    page = client.get(reverse("followup:activity-followup", args=[agreement.pk, activity.pk]))
    assert reverse("followup:log-delete", args=[agreement.pk, mine.pk]) in page.content.decode()
    assert url not in page.content.decode()
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    response = client.post(reverse("followup:log-delete", args=[agreement.pk, mine.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert list(LogEntry.objects.all()) == [theirs]
    client_for(coordinator).post(url)
    assert not LogEntry.objects.exists()


def test_another_agreements_log_entry_is_404(client_for, agreement, other_agreement, member):
    plan, strategy = make_plan_tree(other_agreement, activities=1)
    entry = make_log_entry(strategy.activities.get(), created_by=member)
    url = reverse("followup:log-delete", args=[agreement.pk, entry.pk])
    assert client_for(member).post(url).status_code == HTTPStatus.NOT_FOUND
    assert LogEntry.objects.exists()

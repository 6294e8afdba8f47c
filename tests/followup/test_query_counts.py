"""The other follow-up pages also answer in a number of queries that does not grow."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import CouncilAnswer, Decision
from followup.services import council_survey_start

from ..factories import (
    make_activity,
    make_log_entry,
    make_meeting,
    make_member,
    make_organisation,
    make_plan_tree,
    make_promise,
)


def _bounded(client, url, grow, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.fixture
def people(agreement):
    orgs = [make_organisation() for _ in range(3)]
    return [make_member(agreement, organisation=orgs[n % 3]) for n in range(12)]


def test_meeting_list_and_meeting(
    client_for, agreement, member, people, django_assert_max_num_queries
):
    meeting = make_meeting(agreement, attendees=people[:2])
    client = client_for(member)

    def grow():
        for n in range(25):
            m = make_meeting(agreement, date=datetime.date(2024, 1 + n % 12, 1), attendees=people)
            Decision.objects.create(meeting=m, text=f"Beslut {n}")
        for n in range(10):
            Decision.objects.create(meeting=meeting, text=f"Beslut {n}")
        meeting.attendees.set(people)

    _bounded(
        client,
        reverse("followup:meeting-list", args=[agreement.pk]),
        grow,
        django_assert_max_num_queries,
    )
    url = reverse("followup:meeting-detail", args=[agreement.pk, meeting.pk])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_council_page(client_for, agreement, member, people, django_assert_max_num_queries):
    survey = council_survey_start(agreement=agreement, year=2024)
    make_meeting(agreement, attendees=people[:3])

    def grow():
        for person in people:
            for question in survey.questions.all():
                CouncilAnswer.objects.create(
                    question=question, respondent=person, score=3, comment="Kommentar"
                )
        for n in range(10):
            make_meeting(agreement, date=datetime.date(2024, 1 + n, 2), attendees=people)

    url = reverse("followup:council-year", args=[agreement.pk, 2024])
    _bounded(client_for(member), url, grow, django_assert_max_num_queries)


def test_activity_follow_up_page(
    client_for, agreement, member, people, django_assert_max_num_queries
):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    promise = make_promise(plan)
    make_log_entry(activity, created_by=member)

    def grow():
        for n in range(40):
            make_log_entry(
                activity,
                created_by=people[n % len(people)],
                citizen_promise=promise,
                organisation=people[n % 3].organisation,
            )

    url = reverse("followup:activity-followup", args=[agreement.pk, activity.pk])
    _bounded(client_for(member), url, grow, django_assert_max_num_queries)


def test_log_form(client_for, agreement, member, django_assert_max_num_queries):
    plan, strategy = make_plan_tree(agreement, year=timezone.localdate().year, activities=2)

    def grow():
        for n in range(40):
            activity = make_activity(strategy, contact_user=member if n % 2 else None)
            make_log_entry(activity, created_by=member)

    _bounded(
        client_for(member),
        reverse("followup:log-create", args=[agreement.pk]),
        grow,
        django_assert_max_num_queries,
    )

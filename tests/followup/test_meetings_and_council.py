"""Meetings (agenda pre-fill, decision → activity) and the council's self-evaluation."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.council import meeting_statistics, survey_results
from followup.models import CouncilAnswer, CouncilSurvey, Decision, Meeting
from followup.services import council_survey_start, decision_to_activity
from pitebra.models import Membership
from plans.models import Activity

from ..factories import (
    make_activity,
    make_meeting,
    make_member,
    make_organisation,
    make_plan_tree,
)

D = datetime.date


def test_new_meeting_agenda_is_pre_filled_from_the_follow_up(client_for, agreement, member):
    year = timezone.localdate().year
    plan, strategy = make_plan_tree(agreement, year=year, activities=0)
    make_activity(strategy, title="Fritidsgården", traffic_light="red")
    make_activity(
        strategy,
        title="Belysningen",
        status="ongoing",
        end=D(year, 1, 1) - datetime.timedelta(days=1),
    )
    make_activity(strategy, title="Lektionerna", status="done")
    response = client_for(member).get(reverse("followup:meeting-create", args=[agreement.pk]))
    agenda = response.context["form"].initial["agenda"]
    assert "Röd: Fritidsgården" in agenda
    assert "Försenad: Belysningen" in agenda
    assert "Lektionerna" in agenda.split("4. Saknade utvärderingar")[1]


def test_member_records_a_meeting_with_attendees_and_a_decision(client_for, agreement, member):
    client = client_for(member)
    response = client.post(
        reverse("followup:meeting-create", args=[agreement.pk]),
        {
            "date": "2024-05-21",
            "title": "Arbetsgruppens möte",
            "attendees": [member.pk],
            "other_attendees": "Anna, Strömbackaskolan",
            "agenda": "1. Öppnande",
            "minutes": "Vi gick igenom planen.",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse(
        "followup:meeting-detail", args=[agreement.pk, meeting.pk]
    )
    assert list(meeting.attendees.all()) == [member]
    client.post(response["Location"], {"text": "Starta nattvandring i Öjebyn."})
    page = client.get(response["Location"]).content.decode()
    assert "Starta nattvandring i Öjebyn." in page
    assert "Anna, Strömbackaskolan" in page
    assert "Gör det till en aktivitet i planen" in page


def test_a_decision_becomes_an_activity_in_the_plan(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    meeting = make_meeting(agreement, date=D(2024, 5, 21))
    decision = Decision.objects.create(meeting=meeting, text="Starta nattvandring i Öjebyn.")
    client = client_for(member)
    url = reverse("followup:decision-activity", args=[agreement.pk, decision.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["strategy"].queryset) == [strategy]
    assert form.initial["title"] == "Starta nattvandring i Öjebyn."
    response = client.post(
        url,
        {
            "strategy": strategy.pk,
            "title": "Nattvandring i Öjebyn",
            "responsible_organisation": agreement.municipality_id,
            "contact_user": member.pk,
            "start": "2024-06-01",
            "end": "2024-08-31",
        },
    )
    activity = Activity.objects.get(title="Nattvandring i Öjebyn")
    assert response["Location"] == reverse(
        "plans:activity-detail", args=[agreement.pk, activity.pk]
    )
    decision.refresh_from_db()
    assert decision.activity == activity
    assert activity.strategy == strategy and activity.status == "planned"
    existing = strategy.activities.exclude(pk=activity.pk).get()
    assert activity.position > existing.position  # placed last under the strategy
    assert "2024-05-21" in activity.description
    page = client.get(reverse("followup:meeting-detail", args=[agreement.pk, meeting.pk]))
    assert "Blev aktiviteten ”Nattvandring i Öjebyn”" in page.content.decode()
    # A second attempt does not create another activity.
    client.post(
        url,
        {
            "strategy": strategy.pk,
            "title": "Igen",
            "contact_name": "X",
            "responsible_organisation": agreement.municipality_id,
        },
    )
    assert not Activity.objects.filter(title="Igen").exists()


def test_decision_to_activity_service_needs_no_request(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    decision = Decision.objects.create(meeting=make_meeting(agreement), text="Beslut")
    activity = decision_to_activity(
        decision=decision,
        strategy=strategy,
        title="Ny",
        responsible_organisation=agreement.police_area,
        contact_name="Polisen",
    )
    assert activity.decisions.get() == decision


def test_decisions_of_another_agreement_are_404(client_for, agreement, other_agreement, member):
    decision = Decision.objects.create(meeting=make_meeting(other_agreement), text="Hemligt")
    client = client_for(member)
    url = reverse("followup:decision-activity", args=[agreement.pk, decision.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    meeting_url = reverse("followup:meeting-detail", args=[agreement.pk, decision.meeting_id])
    assert client.get(meeting_url).status_code == HTTPStatus.NOT_FOUND


def test_meeting_statistics_count_meetings_and_attendance_per_organisation(agreement):
    police = make_organisation(name="Polisen")
    town = make_organisation(name="Kommunen")
    p1 = make_member(agreement, organisation=police)
    p2 = make_member(agreement, organisation=police)
    k1 = make_member(agreement, organisation=town)
    make_meeting(agreement, date=D(2024, 2, 1), attendees=[p1, p2, k1])
    make_meeting(agreement, date=D(2024, 5, 1), attendees=[k1])
    make_meeting(agreement, date=D(2024, 9, 1), attendees=[p1])
    make_meeting(agreement, date=D(2025, 1, 10), attendees=[p1, k1])
    stats = meeting_statistics(agreement, 2024)
    assert stats.held == 3
    assert stats.attendance == [("Kommunen", 2, 2), ("Polisen", 2, 3)]


@pytest.fixture
def survey(agreement):
    return council_survey_start(agreement=agreement, year=2024)


def test_a_new_self_evaluation_has_the_four_standard_questions(survey):
    topics = list(survey.questions.values_list("topic", flat=True))
    assert topics == ["participation", "information", "decisions", "follow_up"]
    assert survey.state == "draft"


def test_questionnaire_results_are_aggregated_per_question_without_names(agreement, survey):
    q1, q2, *_ = survey.questions.all()
    people = [make_member(agreement) for _ in range(3)]
    for person, (s1, s2, comment) in zip(
        people, [(5, 2, "Bra möten"), (4, 3, ""), (3, 3, "Sena kallelser")], strict=True
    ):
        CouncilAnswer.objects.create(question=q1, respondent=person, score=s1, comment=comment)
        CouncilAnswer.objects.create(question=q2, respondent=person, score=s2)
    r1, r2, r3, r4 = survey_results(survey)
    assert (r1.answers, r1.average) == (3, 4.0)
    assert r1.distribution == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert r1.comments == ["Bra möten", "Sena kallelser"]
    assert (r2.answers, r2.average) == (3, 2.7)
    assert (r3.answers, r3.average, r3.comments) == (0, None, [])


def test_coordinator_opens_members_answer_coordinator_closes(
    client_for, agreement, coordinator, member, reader
):
    client = client_for(coordinator)
    client.post(reverse("followup:council-start", args=[agreement.pk, 2024]))
    survey = CouncilSurvey.objects.get()
    state_url = reverse("followup:council-state", args=[agreement.pk, 2024])
    assert client_for(member).post(state_url, {"state": "open"}).status_code == 403
    client_for(coordinator).post(state_url, {"state": "open"})
    survey.refresh_from_db()
    assert survey.is_open and survey.opened_on == timezone.localdate()

    answer_url = reverse("followup:council-answer", args=[agreement.pk, 2024])
    questions = list(survey.questions.all())
    data = {f"score_{q.pk}": "4" for q in questions}
    data[f"comment_{questions[0].pk}"] = "Alla kommer"
    client = client_for(member)
    assert client.post(answer_url, data).status_code == HTTPStatus.FOUND
    data[f"score_{questions[0].pk}"] = "2"
    client.post(answer_url, data)  # changes the answer, does not add another
    assert CouncilAnswer.objects.filter(respondent=member).count() == 4
    assert CouncilAnswer.objects.get(question=questions[0]).score == 2
    assert client_for(reader).get(answer_url).status_code == 403

    client_for(coordinator).post(state_url, {"state": "closed"})
    response = client_for(member).post(answer_url, data, follow=True)
    assert "inte öppen för svar" in response.content.decode()
    page = client_for(member).get(reverse("followup:council-year", args=[agreement.pk, 2024]))
    text = page.content.decode()
    assert "Stängd" in text and "1 medlem har svarat." in text
    assert "Alla kommer" not in text  # one answer alone would say who wrote it
    assert not re.search(rf"\b{member.username}\b", text.split("Resultat per fråga")[1])


def test_coordinator_edits_the_questions(client_for, agreement, coordinator, member, survey):
    url = reverse("followup:council-question-create", args=[agreement.pk, 2024])
    assert client_for(member).get(url).status_code == 403
    client_for(coordinator).post(url, {"topic": "other", "text": "Rådet har rätt mandat."})
    assert survey.questions.count() == 5
    question = survey.questions.get(topic="participation")
    edit = reverse("followup:council-question-edit", args=[agreement.pk, 2024, question.pk])
    client_for(coordinator).post(edit, {"delete": "1"})
    assert survey.questions.count() == 4


def test_council_page_for_a_year_outside_the_agreement_is_404(client_for, agreement, member):
    url = reverse("followup:council-year", args=[agreement.pk, 2030])
    assert client_for(member).get(url).status_code == HTTPStatus.NOT_FOUND


def test_readers_cannot_open_meetings_or_the_council(client_for, agreement, reader):
    client = client_for(reader)
    for url in [
        reverse("followup:meeting-list", args=[agreement.pk]),
        reverse("followup:council-year", args=[agreement.pk, 2024]),
    ]:
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert Membership.objects.get(user=reader).role == "reader"

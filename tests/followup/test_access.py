"""Who may open the follow-up: a table of role × page × expected status."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from followup.models import Decision
from followup.services import council_survey_start

from ..factories import make_meeting, make_plan_tree

OK, FORBIDDEN, NOT_FOUND = HTTPStatus.OK, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND


@pytest.fixture
def pages(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    activity = strategy.activities.get()
    meeting = make_meeting(agreement)
    decision = Decision.objects.create(meeting=meeting, text="Beslut")
    council_survey_start(agreement=agreement, year=2024)
    a = agreement.pk
    return {
        "log": reverse("followup:log-create", args=[a]),
        "activity": reverse("followup:activity-followup", args=[a, activity.pk]),
        "year": reverse("followup:followup-year", args=[a, 2024]),
        "evaluations": reverse("followup:evaluation-list", args=[a, 2024]),
        "evaluate": reverse("followup:evaluation-edit", args=[a, activity.pk]),
        "meetings": reverse("followup:meeting-list", args=[a]),
        "meeting-new": reverse("followup:meeting-create", args=[a]),
        "meeting": reverse("followup:meeting-detail", args=[a, meeting.pk]),
        "meeting-edit": reverse("followup:meeting-edit", args=[a, meeting.pk]),
        "decision": reverse("followup:decision-activity", args=[a, decision.pk]),
        "council": reverse("followup:council-year", args=[a, 2024]),
        "question-new": reverse("followup:council-question-create", args=[a, 2024]),
    }


MEMBER_PAGES = [
    "log",
    "activity",
    "year",
    "evaluations",
    "evaluate",
    "meetings",
    "meeting-new",
    "meeting",
    "meeting-edit",
    "decision",
    "council",
]


@pytest.mark.parametrize("page", MEMBER_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", OK), ("member", OK), ("reader", FORBIDDEN), ("outsider", NOT_FOUND)],
)
def test_member_pages(request, client_for, pages, page, role, status):
    user = request.getfixturevalue(role)
    assert client_for(user).get(pages[page]).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("coordinator", OK), ("member", FORBIDDEN), ("reader", FORBIDDEN), ("outsider", NOT_FOUND)],
)
def test_only_coordinators_edit_the_questions(request, client_for, pages, role, status):
    user = request.getfixturevalue(role)
    assert client_for(user).get(pages["question-new"]).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, pages):
    for url in [*pages.values(), reverse("log-work"), reverse("reminder-settings")]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("login"))


def test_the_follow_up_tab_is_in_the_agreement_nav(client_for, agreement, member):
    page = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    assert "Uppföljning" in page.content.decode()
    assert reverse("followup:followup-index", args=[agreement.pk]) in page.content.decode()

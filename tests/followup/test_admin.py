"""The follow-up in the admin: coordinators see their own agreements' records only."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from followup.models import Decision
from followup.services import council_survey_start

from ..factories import make_evaluation, make_log_entry, make_meeting, make_plan_tree


@pytest.fixture
def records(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    activity = strategy.activities.get()
    meeting = make_meeting(agreement, title="Vårt möte")
    Decision.objects.create(meeting=meeting, text="Vårt beslut")
    return {
        "logentry": make_log_entry(activity, description="Vår insats"),
        "evaluation": make_evaluation(activity),
        "meeting": meeting,
        "councilsurvey": council_survey_start(agreement=agreement, year=2024),
    }


@pytest.mark.parametrize("model", ["logentry", "evaluation", "meeting", "councilsurvey"])
def test_coordinator_opens_own_records_outsider_gets_404(
    client_for, records, coordinator, outsider, model
):
    obj = records[model]
    change = reverse(f"admin:followup_{model}_change", args=[obj.pk])
    assert client_for(coordinator).get(change).status_code == HTTPStatus.OK
    assert client_for(outsider).get(change).status_code == HTTPStatus.NOT_FOUND


def test_changelists_are_scoped(client_for, records, coordinator, outsider):
    url = reverse("admin:followup_logentry_changelist")
    assert "Vår insats" not in client_for(outsider).get(url).content.decode()
    page = client_for(coordinator).get(url).content.decode()
    assert "2024-03-01" in page

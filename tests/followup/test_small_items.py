"""The smaller items of issue 12, each as the user or operator meets it."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from followup.forms.work import EvaluationForm
from followup.models import Decision, Evaluation
from pitebra.validators import validate_no_personal_identity_number
from plans.models import Activity

from ..factories import (
    make_goal,
    make_indicator,
    make_meeting,
    make_observation,
    make_plan_tree,
    make_strategy,
)

D = datetime.date


def test_change_is_andra_in_the_admin_and_the_verdict_the_language_switch_says_byt(
    client_for, agreement, coordinator
):
    with translation.override("sv"):
        assert str(Evaluation.Verdict.CHANGE.label) == "Ändra"
    client = client_for(coordinator)
    admin = client.get(reverse("admin:index")).content.decode()
    assert re.search(r'class="changelink"[^>]*>Ändra</a>', admin) and ">Byt<" not in admin
    home = client.get(reverse("home")).content.decode()
    assert ">Byt</button>" in home  # the header's language switch


@pytest.mark.parametrize("text", ["19811218 9876", "811218 9876", "Ring 19811218\u00a09876"])
def test_a_personal_identity_number_written_with_a_space_is_caught(text):
    with pytest.raises(ValidationError):
        validate_no_personal_identity_number(text)


def test_a_value_column_shows_the_same_decimals_in_every_row(client_for, agreement, member):
    indicator = make_indicator(agreement, name="Anmälda brott")
    make_observation(indicator, 2023, 14)
    make_observation(indicator, 2024, "14.8")
    page = client_for(member).get(reverse("plans:indicator-list", args=[agreement.pk]))
    text = page.content.decode()
    assert ">14,0</td>" in text and ">14,8</td>" in text
    assert ">14</td>" not in text


def test_exports_include_goals_and_strategies_without_activities_and_say_klart(
    client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    Activity.objects.update(status="done")
    lonely_goal = make_goal(plan, title="Mål utan strategier")
    make_strategy(make_goal(plan, title="Mål med tom strategi"), title="Strategi utan aktiviteter")
    response = client_for(member).get(reverse("plans:plan-export-csv", args=[agreement.pk, 2024]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    titles = [(row[1], row[2], row[4], row[12]) for row in rows[1:]]
    assert (strategy.goal.title, strategy.title, "Aktivitet nr 0", "Klart") in titles
    assert (lonely_goal.title, "", "", "") in titles
    assert ("Mål med tom strategi", "Strategi utan aktiviteter", "", "") in titles


def test_a_refused_status_change_keeps_the_chosen_traffic_light(client_for, agreement, member):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    activity = strategy.activities.get()
    url = reverse("followup:activity-status", args=[agreement.pk, activity.pk])
    response = client_for(member).post(
        url, {"status": "ongoing", "traffic_light": "red", "comment": ""}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert '<option value="red" selected>' in page
    assert "Statusen ändrades inte" in page
    activity.refresh_from_db()
    assert activity.traffic_light == ""


def test_the_evaluation_form_has_no_empty_radio_button(agreement):
    form = EvaluationForm()
    for name in ("verdict", "done_as_planned"):
        assert "" not in [value for value, _label in form.fields[name].choices]
        assert "---------" not in str(form[name])


def test_a_decision_dated_outside_the_plan_year_warns_before_it_becomes_an_activity(
    client_for, agreement, member
):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    decision = Decision.objects.create(
        meeting=make_meeting(agreement, date=D(2024, 11, 20)), text="Vinterns vandringar"
    )
    url = reverse("followup:decision-activity", args=[agreement.pk, decision.pk])
    data = {
        "strategy": strategy.pk,
        "title": "Vintervandringar",
        "responsible_organisation": agreement.municipality_id,
        "contact_user": member.pk,
        "start": "2024-12-01",
        "end": "2025-02-28",
    }
    client = client_for(member)
    warned = client.post(url, data)
    assert warned.status_code == HTTPStatus.OK
    page = warned.content.decode()
    assert "Datumet ligger utanför planens år 2024" in page
    assert 'type="checkbox" name="outside_year_ok"' in page
    assert not Activity.objects.filter(title="Vintervandringar").exists()
    client.post(url, {**data, "outside_year_ok": "on"})
    assert Activity.objects.get(title="Vintervandringar").end == D(2025, 2, 28)

"""Status updates need a comment and are kept; evaluations per activity and year."""

import datetime
import re
from http import HTTPStatus

from django.urls import reverse

from followup.models import Evaluation
from plans.models import StatusUpdate

from ..factories import make_activity, make_evaluation, make_log_entry, make_plan_tree

D = datetime.date


def _edit_data(client, agreement, activity):
    form = client.get(reverse("plans:activity-edit", args=[agreement.pk, activity.pk])).context[
        "form"
    ]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "partners"}
    data.update(contact_name="Någon")
    return data


def test_changing_the_traffic_light_in_the_plan_needs_a_comment(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    client = client_for(member)
    data = _edit_data(client, agreement, activity)
    data["traffic_light"] = "red"
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "Trafikljuset ändrades: skriv en kort kommentar om varför." in response.content.decode()
    assert not StatusUpdate.objects.exists()

    data["traffic_light_comment"] = "Lokalen är inte klar."
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    update = StatusUpdate.objects.get()
    assert (update.previous_traffic_light, update.traffic_light) == ("", "red")
    assert update.comment == "Lokalen är inte klar."
    assert update.created_by == member


def test_an_edit_that_keeps_the_light_needs_no_new_comment(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(
        strategy, contact_name="Någon", traffic_light="green", traffic_light_comment="Enligt plan."
    )
    client = client_for(member)
    data = _edit_data(client, agreement, activity)
    data["title"] = "Nytt namn"
    response = client.post(reverse("plans:activity-edit", args=[agreement.pk, activity.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    assert not StatusUpdate.objects.exists()


def test_status_update_from_the_follow_up_is_recorded_and_shown(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy, traffic_light="green", status="ongoing")
    version = activity.version
    client = client_for(member)
    url = reverse("followup:activity-status", args=[agreement.pk, activity.pk])
    client.post(url, {"status": "postponed", "traffic_light": "red", "comment": ""})
    assert not StatusUpdate.objects.exists()
    client.post(url, {"status": "postponed", "traffic_light": "red", "comment": "Ingen personal."})
    activity.refresh_from_db()
    assert (activity.status, activity.traffic_light) == ("postponed", "red")
    assert activity.traffic_light_comment == "Ingen personal."
    assert activity.version == version + 1  # an edit opened before this is refused
    page = client.get(reverse("followup:activity-followup", args=[agreement.pk, activity.pk]))
    text = page.content.decode()
    assert "Ingen personal." in text
    assert "Grön" in text and "Röd" in text  # the light in words, not only in colour
    assert activity.history.latest("history_date").history_user == member


def test_evaluation_is_saved_per_activity_and_year_with_the_log_beside(
    client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    activity = make_activity(strategy, status="done", estimated_hours=20)
    make_log_entry(activity, occasions=4, people_reached=96, hours=8)
    make_log_entry(activity, occasions=3, people_reached=71, hours=6)
    client = client_for(member)
    url = reverse("followup:evaluation-edit", args=[agreement.pk, activity.pk])
    page = client.get(url).content.decode()
    # SQLite sums decimals to 14, PostgreSQL to 14,0.
    assert re.search(r"2 loggar: 7 gånger, 167 nådda personer, 14(,0)? timmar\.", page)
    assert "Planerat: 20,0 timmar." in page
    response = client.post(
        url,
        {
            "done_as_planned": "partly",
            "what_worked": "Bra samarbete med skolan",
            "effect_assessment": "Färre anmälda nätbrott",
            "comparison_scope": "Norrbottens län",
            "verdict": "change",
        },
    )
    assert response["Location"] == reverse("followup:evaluation-list", args=[agreement.pk, 2024])
    evaluation = Evaluation.objects.get()
    assert (evaluation.year, evaluation.verdict, evaluation.updated_by) == (2024, "change", member)
    client.post(url, {"done_as_planned": "yes", "verdict": "continue", "loaded_version": 1})
    assert Evaluation.objects.get().verdict == "continue"  # edited, not duplicated
    listing = client.get(response["Location"]).content.decode()
    assert "Ja, enligt plan" in listing and "Fortsätt" in listing


def test_evaluation_list_rolls_the_goal_up(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    done = make_activity(strategy, status="done")
    make_activity(strategy, status="ongoing")
    make_evaluation(done, verdict="stop")
    page = client_for(member).get(reverse("followup:evaluation-list", args=[agreement.pk, 2024]))
    text = page.content.decode()
    assert "1 av 2 aktiviteter klara, 1 utvärderade" in text
    assert "avsluta 1" in text
    assert "Ej utvärderad" in text


def test_another_agreements_activity_is_404(client_for, agreement, other_agreement, member):
    plan, strategy = make_plan_tree(other_agreement, activities=1)
    foreign = strategy.activities.get()
    client = client_for(member)
    for name in ["followup:evaluation-edit", "followup:activity-followup"]:
        assert client.get(reverse(name, args=[agreement.pk, foreign.pk])).status_code == 404
    url = reverse("followup:activity-status", args=[agreement.pk, foreign.pk])
    assert client.post(url, {"status": "done", "comment": "x"}).status_code == 404


def test_a_new_activity_with_a_light_needs_a_comment_and_records_it(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    data = {
        "strategy": strategy.pk,
        "title": "Ny insats",
        "responsible_organisation": agreement.municipality_id,
        "contact_name": "Anna",
        "status": "planned",
        "traffic_light": "yellow",
    }
    url = reverse("plans:activity-create", args=[agreement.pk, strategy.pk])
    client = client_for(member)
    assert client.post(url, data).status_code == HTTPStatus.OK
    data["traffic_light_comment"] = "Finansieringen är inte klar."
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    update = StatusUpdate.objects.get()
    assert (update.previous_traffic_light, update.traffic_light) == ("", "yellow")

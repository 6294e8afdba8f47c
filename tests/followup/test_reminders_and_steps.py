"""The reminder digest per person, turning it off, and the dashboard's steps 4 and 5."""

import datetime
from http import HTTPStatus

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from followup.models import CouncilSurvey
from followup.overview import digest_for
from followup.steps import follow_up_step_states, operations_step_states
from pitebra.models import Membership

from ..factories import (
    make_activity,
    make_evaluation,
    make_log_entry,
    make_member,
    make_plan_tree,
)

D = datetime.date
TODAY = D(2024, 6, 15)


def _people(agreement):
    anna = make_member(agreement, username="anna", first_name="Anna", email="anna@example.se")
    bo = make_member(agreement, username="bo", first_name="Bo", email="bo@example.se")
    return anna, bo


def _activities(agreement, anna, bo):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    make_activity(strategy, title="Annas försenade", contact_user=anna, end=D(2024, 6, 1))
    make_activity(strategy, title="Annas snart", contact_user=anna, end=D(2024, 7, 1))
    make_activity(strategy, title="Annas senare", contact_user=anna, end=D(2024, 11, 1))
    make_activity(
        strategy, title="Annas klara", contact_user=anna, status="done", end=D(2024, 5, 1)
    )
    evaluated = make_activity(
        strategy, title="Annas utvärderade", contact_user=anna, status="done", end=D(2024, 5, 1)
    )
    make_evaluation(evaluated)
    make_activity(strategy, title="Bos snart", contact_user=bo, end=D(2024, 6, 20))
    return plan


def _send(today=TODAY):
    call_command("send_reminders", today=today, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_each_person_gets_a_digest_of_their_own_activities(agreement):
    anna, bo = _people(agreement)
    _activities(agreement, anna, bo)
    digest = digest_for(anna, TODAY)
    assert [a.title for a in digest["overdue"]] == ["Annas försenade"]
    assert [a.title for a in digest["soon"]] == ["Annas snart"]
    assert sorted(a.title for a in digest["missing_evaluations"]) == [
        "Annas försenade",
        "Annas klara",
    ]
    _send()
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"anna@example.se", "bo@example.se"}
    body = by_person["anna@example.se"].body
    assert body.startswith("Hej Anna!")
    assert "Försenade (slutdatumet har passerat och aktiviteten är inte klar):" in body
    assert "- Annas försenade (slut 2024-06-01)" in body
    assert "Ska vara klara inom 30 dagar:" in body and "Annas snart" in body
    assert "Ska utvärderas:" in body and "Annas klara" in body
    assert "Annas senare" not in body and "Annas utvärderade" not in body
    assert "Bos snart" not in body
    assert "/reminders/" in body
    assert by_person["anna@example.se"].subject == "PiteBra: dina aktiviteter per 15 juni 2024"
    assert "Bos snart" in by_person["bo@example.se"].body


def test_no_digest_when_there_is_nothing_or_reminders_are_off(agreement):
    anna, bo = _people(agreement)
    _activities(agreement, anna, bo)
    anna.receives_reminders = False
    anna.save()
    _send(D(2024, 1, 2))  # nothing is due yet
    assert mail.outbox == []
    _send()
    assert [m.to for m in mail.outbox] == [["bo@example.se"]]


def test_readers_get_no_digest(agreement):
    anna, bo = _people(agreement)
    _activities(agreement, anna, bo)
    Membership.objects.filter(user=bo).update(role="reader")
    assert digest_for(bo, TODAY) == {"overdue": [], "soon": [], "missing_evaluations": []}


def test_a_person_turns_reminders_off_and_on(client_for, agreement, member):
    client = client_for(member)
    url = reverse("reminder-settings")
    page = client.get(url).content.decode()
    assert "Påminnelser via e-post" in page
    response = client.post(url, {}, follow=True)
    member.refresh_from_db()
    assert not member.receives_reminders
    assert "Du får inte längre påminnelser via e-post." in response.content.decode()
    client.post(url, {"receives_reminders": "on"})
    member.refresh_from_db()
    assert member.receives_reminders


def test_step_4_follows_the_log(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=2)
    assert operations_step_states(agreement, [2023, 2024, 2025], today=TODAY) == {}
    first, second = strategy.activities.all()
    make_log_entry(first)
    assert operations_step_states(agreement, [2024], today=TODAY) == {2024: "in_progress"}
    strategy.activities.update(status="done")
    assert operations_step_states(agreement, [2024], today=TODAY) == {2024: "done"}
    strategy.activities.update(status="ongoing")
    assert operations_step_states(agreement, [2024], today=D(2025, 1, 1)) == {2024: "done"}


def test_step_5_follows_evaluations_and_the_self_evaluation(agreement):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    a = make_activity(strategy, status="done")
    b = make_activity(strategy, status="ongoing")
    make_activity(strategy, status="cancelled")
    assert follow_up_step_states(agreement, [2024]) == {}
    make_evaluation(a)
    assert follow_up_step_states(agreement, [2024]) == {2024: "in_progress"}
    make_evaluation(b)
    survey = CouncilSurvey.objects.create(agreement=agreement, year=2024)
    assert follow_up_step_states(agreement, [2024]) == {2024: "in_progress"}
    survey.state = "closed"
    survey.save()
    assert follow_up_step_states(agreement, [2024]) == {2024: "done"}


def test_dashboard_shows_the_demos_steps_4_and_5_from_the_data(client_for, demo):
    response = client_for(demo["users"]["kommun"]).get(
        reverse("agreement-detail", args=[demo["pitea"].pk])
    )
    assert response.status_code == HTTPStatus.OK
    cycle = {y.year: y.steps for y in response.context["cycle"]}
    assert (cycle[2024][3].state, cycle[2024][3].derived) == ("done", True)
    assert (cycle[2024][4].state, cycle[2024][4].derived) == ("done", True)
    assert cycle[2025][3].derived  # work is logged in 2025

"""Where the pages promise anonymity, no export names the person: the self-evaluation's
answers leave without their respondent, in export.zip and in export_agreement."""

import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from followup.council import respondents
from followup.models import CouncilAnswer, CouncilSurvey
from followup.services import council_survey_start
from pitebra.models import Membership
from pitebra.transfer.graph import (
    exported_field_names,
    is_anonymous,
    label,
    restorable_models,
)
from pitebra.transfer.restore import import_agreement

from ..factories import make_member


def test_every_exported_field_pointing_at_a_person_is_outside_the_anonymous_models():
    anonymous = {name for name in restorable_models() if is_anonymous(apps.get_model(name))}
    assert "followup.CouncilAnswer" in anonymous
    for name in restorable_models():
        model = apps.get_model(name)
        fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
        exported = set(exported_field_names(model))
        to_people = [
            f.name
            for f in fields
            if f.is_relation
            and f.related_model is not None
            and label(f.related_model) == settings.AUTH_USER_MODEL
            and f.name in exported
        ]
        if is_anonymous(model):
            assert not to_people, f"{name} promises anonymity but exports {to_people}"
        # Nothing links to an anonymous row: its ids are renumbered on export.
        for field in fields:
            if field.is_relation and field.related_model is not None:
                assert not is_anonymous(field.related_model) or field.one_to_many, (name, field)


@pytest.fixture
def answered(agreement, coordinator):
    """Three members answered every question; one of them has since left the group."""
    survey = council_survey_start(agreement=agreement, year=2024)
    people = [make_member(agreement, username=f"svarande{n}") for n in range(3)]
    for n, person in enumerate(people):
        for question in survey.questions.all():
            CouncilAnswer.objects.create(
                question=question, respondent=person, score=1 + n, comment=f"Kommentar {n}"
            )
    Membership.objects.filter(user=people[2]).delete()
    return survey, people


def _records(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            n.removeprefix("records/").removesuffix(".json"): json.loads(zf.read(n))
            for n in zf.namelist()
            if n.startswith("records/")
        }


def _assert_anonymous(records, people):
    answers = records["followup.CouncilAnswer"]
    assert answers and all("respondent" not in r["fields"] for r in answers)
    usernames = {r["fields"]["username"] for r in records["pitebra.User"]}
    assert "svarande2" not in usernames  # named only by the answers: not exported at all
    # The rows are not in the order people answered (which would group one person's answers).
    keys = [json.dumps(r["fields"], sort_keys=False) for r in answers]
    assert keys == sorted(keys)
    assert [r["pk"] for r in answers] == list(range(1, len(answers) + 1))


def test_export_zip_names_no_respondent(client_for, agreement, coordinator, answered):
    survey, people = answered
    response = client_for(coordinator).get(reverse("agreement-export", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.OK
    _assert_anonymous(_records(response.content), people)


def test_the_command_names_no_respondent_and_the_restore_keeps_the_figures(
    agreement, answered, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    survey, people = answered
    path = tmp_path / "a.zip"
    call_command("export_agreement", agreement=agreement.pk, output=path, stdout=io.StringIO())
    _assert_anonymous(_records(path.read_bytes()), people)

    restored, _ = import_agreement(path)
    copy = CouncilSurvey.objects.get(agreement=restored)
    assert not CouncilAnswer.objects.filter(question__survey=copy, respondent__isnull=False)
    assert respondents(copy) == respondents(survey) == 3
    scores = sorted(CouncilAnswer.objects.filter(question__survey=copy).values_list("score"))
    assert scores == sorted(
        CouncilAnswer.objects.filter(question__survey=survey).values_list("score")
    )

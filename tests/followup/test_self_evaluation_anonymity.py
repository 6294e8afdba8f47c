"""The council's self-evaluation stays anonymous: no score or comment before 3 answers."""

import pytest
from django.urls import reverse

from followup.council import survey_results
from followup.models import CouncilAnswer
from followup.report.content import build_report
from followup.report.render import report_html
from followup.services import council_survey_start

from ..factories import make_member


@pytest.fixture
def survey(agreement):
    return council_survey_start(agreement=agreement, year=2024)


def _answer(agreement, survey, people):
    question = survey.questions.first()
    for n in range(people):
        person = make_member(agreement, username=f"svarande{n}")
        CouncilAnswer.objects.create(
            question=question, respondent=person, score=2 + n, comment=f"Kommentar nummer {n}"
        )
    return question


@pytest.mark.parametrize("people", [1, 2])
def test_one_or_two_answers_show_only_their_number(client_for, agreement, member, survey, people):
    _answer(agreement, survey, people)
    result = survey_results(survey)[0]
    assert result.hidden and result.answers == people
    assert (result.average, result.distribution, result.comments) == (None, {}, [])

    page = client_for(member).get(reverse("followup:council-year", args=[agreement.pk, 2024]))
    text = page.content.decode()
    assert "Kommentar nummer 0" not in text
    assert "Visas när 3 medlemmar har svarat" in text

    report = report_html(build_report(agreement, 2024), for_pdf=True)
    assert "Kommentar nummer 0" not in report
    assert "För få svar för att visas" in report


def test_three_answers_show_scores_and_comments(client_for, agreement, member, survey):
    _answer(agreement, survey, 3)
    result = survey_results(survey)[0]
    assert not result.hidden and result.average == 3.0
    assert result.comments == [f"Kommentar nummer {n}" for n in range(3)]
    page = client_for(member).get(reverse("followup:council-year", args=[agreement.pk, 2024]))
    assert "Kommentar nummer 2" in page.content.decode()
    report = report_html(build_report(agreement, 2024), for_pdf=True)
    assert "Kommentar nummer 2" in report and "För få svar" not in report


def test_the_threshold_is_a_setting(settings, agreement, survey):
    _answer(agreement, survey, 3)
    settings.PITEBRA_SELF_EVALUATION_MIN_ANSWERS = 5
    assert survey_results(survey)[0].hidden

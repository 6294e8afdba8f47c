"""How the council worked: the yearly self-evaluation and the meeting statistics."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.lookups import operating_year
from pitebra.permissions import COORDINATOR, MEMBER, agreement_view, can_manage
from security.audit import Action, record

from .. import services
from ..council import meeting_statistics, min_answers, respondents, survey_results
from ..forms.council import CouncilAnswerForm, CouncilQuestionForm
from ..models import CouncilAnswer, CouncilQuestion, CouncilSurvey
from .common import nav


@agreement_view(required=MEMBER)
def council_year(request, agreement, year):
    operating_year(agreement, year)
    survey = CouncilSurvey.objects.filter(agreement=agreement, year=year).first()
    results = survey_results(survey) if survey else []
    answered = (
        survey is not None
        and CouncilAnswer.objects.filter(question__survey=survey, respondent=request.user).exists()
    )
    return render(
        request,
        "followup/council_year.html",
        {
            "agreement": agreement,
            "year": year,
            "survey": survey,
            "questions": list(survey.questions.all()) if survey else [],
            "results": results,
            "respondents": respondents(survey) if survey else 0,
            "min_answers": min_answers(),
            "answered": answered,
            "stats": meeting_statistics(agreement, year),
            "can_manage": can_manage(request.role),
            "states": CouncilSurvey.State,
            "nav_year": nav(agreement, year)["nav_year"],
        },
    )


@require_POST
@agreement_view(required=COORDINATOR)
def council_start(request, agreement, year):
    operating_year(agreement, year)
    services.council_survey_start(agreement=agreement, year=year)
    messages.success(request, _("The self-evaluation was created with standard questions."))
    return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)


@require_POST
@agreement_view(required=COORDINATOR)
def council_state(request, agreement, year):
    survey = get_object_or_404(CouncilSurvey, agreement=agreement, year=year)
    state = request.POST.get("state")
    if state in CouncilSurvey.State.values:
        services.council_survey_set_state(survey=survey, state=state, today=timezone.localdate())
        messages.success(
            request,
            _("The self-evaluation is now: %(s)s") % {"s": survey.get_state_display().lower()},
        )
    return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)


@agreement_view(required=COORDINATOR)
def council_question_edit(request, agreement, year, pk=None):
    survey = get_object_or_404(CouncilSurvey, agreement=agreement, year=year)
    if pk is None:
        question = CouncilQuestion(survey=survey, position=survey.questions.count() + 1)
    else:
        question = get_object_or_404(CouncilQuestion, pk=pk, survey=survey)
    form = CouncilQuestionForm(request.POST or None, instance=question)
    if request.method == "POST":
        if "delete" in request.POST and question.pk:
            record(Action.DELETION, agreement=agreement, obj=question, summary="council question")
            question.delete()
            messages.success(request, _("The question was removed."))
            return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)
        if form.is_valid():
            form.save()
            messages.success(request, _("The question was saved."))
            return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)
    return render(
        request,
        "followup/council_question_form.html",
        {
            "agreement": agreement,
            "year": year,
            "form": form,
            "question": question,
            "nav_year": nav(agreement, year)["nav_year"],
        },
    )


@agreement_view(required=MEMBER)
def council_answer(request, agreement, year):
    survey = get_object_or_404(CouncilSurvey, agreement=agreement, year=year)
    if not survey.is_open:
        messages.error(request, _("The self-evaluation is not open for answers."))
        return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)
    questions = list(survey.questions.all())
    previous = {
        a.question_id: (a.score, a.comment)
        for a in CouncilAnswer.objects.filter(question__survey=survey, respondent=request.user)
    }
    form = CouncilAnswerForm(request.POST or None, questions=questions, previous=previous)
    if request.method == "POST" and form.is_valid():
        services.council_answers_save(
            survey=survey, respondent=request.user, answers=form.answers()
        )
        messages.success(request, _("Thank you: your answers were saved."))
        return redirect("followup:council-year", agreement_pk=agreement.pk, year=year)
    return render(
        request,
        "followup/council_answer.html",
        {
            "agreement": agreement,
            "year": year,
            "survey": survey,
            "form": form,
            "nav_year": nav(agreement, year)["nav_year"],
        },
    )

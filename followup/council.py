"""How the council worked: the self-evaluation's results and the meeting statistics."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Max

from pitebra.text import swedish_key

from .models import CouncilAnswer, Meeting

SCORES = range(1, 6)


@dataclass
class QuestionResult:
    question: object
    answers: int = 0
    average: float | None = None
    distribution: dict = field(default_factory=dict)  # score -> number of answers
    comments: list = field(default_factory=list)
    hidden: bool = False  # too few answers to show them without revealing who said what


def min_answers() -> int:
    return max(1, settings.PITEBRA_SELF_EVALUATION_MIN_ANSWERS)


def survey_results(survey) -> list[QuestionResult]:
    """Per question: number of answers, average score, how many gave each score, and the
    comments (without names). Three queries whatever the number of answers.

    A question with fewer answers than `min_answers()` keeps only its number of answers: one
    or two answers shown at once would say who gave them, so no page or report gets them."""
    questions = list(survey.questions.all())
    results = {q.pk: QuestionResult(q, distribution=dict.fromkeys(SCORES, 0)) for q in questions}
    answers = CouncilAnswer.objects.filter(question__survey=survey)
    for row in answers.values("question_id", "score").annotate(n=Count("pk")).order_by():
        result = results[row["question_id"]]
        result.distribution[row["score"]] = row["n"]
        result.answers += row["n"]
    for row in answers.values("question_id").annotate(avg=Avg("score")).order_by():
        results[row["question_id"]].average = round(float(row["avg"]), 1)
    for question_id, comment in (
        answers.exclude(comment="").order_by("pk").values_list("question_id", "comment")
    ):
        results[question_id].comments.append(comment)
    for result in results.values():
        if 0 < result.answers < min_answers():
            result.hidden = True
            result.average, result.distribution, result.comments = None, {}, []
    return [results[q.pk] for q in questions]


def respondents(survey) -> int:
    """Members who answered; answers restored without their respondent count as the most
    answers any one question has (each member answers a question once)."""
    answers = CouncilAnswer.objects.filter(question__survey=survey)
    named = answers.exclude(respondent=None).values("respondent").distinct().count()
    anonymous = (
        answers.filter(respondent=None)
        .values("question")
        .annotate(n=Count("pk"))
        .aggregate(most=Max("n"))["most"]
    )
    return named + (anonymous or 0)


@dataclass
class MeetingStatistics:
    held: int
    attendance: list  # (organisation name, meetings attended, attendances)


def meeting_statistics(agreement, year: int, *, until=None) -> MeetingStatistics:
    """Meetings held in the year (up to `until`), and per organisation: at how many of them
    it was present and how many attendances it had."""
    meetings = Meeting.objects.for_agreement(agreement).in_year(year)
    if until is not None:
        meetings = meetings.filter(date__lte=until)
    held = meetings.count()
    Through = Meeting.attendees.through
    rows = Through.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "user__organisation__name"
    )
    present = defaultdict(set)
    counts = defaultdict(int)
    for meeting_id, organisation in rows:
        name = organisation or "–"
        present[name].add(meeting_id)
        counts[name] += 1
    attendance = sorted(
        ((name, len(present[name]), counts[name]) for name in present),
        key=lambda row: swedish_key(row[0]),
    )
    return MeetingStatistics(held, attendance)

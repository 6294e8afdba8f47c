"""Writes of steps 4–5 and the year-end report that span several records."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pitebra import pagecache
from pitebra.models import Agreement, Organisation
from plans.models import Activity, RiskPeriod, Strategy

from .models import (
    CouncilAnswer,
    CouncilQuestion,
    CouncilSurvey,
    Debrief,
    Decision,
    PublishedReport,
    YearEndReport,
)
from .report.render import report_pdf

DEFAULT_QUESTIONS = [
    (
        CouncilQuestion.Topic.PARTICIPATION,
        gettext_lazy(
            "The right organisations and people take part in the meetings of the council and "
            "the working group."
        ),
    ),
    (
        CouncilQuestion.Topic.INFORMATION,
        gettext_lazy("The police and the municipality share information with each other in time."),
    ),
    (
        CouncilQuestion.Topic.DECISIONS,
        gettext_lazy("Decisions are clear: who does what, and by when."),
    ),
    (
        CouncilQuestion.Topic.FOLLOW_UP,
        gettext_lazy("Decisions and activities are followed up at the next meetings."),
    ),
]


@transaction.atomic
def decision_to_activity(
    *,
    decision: Decision,
    strategy: Strategy,
    title: str,
    responsible_organisation: Organisation,
    contact_user=None,
    contact_name: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Activity:
    """Turn a meeting's decision into a new planned activity under a strategy of the plan."""
    position = (strategy.activities.aggregate(m=Max("position"))["m"] or 0) + 1
    activity = Activity.objects.create(
        strategy=strategy,
        title=title,
        description=_("Decided at the meeting on %(date)s: %(decision)s")
        % {"date": decision.meeting.date.isoformat(), "decision": decision.text},
        responsible_organisation=responsible_organisation,
        contact_user=contact_user,
        contact_name=contact_name,
        start=start,
        end=end,
        position=position,
    )
    decision.activity = activity
    decision.save(update_fields=["activity"])
    return activity


@transaction.atomic
def council_survey_start(*, agreement: Agreement, year: int) -> CouncilSurvey:
    """A draft self-evaluation for the year with the standard questions, ready to edit."""
    survey, created = CouncilSurvey.objects.get_or_create(agreement=agreement, year=year)
    if created:
        CouncilQuestion.objects.bulk_create(
            CouncilQuestion(survey=survey, topic=topic, text=str(text), position=n)
            for n, (topic, text) in enumerate(DEFAULT_QUESTIONS, start=1)
        )
        pagecache.bump(agreement)  # bulk writes send no signal
    return survey


def council_survey_set_state(*, survey: CouncilSurvey, state: str, today: datetime.date) -> None:
    survey.state = state
    if state == CouncilSurvey.State.OPEN:
        survey.opened_on = survey.opened_on or today
        survey.closed_on = None
    elif state == CouncilSurvey.State.CLOSED:
        survey.closed_on = today
    survey.save()


@transaction.atomic
def council_answers_save(*, survey: CouncilSurvey, respondent, answers: dict) -> None:
    """Save one member's answers ({question: (score, comment)}), replacing earlier ones."""
    for question, (score, comment) in answers.items():
        CouncilAnswer.objects.update_or_create(
            question=question,
            respondent=respondent,
            defaults={"score": score, "comment": comment},
        )


class VersionTaken(Exception):
    """Another version of the report was published while this one was rendered."""


def report_next_version(*, agreement, year: int) -> int:
    latest = PublishedReport.objects.filter(
        report__agreement=agreement, report__year=year
    ).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def report_render(*, agreement, year: int, version: int, correction: str = "") -> bytes:
    """The PDF of the report as version `version` will show it; slow, and takes no lock."""
    return report_pdf(
        agreement,
        year,
        published_version=version,
        today=timezone.localdate(),
        correction=correction,
    )


def report_store(
    *, agreement, year: int, version: int, pdf: bytes, by, correction: str = ""
) -> PublishedReport:
    """Store a rendered PDF as the given version; the row lock is held for milliseconds."""
    with transaction.atomic():
        report, _created = YearEndReport.objects.select_for_update().get_or_create(
            agreement=agreement, year=year
        )
        if report_next_version(agreement=agreement, year=year) != version:
            raise VersionTaken
        return PublishedReport.objects.create(
            report=report,
            version=version,
            pdf=pdf,
            published_by=by,
            correction_reason=correction,
        )


CORRECTION_REASON_NEEDED = gettext_lazy(
    "Say what the correction corrects: the reason is printed on its cover."
)


def report_publish(*, agreement, year: int, by, reason: str = "") -> PublishedReport:
    """Render the year's report, then store it as the next published version, never to change.

    The PDF is rendered before the publishing transaction, so no row stays locked for the
    seconds WeasyPrint takes; if someone published meanwhile, it is rendered again as the
    version after theirs. A correction (any version after the first) needs a reason: it is
    kept with the version and printed on the corrected report's cover.
    """
    reason = reason.strip()
    for _attempt in range(3):
        version = report_next_version(agreement=agreement, year=year)
        if version > 1 and not reason:
            raise ValidationError(CORRECTION_REASON_NEEDED, code="correction_reason")
        correction = reason if version > 1 else ""
        pdf = report_render(agreement=agreement, year=year, version=version, correction=correction)
        try:
            return report_store(
                agreement=agreement,
                year=year,
                version=version,
                pdf=pdf,
                by=by,
                correction=correction,
            )
        except (VersionTaken, IntegrityError):
            continue
    raise VersionTaken


def debrief_proposal_to_activity(
    *,
    debrief: Debrief,
    strategy: Strategy,
    title: str,
    responsible_organisation: Organisation,
    contact_user=None,
    contact_name: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Activity:
    """A debrief's proposal as a planned activity of next year's plan, on the same period."""
    period = RiskPeriod.objects.filter(
        agreement=strategy.goal.plan.agreement, name=debrief.period.name
    ).first()
    position = (strategy.activities.aggregate(m=Max("position"))["m"] or 0) + 1
    return Activity.objects.create(
        strategy=strategy,
        title=title,
        description=_("Proposed in the debrief of %(period)s %(year)s.")
        % {"period": debrief.period.name, "year": debrief.year},
        responsible_organisation=responsible_organisation,
        contact_user=contact_user,
        contact_name=contact_name,
        start=start,
        end=end,
        risk_period=period,
        position=position,
    )

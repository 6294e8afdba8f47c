"""Two agreements with one record of every kind the admin shows, for the admin scope tests."""

import datetime

from followup.models import (
    Debrief,
    Decision,
    LogEntry,
    Meeting,
    PublishedReport,
    YearEndReport,
)
from followup.services import council_survey_start
from pitebra.models import Membership, Organisation, StepStatus
from plans.models import Approval, Document, Place, RiskPeriod, RiskPeriodDates, StatusUpdate
from security.models import AuditEvent

from ..factories import (
    make_activity,
    make_agreement,
    make_cause,
    make_evaluation,
    make_goal,
    make_indicator,
    make_member,
    make_observation,
    make_organisation,
    make_picture,
    make_plan,
    make_priority_area,
    make_problem,
    make_promise,
    make_source,
    make_strategy,
)


def populate(marker):
    """An agreement whose every record carries `marker` in its text, with one of each kind."""
    agreement = make_agreement(
        title=f"{marker} överenskommelse",
        municipality=make_organisation(name=f"{marker} kommun", kind="municipality"),
        police_area=make_organisation(name=f"{marker} polisområde", kind="police"),
    )
    partner = make_organisation(name=f"{marker} bostadsbolag", agreement=agreement)
    area = make_priority_area(agreement, name=f"{marker} område")
    person = make_member(
        agreement,
        username=f"{marker.lower()}-person",
        first_name=marker,
        email=f"{marker.lower()}@example.org",
        organisation=partner,
    )
    StepStatus.objects.create(agreement=agreement, year=2024, step=1)
    source = make_source(agreement, name=f"{marker} källa")
    indicator = make_indicator(agreement, name=f"{marker} nyckeltal", source=source)
    make_observation(indicator, 2024, 12)
    Document.objects.create(
        agreement=agreement,
        title=f"{marker} dokument",
        date=datetime.date(2024, 1, 1),
        file="documents/x.pdf",
        kind="pdf",
    )
    Place.objects.create(agreement=agreement, name=f"{marker} torget")
    picture = make_picture(agreement, analysis=f"{marker} analys")
    Approval.objects.create(picture=picture, party="police", user=person)
    problem = make_problem(picture, title=f"{marker} problem", priority_area=area)
    cause = make_cause(problem, description=f"{marker} orsak")
    plan = make_plan(agreement, year=2024)
    goal = make_goal(plan, title=f"{marker} mål", priority_area=area)
    strategy = make_strategy(goal, title=f"{marker} strategi")
    activity = make_activity(
        strategy,
        title=f"{marker} aktivitet",
        responsible_organisation=partner,
        partners=[partner],
        contact_name=f"{marker} kontakt",
    )
    period = RiskPeriod.objects.create(
        agreement=agreement, name=f"{marker} riskperiod", rule="entered"
    )
    RiskPeriodDates.objects.create(
        period=period, year=2024, start=datetime.date(2024, 8, 1), end=datetime.date(2024, 8, 3)
    )
    activity.risk_period = period
    Debrief.objects.create(period=period, year=2024, what_worked=f"{marker} erfarenhet")
    activity.causes.set([cause])
    activity.problems.set([problem])
    activity.indicators.set([indicator])
    # Changed once, so that its history has a version to revert to.
    activity.description = f"{marker} beskrivning"
    activity.save()
    promise = make_promise(plan, promise=f"{marker} löfte")
    LogEntry.objects.create(
        activity=activity,
        date=datetime.date(2024, 3, 1),
        description=f"{marker} insats",
        organisation=partner,
        citizen_promise=promise,
        created_by=person,
    )
    StatusUpdate.objects.create(
        activity=activity, traffic_light="green", status="ongoing", comment=f"{marker} läge"
    )
    make_evaluation(activity, lessons=f"{marker} lärdom")
    meeting = Meeting.objects.create(
        agreement=agreement, date=datetime.date(2024, 5, 21), title=f"{marker} möte"
    )
    meeting.attendees.set([person])
    Decision.objects.create(
        meeting=meeting,
        text=f"{marker} beslut",
        responsible_organisation=partner,
        activity=activity,
    )
    council_survey_start(agreement=agreement, year=2024)
    report = YearEndReport.objects.create(
        agreement=agreement, year=2024, foreword=f"{marker} förord"
    )
    PublishedReport.objects.create(
        report=report, version=1, pdf=b"%PDF", sha256="0" * 64, size=4, published_by=person
    )
    AuditEvent.objects.create(
        agreement=agreement,
        user=person,
        username=person.username,
        action="export",
        summary=f"{marker} export",
    )
    return agreement


def records_of(model, agreement):
    """The rows of `model` that belong to `agreement` (and to no agreement the test user has)."""
    from pitebra.permissions import SHARED_SCOPES, agreement_path

    rows = model._default_manager.all()
    if model is Organisation:
        return rows.filter(pk__in=Organisation.objects.of_agreement(agreement).values("pk"))
    if model is AuditEvent:
        return rows.filter(agreement=agreement)
    if model in SHARED_SCOPES:  # people
        return rows.filter(
            pk__in=Membership.objects.filter(agreement=agreement).values("user")
        ).exclude(pk__in=Membership.objects.exclude(agreement=agreement).values("user"))
    path = agreement_path(model)
    return rows.filter(**{path or "pk": agreement.pk})

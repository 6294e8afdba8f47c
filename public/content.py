"""What the public may read, and nothing else: every public page and open-data file is built
from these functions, so the one place that decides what leaves the working group is here.

Public: an agreement whose page a coordinator turned on; its parties and period; its priority
areas and the goals of its adopted plans; the citizen promises of those plans with progress
counted from the log (the report's own figures, `followup.overview`); the activities marked
public (title, description, operational goal, target group, organisations, dates, status and
the districts among the agreement's registered places); the published year-end reports.
Never: the log's texts, meetings, the situation picture, council answers, people.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from followup.models import Evaluation, LogEntry, PublishedReport
from followup.overview import promises_with_progress
from pitebra.models import Agreement
from pitebra.personal_data import findings_in
from plans.models import Activity, CitizenPromise, Goal, ImplementationPlan, Place

from . import history


def public_agreements():
    return Agreement.objects.public().select_related("municipality", "police_area")


def get_public_agreement(pk):
    agreement = public_agreements().filter(pk=pk).first()
    if agreement is None:
        raise Http404("No public agreement")
    return agreement


def public_plans(agreement):
    return ImplementationPlan.objects.filter(
        agreement=agreement, status=ImplementationPlan.Status.ADOPTED
    ).order_by("year")


def default_year(agreement, today):
    """The plan year a visitor most likely means: this year's, else the latest adopted."""
    years = list(public_plans(agreement).values_list("year", flat=True))
    if not years:
        return None
    past = [y for y in years if y <= today.year]
    return past[-1] if past else years[0]


def public_activities(plan):
    return (
        Activity.objects.public()
        .in_plan(plan)
        .select_related("strategy__goal__priority_area", "responsible_organisation")
        .prefetch_related("partners")
        .in_plan_order()
    )


def districts(agreement):
    """The agreement's registered places (Centrum, Öjebyn …): nothing finer is published."""
    return set(Place.objects.filter(agreement=agreement).values_list("name", flat=True))


def district_list(activity, allowed):
    return [place for place in activity.place_list if place in allowed]


def clean_text(text):
    """A stored text as the public may read it: withheld when it holds personal data (text
    written before the check, e.g. in an earlier wording)."""
    return "" if findings_in(text) else text


# A year with more public activities than this lists each goal's activities only when the
# visitor opens the goal (`?open=12,15`), as the working group's own plan does: the page stays
# small and fast at any size. At most MAX_OPEN goals open at once.
COLLAPSE_AFTER = 150
MAX_OPEN = 20


def opened_goals(raw):
    """The goal ids a visitor's `?open=` asks for: digits only, at most MAX_OPEN."""
    return frozenset(sorted({int(p) for p in raw.split(",") if p.isdigit()})[:MAX_OPEN])


@dataclass
class GoalBlock:
    goal: Goal
    by_status: list = field(default_factory=list)  # [(status label, [activity])]
    collapsed: bool = False
    counts: list = field(default_factory=list)  # [(status label, n)] of a collapsed goal
    count: int = 0
    toggle: str = ""  # the `open` value that opens (or closes) this goal


@dataclass
class AreaBlock:
    area: object
    goals: list = field(default_factory=list)


@dataclass
class YearPage:
    agreement: Agreement
    plan: ImplementationPlan
    today: datetime.date
    snapshot: datetime.date | None  # the year-end date when the year is over
    promises: list  # (promise, progress, change)
    areas: list  # AreaBlock
    activity_count: int
    years: list


def year_page(agreement, year, today=None, opened=frozenset()) -> YearPage:
    """The public page of a year. A long year (over COLLAPSE_AFTER public activities) loads
    the rows of the `opened` goals only and counts the others by status in SQL."""
    today = today or timezone.localdate()
    plan = public_plans(agreement).filter(year=year).first()
    if plan is None:
        raise Http404("No public plan for that year")
    year_end = datetime.date(year, 12, 31)
    snapshot = year_end if today > year_end else None
    counts = {}
    for goal_id, status, n in (
        Activity.objects.public()
        .in_plan(plan)
        .values_list("strategy__goal", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(goal_id, {})[status] = n
    total = sum(n for by_status in counts.values() for n in by_status.values())
    collapse = total > COLLAPSE_AFTER
    rows = public_activities(plan)
    if collapse:
        rows = rows.filter(strategy__goal__in=opened)
    activities = list(rows)
    changes = history.activity_changes([a.pk for a in activities], until=snapshot)
    allowed = districts(agreement)
    for activity in activities:
        change = changes.get(activity.pk)
        if snapshot and change and change.as_of is not None:
            change.as_of.apply_to(activity)
        activity.change = change
        activity.districts = district_list(activity, allowed)
    promise_changes = history.promise_changes(
        list(plan.citizen_promises.values_list("pk", flat=True)), until=snapshot
    )
    promises = []
    for promise, progress in promises_with_progress(plan, min(today, year_end)):
        change = promise_changes.get(promise.pk)
        if snapshot and change and change.as_of is not None:
            change.as_of.apply_to(promise)
        promises.append((promise, progress, change))
    return YearPage(
        agreement=agreement,
        plan=plan,
        today=today,
        snapshot=snapshot,
        promises=promises,
        areas=_areas(plan, activities, counts if collapse else None, opened),
        activity_count=total,
        years=list(public_plans(agreement).values_list("year", flat=True)),
    )


def _areas(plan, activities, counts=None, opened=frozenset()):
    """Priority areas with their goals and the goals' activities by status. With `counts`
    (a long year) a goal not `opened` shows its numbers per status instead of its rows."""
    labels = dict(Activity.Status.choices)
    by_goal = {}
    for activity in activities:
        by_goal.setdefault(activity.strategy.goal_id, []).append(activity)
    areas = {}
    goals = plan.goals.select_related("priority_area").order_by(
        "priority_area__position", "position", "pk"
    )
    for goal in goals:
        block = areas.setdefault(goal.priority_area_id, AreaBlock(goal.priority_area))
        goal_block = GoalBlock(goal)
        if counts is not None:
            mine_counts = counts.get(goal.pk, {})
            goal_block.count = sum(mine_counts.values())
            goal_block.collapsed = goal.pk not in opened
            goal_block.counts = [
                (label, mine_counts[status])
                for status, label in Activity.Status.choices
                if mine_counts.get(status)
            ]
            toggled = opened ^ {goal.pk}
            goal_block.toggle = ",".join(map(str, sorted(toggled))) if toggled else ""
        mine = by_goal.get(goal.pk, [])
        for status, _label in Activity.Status.choices:
            rows = [a for a in mine if a.status == status]
            if rows:
                goal_block.by_status.append((labels[status], rows))
        block.goals.append(goal_block)
    return list(areas.values())


def published_reports(agreement):
    """Every published version and correction, newest year and version first."""
    return (
        PublishedReport.objects.without_pdf()
        .filter(report__agreement=agreement)
        .select_related("report")
        .order_by("-report__year", "-version")
    )


def public_promise(agreement, pk):
    promise = (
        CitizenPromise.objects.filter(
            pk=pk,
            plan__agreement=agreement,
            plan__status=ImplementationPlan.Status.ADOPTED,
        )
        .select_related("plan", "responsible_organisation")
        .first()
    )
    if promise is None:
        raise Http404("No public promise")
    return promise


def promise_evidence(promise, today=None):
    """A promise's progress and its evidence: the public activities whose logged work counts
    toward it (counts only, never the entries), the indicators those activities move, and
    their evaluations once the year's report is published."""
    today = today or timezone.localdate()
    plan = promise.plan
    year_end = datetime.date(plan.year, 12, 31)
    progress = {p.pk: pr for p, pr in promises_with_progress(plan, min(today, year_end))}.get(
        promise.pk
    )
    carrying = (
        LogEntry.objects.filter(citizen_promise=promise)
        .in_own_plan_year()
        .values_list("activity_id", flat=True)
        .distinct()
    )
    activities = list(
        Activity.objects.public()
        .filter(pk__in=carrying)
        .select_related("responsible_organisation")
        .prefetch_related("indicators")
    )
    indicators = {i.pk: i for a in activities for i in a.indicators.all()}
    evaluations = []
    if published_reports(plan.agreement).filter(report__year=plan.year).exists():
        evaluations = list(
            Evaluation.objects.filter(activity__in=activities, year=plan.year).select_related(
                "activity"
            )
        )
        for evaluation in evaluations:
            evaluation.public_lessons = clean_text(evaluation.lessons)
    return {
        "progress": progress,
        "activities": activities,
        "indicators": sorted(indicators.values(), key=lambda i: i.name),
        "evaluations": evaluations,
        "change": history.promise_changes([promise.pk]).get(promise.pk),
    }


def public_activity(agreement, pk):
    activity = (
        Activity.objects.public()
        .filter(pk=pk, strategy__goal__plan__agreement=agreement)
        .select_related("strategy__goal__priority_area", "strategy__goal__plan")
        .select_related("responsible_organisation")
        .prefetch_related("partners")
        .first()
    )
    if activity is None:
        raise Http404("No public activity")
    activity.districts = district_list(activity, districts(agreement))
    activity.change = history.activity_changes([activity.pk]).get(activity.pk)
    return activity


def public_report(agreement, year, version):
    report = PublishedReport.objects.filter(
        report__agreement=agreement, report__year=year, version=version
    ).first()
    if report is None:
        raise Http404("No such published report")
    return report

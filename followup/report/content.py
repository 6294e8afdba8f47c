"""What the year-end report says, gathered from the data in a fixed number of queries.

Follows Brå's follow-up structure: summary, the agreement and the cycle, the situation picture,
the plan, production, process and effect follow-up, citizen promises, lessons, annexes. A
section without data says so in the report rather than vanishing.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from pitebra.cycle import cycle_for
from pitebra.models import Membership, Organisation
from pitebra.text import swedish_key
from plans.charts import indicator_chart
from plans.models import Activity, ImplementationPlan, Indicator, Problem, SituationPicture

from ..council import meeting_statistics, respondents, survey_results
from ..models import CouncilSurvey, Evaluation, PublishedReport, YearEndReport
from ..overview import plan_log_totals, promises_with_progress


@dataclass
class AreaSummary:
    area: object
    goals: int = 0
    activities: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_light: Counter = field(default_factory=Counter)
    hours: float = 0


@dataclass
class IndicatorEffect:
    """One indicator's values before and during the year, here and in the whole country."""

    indicator: object
    before: object
    after: object
    country_before: object
    country_after: object
    chart: dict

    @property
    def verdict(self):
        """'better', 'worse', 'unchanged' or None, by the indicator's better direction."""
        if self.before is None or self.after is None:
            return None
        if self.after == self.before:
            return "unchanged"
        went_up = self.after > self.before
        lower_is_better = self.indicator.better == Indicator.Better.LOWER
        return "worse" if went_up == lower_is_better else "better"


@dataclass
class GoalSummary:
    """One goal's activities and logged work: the rows of the sections when the activities
    themselves stand in the annex."""

    goal: object
    activities: int = 0
    done: int = 0
    by_light: Counter = field(default_factory=Counter)
    entries: int = 0
    occasions: int = 0
    people: int = 0
    hours: float = 0


@dataclass
class ReportContent:
    agreement: object
    year: int
    generated_on: datetime.date
    narrative: YearEndReport | None
    plan: ImplementationPlan | None
    cycle_year: object
    areas: list
    activities: list
    promises: list
    organisations: list
    members: list
    next_version: int
    status_labels: dict
    light_labels: dict
    picture: object = None
    indicators: list = field(default_factory=list)
    effects: list = field(default_factory=list)
    production: list = field(default_factory=list)  # (activity, log totals)
    production_totals: dict = field(default_factory=dict)
    evaluations: list = field(default_factory=list)
    survey: object = None
    survey_results: list = field(default_factory=list)
    survey_respondents: int = 0
    meetings: object = None
    # (promise, PromiseProgress) as on the follow-up page
    promise_progress: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    goals: list = field(default_factory=list)  # GoalSummary, in plan order
    # Where each activity's row stands: YearEndReport.ActivityDetail.
    activity_detail: str = YearEndReport.ActivityDetail.COMPACT
    # The on-screen preview's page of activity rows (pitebra/paging.py); the PDF has none and
    # lists every row.
    activity_page: object = None

    @property
    def in_appendix(self):
        return self.activity_detail == YearEndReport.ActivityDetail.APPENDIX

    @property
    def activity_rows(self):
        """(activity, log totals or None, evaluation or None) in plan order: the one row per
        activity that the compact table shows, in the plan section or in the annex."""
        totals = {a.pk: t for a, t in self.production}
        evaluations = {e.activity_id: e for e in self.evaluations}
        shown = self.activity_page.object_list if self.activity_page else self.activities
        return [(a, totals.get(a.pk), evaluations.get(a.pk)) for a in shown]

    @property
    def process_evaluations(self):
        """Evaluations that say what worked or did not: a row of dashes says nothing."""
        return [e for e in self.evaluations if e.what_worked or e.what_did_not_work]

    @property
    def lesson_evaluations(self):
        return [e for e in self.evaluations if e.lessons]

    @property
    def total_activities(self):
        return len(self.activities)

    @property
    def done_share(self):
        if not self.activities:
            return None
        done = sum(1 for a in self.activities if a.status == Activity.Status.DONE)
        return round(100 * done / len(self.activities))


def build_report(agreement, year, *, today=None) -> ReportContent:
    """Gather one operating year's report; the number of queries does not grow with the data."""
    today = today or timezone.localdate()
    plan = (
        ImplementationPlan.objects.filter(agreement=agreement, year=year)
        .select_related("adopted_by")
        .first()
    )
    areas = {a.pk: AreaSummary(a) for a in agreement.priority_areas.all()}
    activities, promises = [], []
    if plan is not None:
        activities = list(
            # What the report shows of an activity: its goal, area and responsible organisation
            # (not the partners, causes, problems and indicators that with_tree() prefetches).
            Activity.objects.in_plan(plan)
            .select_related("strategy__goal__priority_area", "responsible_organisation")
            .in_plan_order()
        )
        goals_per_area = defaultdict(set)
        for activity in activities:
            goal = activity.strategy.goal
            summary = areas.get(goal.priority_area_id)
            if summary is None:
                continue
            goals_per_area[goal.priority_area_id].add(goal.pk)
            summary.activities += 1
            summary.by_status[activity.status] += 1
            summary.by_light[activity.traffic_light or "none"] += 1
            summary.hours += float(activity.estimated_hours or 0)
        for pk, goals in goals_per_area.items():
            areas[pk].goals = len(goals)
        promises = list(plan.citizen_promises.select_related("responsible_organisation"))
    cycle_year = next((y for y in cycle_for(agreement) if y.year == year), None)
    totals = plan_log_totals(plan) if plan is not None else {}
    production = [(a, totals[a.pk]) for a in activities if a.pk in totals]
    goals = _goal_summaries(activities, totals)
    survey = CouncilSurvey.objects.filter(agreement=agreement, year=year).first()
    picture = _situation_picture(agreement, year)
    indicators = list(Indicator.objects.of_municipality(agreement).with_observations())
    narrative = YearEndReport.objects.filter(agreement=agreement, year=year).first()
    last = (
        PublishedReport.objects.filter(report__agreement=agreement, report__year=year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    members = sorted(
        Membership.objects.filter(agreement=agreement).select_related("user__organisation"),
        key=lambda m: swedish_key(str(m.user)),
    )
    organisations = sorted(
        {*agreement.parties(), *(a.responsible_organisation for a in activities)},
        key=lambda o: swedish_key(o.name),
    )
    return ReportContent(
        agreement=agreement,
        year=year,
        generated_on=today,
        narrative=narrative,
        activity_detail=(
            narrative.activity_detail if narrative else YearEndReport.ActivityDetail.COMPACT
        ),
        goals=goals,
        plan=plan,
        cycle_year=cycle_year,
        areas=list(areas.values()),
        activities=activities,
        promises=promises,
        organisations=organisations,
        members=members,
        next_version=(last or 0) + 1,
        # Translated once here, not once per row of a thousand-row table.
        status_labels={value: str(label) for value, label in Activity.Status.choices},
        light_labels={value: str(label) for value, label in Activity.TrafficLight.choices},
        picture=picture,
        indicators=indicators,
        effects=[_effect(indicator, year) for indicator in indicators],
        production=production,
        production_totals=_sum_totals(totals.values()),
        evaluations=list(
            Evaluation.objects.filter(activity__in=[a.pk for a in activities], year=year)
            .select_related("activity")
            .order_by("activity__position", "activity__pk")
        ),
        survey=survey,
        survey_results=survey_results(survey) if survey else [],
        survey_respondents=respondents(survey) if survey else 0,
        meetings=meeting_statistics(agreement, year),
        # The same function and day as the follow-up page, so both say "n of 52".
        promise_progress=promises_with_progress(plan, today) if plan else [],
        extra={"organisation_kinds": dict(Organisation.Kind.choices)},
    )


def _goal_summaries(activities, totals):
    summaries = {}
    for activity in activities:
        goal = activity.strategy.goal
        summary = summaries.setdefault(goal.pk, GoalSummary(goal))
        summary.activities += 1
        summary.done += activity.status == Activity.Status.DONE
        summary.by_light[activity.traffic_light or "none"] += 1
        work = totals.get(activity.pk)
        if work:
            summary.entries += work["entries"] or 0
            summary.occasions += work["occasions"] or 0
            summary.people += work["people"] or 0
            summary.hours += float(work["hours"] or 0)
    return list(summaries.values())


def _sum_totals(rows):
    keys = ["entries", "occasions", "people", "hours"]
    return {key: sum((row[key] or 0) for row in rows) for key in keys}


def _situation_picture(agreement, year):
    """The year's newest picture (agreed or draft) with its problems and their evidence."""
    problems = Problem.objects.select_related("priority_area").prefetch_related(
        "causes", "indicators", "documents", "sources", "places"
    )
    return (
        SituationPicture.objects.filter(agreement=agreement, year=year)
        .order_by("-version")
        .prefetch_related(Prefetch("problems", queryset=problems))
        .first()
    )


def _effect(indicator, year):
    series = indicator.series()
    here, country = series["municipality"], series["country"]
    return IndicatorEffect(
        indicator=indicator,
        before=here.get(year - 1),
        after=here.get(year),
        country_before=country.get(year - 1),
        country_after=country.get(year),
        chart=indicator_chart(indicator, until=year),
    )

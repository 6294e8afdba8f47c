"""What the follow-up of a year shows: the working group's meeting screen, from a few queries.

Every list here is computed from one annotated query over the year's activities, so the number
of queries does not grow with the number of activities or log entries.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum

from plans.models import Activity, ImplementationPlan

from .models import Evaluation, LogEntry
from .progress import promise_progress

STALE_DAYS = 60  # an ongoing activity with no log entry for this long is flagged
SOON_DAYS = 30  # deadlines this close are shown as coming


# Only work dated in the activity's own plan year counts (the same rule as `log_totals`).
IN_YEAR = Q(log_entries__date__year=F("strategy__goal__plan__year"))


def followed_activities(queryset, *, evaluated=True):
    """Activities annotated with their log totals, whether evaluated for their plan's year,
    and whether they were carried over to a later plan (the copy is then the one followed
    up). `evaluated=False` leaves the evaluation out (see `followed_in_plan`)."""
    annotations = {
        "last_logged": Max("log_entries__date", filter=IN_YEAR),
        "log_count": Count("log_entries", filter=IN_YEAR),
        "logged_occasions": Sum("log_entries__occasions", filter=IN_YEAR),
        "logged_people": Sum("log_entries__people_reached", filter=IN_YEAR),
        "logged_hours": Sum("log_entries__hours", filter=IN_YEAR),
        "carried_over": Exists(Activity.objects.filter(previous=OuterRef("pk"))),
    }
    if evaluated:
        annotations["evaluated"] = Exists(
            Evaluation.objects.filter(
                activity=OuterRef("pk"), year=OuterRef("strategy__goal__plan__year")
            )
        )
    return queryset.select_related(
        "strategy__goal__priority_area", "responsible_organisation", "contact_user"
    ).annotate(**annotations)


def followed_in_plan(plan, *order_by):
    """One plan's activities as `followed_activities` gives them, in `order_by`.

    Whether each is evaluated (and its verdict) comes from one query over this plan's
    evaluations. As a
    subquery per activity PostgreSQL hashes every evaluation of the installation instead:
    1.6 ms for one agreement, 15 ms among 290 (EXPLAIN ANALYZE, 100 activities each).
    """
    activities = list(
        followed_activities(Activity.objects.in_plan(plan), evaluated=False).order_by(*order_by)
    )
    verdicts = dict(
        Evaluation.objects.filter(activity__strategy__goal__plan=plan, year=plan.year)
        .values_list("activity_id", "verdict")
        .order_by()
    )
    for activity in activities:
        activity.evaluated = activity.pk in verdicts
        activity.verdict = verdicts.get(activity.pk)  # the evaluation's verdict, if any
    return activities


def is_followed(activity) -> bool:
    return activity.is_unfinished and not activity.carried_over


def is_stale(activity, today: datetime.date) -> bool:
    """Ongoing work with no log entry for STALE_DAYS days (counted from the start if none)."""
    if not is_followed(activity) or (activity.start and activity.start > today):
        return False
    since = activity.last_logged or activity.start
    return since is None or (today - since).days > STALE_DAYS


def needs_evaluation(activity, year: int, today: datetime.date) -> bool:
    """Done, past its end, or the year is over: then it is evaluated (unless cancelled)."""
    if activity.status == Activity.Status.CANCELLED or activity.carried_over:
        return False
    year_over = today > datetime.date(year, 12, 31)
    ended = activity.end is not None and activity.end < today
    return activity.status == Activity.Status.DONE or ended or year_over


def is_coming(activity, today: datetime.date) -> bool:
    return (
        is_followed(activity)
        and activity.end is not None
        and today <= activity.end <= today + datetime.timedelta(days=SOON_DAYS)
    )


@dataclass
class GoalRollup:
    goal: object
    activities: int = 0
    done: int = 0
    evaluated: int = 0
    occasions: int = 0
    people: int = 0
    verdicts: Counter = field(default_factory=Counter)

    @property
    def verdict_counts(self):
        """[(verdict, n)] in the order continue, change, stop (a template cannot read a
        Counter's items: a missing key answers 0)."""
        order = ["continue", "change", "stop"]
        return [(v, self.verdicts[v]) for v in order if self.verdicts[v]]


@dataclass
class YearOverview:
    plan: ImplementationPlan
    today: datetime.date
    activities: list
    overdue: list
    red: list
    stale: list
    missing_evaluations: list
    coming: list
    promises: list  # (promise, PromiseProgress)
    goals: list  # GoalRollup


def promises_with_progress(plan, today):
    """The plan's citizen promises, each with its progress: two queries for all of them."""
    promises = list(plan.citizen_promises.select_related("responsible_organisation"))
    entries = defaultdict(list)
    rows = (
        LogEntry.objects.filter(citizen_promise__plan=plan)
        .in_own_plan_year()
        .values_list("citizen_promise_id", "date")
        .annotate(n=Sum("occasions"))
        .order_by()
    )
    for promise_id, day, count in rows:
        entries[promise_id].append((day, count))
    return [
        (
            promise,
            promise_progress(
                entries=entries[promise.pk],
                year=plan.year,
                period=promise.target_period,
                target=promise.target_count,
                today=today,
            ),
        )
        for promise in promises
    ]


def year_overview(plan: ImplementationPlan, today: datetime.date) -> YearOverview:
    activities = followed_in_plan(
        plan, "strategy__goal__position", "strategy__position", "position", "pk"
    )
    goals = {}
    for activity in activities:
        goal = activity.strategy.goal
        rollup = goals.setdefault(goal.pk, GoalRollup(goal))
        rollup.activities += 1
        rollup.done += activity.status == Activity.Status.DONE
        rollup.occasions += activity.logged_occasions or 0
        rollup.people += activity.logged_people or 0
        if activity.evaluated:
            rollup.evaluated += 1
            rollup.verdicts[activity.verdict] += 1
    deadlines = sorted((a for a in activities if is_coming(a, today)), key=lambda a: a.end)
    return YearOverview(
        plan=plan,
        today=today,
        activities=activities,
        overdue=[a for a in activities if is_followed(a) and a.is_overdue(today)],
        red=[
            a
            for a in activities
            if a.traffic_light == Activity.TrafficLight.RED and not a.carried_over
        ],
        stale=[a for a in activities if is_stale(a, today)],
        missing_evaluations=[
            a for a in activities if needs_evaluation(a, plan.year, today) and not a.evaluated
        ],
        coming=deadlines,
        promises=promises_with_progress(plan, today),
        goals=list(goals.values()),
    )


def digest_for(user, today: datetime.date):
    """A person's overdue and soon-due activities and missing evaluations, in every agreement
    where they are a member or coordinator."""
    mine = Activity.objects.filter(
        contact_user=user,
        strategy__goal__plan__agreement__memberships__user=user,
        strategy__goal__plan__agreement__memberships__role__in=["member", "coordinator"],
        strategy__goal__plan__year__lte=today.year,
    ).distinct()
    activities = followed_activities(mine).select_related("strategy__goal__plan__agreement")
    overdue, soon, missing = [], [], []
    for activity in activities.order_by("end", "pk"):
        year = activity.strategy.goal.plan.year
        if is_followed(activity) and activity.is_overdue(today):
            overdue.append(activity)
        elif is_coming(activity, today):
            soon.append(activity)
        if needs_evaluation(activity, year, today) and not activity.evaluated:
            missing.append(activity)
    return {"overdue": overdue, "soon": soon, "missing_evaluations": missing}


def log_totals(activity_ids):
    """{activity id: totals} from the log, in one query: only work dated in the plan year."""
    return _totals(LogEntry.objects.filter(activity_id__in=activity_ids).in_own_plan_year())


def plan_log_totals(plan):
    """`log_totals` of every activity of one plan. The plan's year is known, so no entry is
    joined to its plan to find it: among 290 agreements that join read every activity of the
    installation (EXPLAIN ANALYZE: 18.6 ms against 0.35 ms for one agreement)."""
    return _totals(
        LogEntry.objects.filter(activity__strategy__goal__plan=plan, date__year=plan.year)
    )


def _totals(entries):
    return {
        row["activity_id"]: row
        for row in entries.values("activity_id")
        .annotate(
            entries=Count("pk"),
            occasions=Sum("occasions"),
            people=Sum("people_reached"),
            hours=Sum("hours"),
        )
        .order_by()
    }

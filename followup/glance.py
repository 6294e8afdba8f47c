"""The agreement's dashboard at a glance for one operating year, from a handful of queries.

Members see the working group's figures (deadlines, latest work); readers see only what the
year-end report holds: activities per priority area by status and traffic light, and how the
citizen promises stand, counted the same way the report counts them.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from plans.models import Activity, ImplementationPlan

from .models import LogEntry, PublishedReport
from .overview import SOON_DAYS, promises_with_progress

LATEST = 5  # deadlines and log entries shown


@dataclass
class AreaFigures:
    area: object
    activities: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_light: Counter = field(default_factory=Counter)

    def _ordered(self, counter, choices):
        return [(value, label, counter[value]) for value, label in choices if counter[value]]

    @property
    def statuses(self):
        return self._ordered(self.by_status, Activity.Status.choices)

    @property
    def lights(self):
        return self._ordered(self.by_light, Activity.TrafficLight.choices)

    @property
    def unassessed(self):
        return self.by_light[""]


@dataclass
class Glance:
    year: int
    plan: ImplementationPlan | None
    areas: list
    promises: list  # (promise, PromiseProgress)
    overdue: int = 0
    deadlines: list = field(default_factory=list)
    latest_work: list = field(default_factory=list)


def published_year(agreement):
    """The newest operating year with a published report, or None."""
    return (
        PublishedReport.objects.filter(report__agreement=agreement)
        .order_by("-report__year")
        .values_list("report__year", flat=True)
        .first()
    )


def glance(agreement, year: int, today: datetime.date, *, internal: bool) -> Glance:
    """Counted in the database: a plan of 5,000 activities costs what one of 50 does."""
    plan = ImplementationPlan.objects.filter(agreement=agreement, year=year).first()
    areas = {area.pk: AreaFigures(area) for area in agreement.priority_areas.all()}
    if plan is None:
        return Glance(year, None, list(areas.values()), [])
    activities = Activity.objects.in_plan(plan)
    # What `is_followed` says, as a filter: unfinished and not carried over to a later plan.
    followed = Q(status__in=Activity.UNFINISHED) & ~Q(
        Exists(Activity.objects.filter(previous=OuterRef("pk")))
    )
    counts = (
        activities.values_list("strategy__goal__priority_area", "status", "traffic_light")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=followed & Q(end__lt=today)))
        .order_by()
    )
    overdue = 0
    for area_id, status, light, n, late in counts:
        overdue += late
        figures = areas.get(area_id)
        if figures is not None:
            figures.activities += n
            figures.by_status[status] += n
            figures.by_light[light] += n
    # As the report counts them: as of the year's last day, or today while the year runs.
    as_of = min(today, datetime.date(year, 12, 31))
    result = Glance(year, plan, list(areas.values()), promises_with_progress(plan, as_of))
    if internal:
        result.overdue = overdue
        soon = today + datetime.timedelta(days=SOON_DAYS)
        result.deadlines = list(
            activities.filter(followed, end__gte=today, end__lte=soon)
            .only("title", "end")
            .order_by("end", "position", "pk")[:LATEST]
        )
        result.latest_work = list(
            LogEntry.objects.filter(activity__strategy__goal__plan=plan)
            .select_related("activity", "organisation")
            .order_by("-date", "-pk")[:LATEST]
        )
    return result

"""The agreement's dashboard at a glance for one operating year, from a handful of queries.

Members see the working group's figures (deadlines, latest work); readers see only what the
year-end report holds: activities per priority area by status and traffic light, and how the
citizen promises stand, counted the same way the report counts them.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from plans.models import Activity, ImplementationPlan

from .models import LogEntry, PublishedReport
from .overview import followed_in_plan, is_coming, is_followed, promises_with_progress

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
    plan = ImplementationPlan.objects.filter(agreement=agreement, year=year).first()
    areas = {area.pk: AreaFigures(area) for area in agreement.priority_areas.all()}
    if plan is None:
        return Glance(year, None, list(areas.values()), [])
    activities = followed_in_plan(plan, "end", "position", "pk")
    for activity in activities:
        figures = areas.get(activity.strategy.goal.priority_area_id)
        if figures is not None:
            figures.activities += 1
            figures.by_status[activity.status] += 1
            figures.by_light[activity.traffic_light] += 1
    # As the report counts them: as of the year's last day, or today while the year runs.
    as_of = min(today, datetime.date(year, 12, 31))
    result = Glance(year, plan, list(areas.values()), promises_with_progress(plan, as_of))
    if internal:
        result.overdue = sum(1 for a in activities if is_followed(a) and a.is_overdue(today))
        result.deadlines = [a for a in activities if is_coming(a, today)][:LATEST]
        result.latest_work = list(
            LogEntry.objects.filter(activity__strategy__goal__plan=plan)
            .select_related("activity", "organisation")
            .order_by("-date", "-pk")[:LATEST]
        )
    return result

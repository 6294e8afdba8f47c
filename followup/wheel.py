"""The annual wheel (årshjul): a year's risk periods, activities, meetings and deadlines as one
circle, drawn on the server as SVG, and the same content as rows by month for the table.

The year runs clockwise from the top: a date's angle is the share of the year gone before it.
An element covering days `start`..`end` is an arc from the angle of `start` to the angle of the
day after `end`, so a single day is a visible sliver and the periods can be read back exactly.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pitebra import paging
from pitebra.links import row_link
from plans.models import Activity, ImplementationPlan, RiskPeriod, SituationPicture

from .models import Debrief, Evaluation, LogEntry, Meeting, PublishedReport

SIZE = 800
CENTRE = SIZE / 2
# Rings from the outside in: (outer radius, lane width, most lanes).
PERIOD_RING = (360, 16, 4)
ACTIVITY_RING = (292, 7, 12)
MEETING_RADIUS = 192
DEADLINE_RADIUS = 166
MONTH_LABEL_RADIUS = 378
INNER_RADIUS = 140
# When each step of the cycle is due, where the data says nothing (month, day).
SITUATION_DUE = (1, 31)
PLAN_DUE = (2, 28)
REPORT_DUE = (12, 31)


def days_in(year):
    return (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days


def angle_of(day: datetime.date, year: int) -> float:
    """Degrees clockwise from the top; 1 January at 0, the next year's 1 January at 360."""
    return 360 * (day - datetime.date(year, 1, 1)).days / days_in(year)


def point(angle, radius):
    rad = math.radians(angle)
    return CENTRE + radius * math.sin(rad), CENTRE - radius * math.cos(rad)


def arc_path(start_angle, end_angle, radius):
    """An SVG path along the circle of `radius` from one angle clockwise to the other."""
    span = max(end_angle - start_angle, 0.3)
    x1, y1 = point(start_angle, radius)
    if span >= 359.9:  # a whole year: two halves, since one arc cannot end where it starts
        xm, ym = point(start_angle + 180, radius)
        return (
            f"M{x1:.2f} {y1:.2f}A{radius} {radius} 0 0 1 {xm:.2f} {ym:.2f}"
            f"A{radius} {radius} 0 0 1 {x1:.2f} {y1:.2f}"
        )
    x2, y2 = point(start_angle + span, radius)
    large = 1 if span > 180 else 0
    return f"M{x1:.2f} {y1:.2f}A{radius} {radius} 0 {large} 1 {x2:.2f} {y2:.2f}"


@dataclass
class Item:
    """One thing on the wheel and one row of the table."""

    kind: str  # period, activity, meeting, prep, deadline
    name: str
    start: datetime.date
    end: datetime.date
    url: str = ""
    note: str = ""
    lane: int = 0
    d: str = ""  # the SVG path of an arc
    x: float = 0.0  # the centre of a mark
    y: float = 0.0
    memory: dict | None = None
    period: object = None
    anchor: int = 0

    when: str = ""  # "30 apr–1 maj", set by `_name_all`
    label: str = ""  # the accessible name: what, when, and the note
    kind_label: str = ""


def _kind_labels():
    return {
        "period": _("Risk period"),
        "activity": _("Activity"),
        "meeting": _("Meeting"),
        "prep": _("Preparation meeting (suggested)"),
        "deadline": _("Deadline"),
    }


def _name_all(items):
    """Each item's texts, made once: a page of 1,000 activities formats no date twice."""
    kinds = _kind_labels()
    months = [date_format(datetime.date(2000, m, 1), "b") for m in range(1, 13)]

    def day(d):
        return f"{d.day} {months[d.month - 1]}"

    for item in items:
        first = day(item.start)
        item.when = first if item.end == item.start else f"{first}–{day(item.end)}"
        item.kind_label = kinds[item.kind]
        text = f"{item.kind_label}: {item.name}, {item.when}"
        item.label = f"{text} ({item.note})" if item.note else text


@dataclass
class Wheel:
    year: int
    today: datetime.date
    periods: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    months: list = field(default_factory=list)
    today_line: tuple | None = None
    ring_guides: list = field(default_factory=list)
    # Past a page of activities, the ring shows how many run each month (`_by_month`).
    activities_summed: bool = False

    @property
    def size(self):
        return SIZE

    @property
    def items(self):
        return [*self.periods, *self.activities, *self.meetings, *self.deadlines]

    def by_month(self):
        """(first day of the month, its rows by date) for the table and the phone list."""
        rows = sorted(self.items, key=lambda i: (i.start, i.end, i.kind, i.name))
        months = []
        for month in range(1, 13):
            first = datetime.date(self.year, month, 1)
            inside = [i for i in rows if i.start.month == month]
            if inside:
                months.append((first, inside))
        return months


def _clip(start, end, year):
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if end < first or start > last:
        return None
    return max(start, first), min(end, last)


def _lanes(items, most):
    """Put overlapping arcs side by side: each item in the first lane free at its start."""
    ends = []
    for item in sorted(items, key=lambda i: (i.start, -(i.end - i.start).days)):
        for lane, end in enumerate(ends):
            if end < item.start:
                item.lane, ends[lane] = lane, item.end
                break
        else:
            item.lane = min(len(ends), most - 1)
            if len(ends) < most:
                ends.append(item.end)
            else:
                ends[item.lane] = max(ends[item.lane], item.end)


def _arcs(items, ring, year):
    outer, width, most = ring
    _lanes(items, most)
    for item in items:
        radius = outer - width / 2 - item.lane * width
        after = item.end + datetime.timedelta(days=1)
        item.d = arc_path(angle_of(item.start, year), angle_of(after, year), radius)


def _marks(items, radius, year):
    for item in items:
        item.x, item.y = point(angle_of(item.start, year) + 180 / days_in(year), radius)


def _by_month(spans, year, timeline_url):
    """One arc per month with how many activities (their (start, end) within the year) run
    in it: a wheel of thousands of arcs says nothing and weighs megabytes; the timeline lists
    them a page at a time."""
    months = []
    runs = [0] * 13
    for start, end in spans:
        for month in range(start.month, end.month + 1):
            runs[month] += 1
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        n = runs[month]
        if n:
            name = ngettext("%(n)s activity runs", "%(n)s activities run", n) % {"n": n}
            months.append(Item("activity", name, first, last, timeline_url))
    return months


def build_wheel(agreement, year: int, today: datetime.date) -> Wheel:
    wheel = Wheel(year=year, today=today)
    periods = list(RiskPeriod.objects.for_agreement(agreement).prefetch_related("entered_dates"))
    dates = {p.pk: p.dates_in(year) for p in periods}
    debrief_url = row_link("followup:debrief", agreement_pk=agreement.pk, year=year)
    meeting_new = reverse("followup:meeting-create", args=[agreement.pk])
    for period in periods:
        # Last year's New Year's Eve may reach into this January.
        spilled = period.dates_in(year - 1)
        for span in [
            spilled and _clip(*spilled, year),
            dates[period.pk] and _clip(*dates[period.pk], year),
        ]:
            if span:
                url = debrief_url(period.pk)
                wheel.periods.append(Item("period", period.name, *span, url, period=period))
        prep = period.prep_meeting_date(year)
        if prep is not None and prep.year == year:
            note = _("%(weeks)s weeks before %(period)s") % {
                "weeks": period.prep_weeks,
                "period": period.name,
            }
            url = f"{meeting_new}?date={prep:%Y-%m-%d}&title=" + _("Preparation: %(p)s") % {
                "p": period.name
            }
            wheel.meetings.append(
                Item("prep", _("Preparation: %(p)s") % {"p": period.name}, prep, prep, url, note)
            )
    _arcs(wheel.periods, PERIOD_RING, year)

    activities = Activity.objects.filter(strategy__goal__plan__agreement=agreement).filter(
        strategy__goal__plan__year=year
    )
    # Plain tuples, and no titles until they are shown: past a page the ring counts per month.
    rows = (
        activities.exclude(start=None, end=None, risk_period=None)
        .order_by("start", "pk")
        .values_list("pk", "start", "end", "risk_period_id")
    )
    spans = []
    for pk, start, end, risk_period_id in rows:
        span = None
        if start or end:
            span = _clip(start or end, end or start, year)
        elif dates.get(risk_period_id):
            span = _clip(*dates[risk_period_id], year)
        if span:
            spans.append((pk, span, risk_period_id))
    if len(spans) > paging.PAGE_ROWS:
        timeline = reverse("plans:plan-timeline", args=[agreement.pk, year])
        wheel.activities = _by_month([span for _pk, span, _period in spans], year, timeline)
        wheel.activities_summed = True
    else:
        activity_url = row_link("plans:activity-detail", agreement_pk=agreement.pk)
        titles = dict(
            activities.filter(pk__in=[pk for pk, _span, _p in spans]).values_list("pk", "title")
        )
        names = {p.pk: p.name for p in periods}
        wheel.activities = [
            Item("activity", titles[pk], *span, activity_url(pk), names.get(period, ""))
            for pk, span, period in spans
        ]
    _arcs(wheel.activities, ACTIVITY_RING, year)

    meeting_url = row_link("followup:meeting-detail", agreement_pk=agreement.pk)
    for m in Meeting.objects.for_agreement(agreement).in_year(year).only("pk", "date", "title"):
        wheel.meetings.append(Item("meeting", m.title, m.date, m.date, meeting_url(m.pk)))
    _marks(wheel.meetings, MEETING_RADIUS, year)

    wheel.deadlines = _deadlines(agreement, year)
    for number, item in enumerate(wheel.deadlines, start=1):
        item.anchor = number
    _marks(wheel.deadlines, DEADLINE_RADIUS, year)

    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        middle = angle_of(first + datetime.timedelta(days=14), year)
        x, y = point(middle, MONTH_LABEL_RADIUS)
        x1, y1 = point(angle_of(first, year), INNER_RADIUS)
        x2, y2 = point(angle_of(first, year), PERIOD_RING[0] + 4)
        wheel.months.append(
            {"name": date_format(first, "M"), "x": x, "y": y, "line": (x1, y1, x2, y2)}
        )
    if today.year == year:
        x2, y2 = point(angle_of(today, year) + 180 / days_in(year), PERIOD_RING[0] + 10)
        wheel.today_line = (CENTRE, CENTRE, x2, y2)
    wheel.ring_guides = [PERIOD_RING[0], ACTIVITY_RING[0], MEETING_RADIUS, DEADLINE_RADIUS]
    _name_all(wheel.items)
    return wheel


def _deadlines(agreement, year):
    """The cycle's deadlines in the year: done on the day it happened, else due by convention."""
    items = []
    picture = (
        SituationPicture.objects.filter(agreement=agreement, year=year, agreed_at__isnull=False)
        .order_by("agreed_at")
        .values_list("agreed_at", flat=True)
        .first()
    )
    items.append(_deadline(_("Situation picture agreed"), picture, year, SITUATION_DUE))
    adopted = (
        ImplementationPlan.objects.filter(agreement=agreement, year=year)
        .values_list("adopted_on", flat=True)
        .first()
    )
    items.append(_deadline(_("Implementation plan adopted"), adopted, year, PLAN_DUE))
    published = (
        PublishedReport.objects.filter(report__agreement=agreement, report__year=year)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    items.append(_deadline(_("Year-end report published"), published, year, REPORT_DUE))
    if agreement.revise_by.year == year:
        revise = agreement.revise_by
        items.append(Item("deadline", _("The agreement revised"), revise, revise, note=_("due")))
    return [i for i in items if i.start.year == year]


def _deadline(name, done, year, due):
    if isinstance(done, datetime.datetime):
        done = done.date()
    if done is not None:
        return Item("deadline", name, done, done, note=_("done"))
    day = datetime.date(year, *due)
    return Item("deadline", name, day, day, note=_("due"))


def last_year_memory(agreement, wheel):
    """For each period of the wheel: what was logged and evaluated in it the year before, and
    last year's debrief. The predecessor agreement counts too: the rhythm outlives it."""
    year = wheel.year - 1
    agreements = [agreement.pk] + ([agreement.previous_id] if agreement.previous_id else [])
    same_name = {}
    for p in RiskPeriod.objects.filter(agreement__in=agreements).prefetch_related("entered_dates"):
        same_name.setdefault(p.name, []).append(p)
    debriefs = {
        d.period_id: d for d in Debrief.objects.filter(period__agreement__in=agreements, year=year)
    }
    for item in wheel.periods:
        kin = same_name.get(item.name, [item.period])
        span = next((p.dates_in(year) for p in kin if p.dates_in(year)), None)
        memory = {"year": year, "entries": [], "evaluations": [], "debrief": None}
        if span:
            memory["span"] = span
            memory["entries"] = list(
                LogEntry.objects.filter(
                    activity__strategy__goal__plan__agreement__in=agreements,
                    date__range=span,
                )
                .select_related("activity")
                .order_by("date", "pk")[:10]
            )
        memory["evaluations"] = list(
            Evaluation.objects.filter(activity__risk_period__in=kin, year=year).select_related(
                "activity"
            )[:10]
        )
        memory["debrief"] = next((debriefs[p.pk] for p in kin if p.pk in debriefs), None)
        item.memory = memory

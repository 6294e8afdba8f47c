"""The follow-up page's lists, light: which activities need attention and why, worked out from
a few narrow queries (no model rows, no joins of every log entry), and only a page of rows
loaded whole, so a plan of 5,000 activities costs the page what one of 100 does.

The rules are `overview.py`'s own functions (`is_followed`, `is_stale`, `needs_evaluation`,
`is_coming`), applied to light stand-ins, so this page and `year_overview` (the evaluation
list, the meeting agenda) cannot disagree; tests/followup/test_attention_rules.py checks it.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Subquery

from plans.models import Activity

from .models import Evaluation, LogEntry
from .overview import is_coming, is_followed, is_stale, needs_evaluation

REASONS = ("overdue", "red", "stale", "unevaluated")


@dataclass
class Attention:
    """What the page shows: per reason the ids, in plan order; the coming deadlines' ids,
    soonest first; the number of activities; and per id its last work logged."""

    reasons: dict  # reason -> [pk]
    needing: list  # [(pk, (reason, …))] in plan order
    coming: list  # [pk]
    total: int
    last_logged: dict

    def count(self, reason=""):
        return len(self.reasons[reason]) if reason else len(self.needing)


def _light(plan):
    """Every activity of the plan as a stand-in with what the rules read, in plan order, and
    {pk: last work logged in the plan's year}: one query (each subquery an index probe)."""
    logged = LogEntry.objects.filter(
        activity=OuterRef("pk"),
        date__gte=datetime.date(plan.year, 1, 1),
        date__lte=datetime.date(plan.year, 12, 31),
    )
    rows = (
        Activity.objects.in_plan(plan)
        .annotate(
            last_logged=Subquery(logged.order_by("-date").values("date")[:1]),
            carried_over=Exists(Activity.objects.filter(previous=OuterRef("pk"))),
            evaluated=Exists(Evaluation.objects.filter(activity=OuterRef("pk"), year=plan.year)),
        )
        .in_plan_order()
        .values_list(
            "pk",
            "status",
            "traffic_light",
            "start",
            "end",
            "last_logged",
            "carried_over",
            "evaluated",
        )
    )
    activities = [
        SimpleNamespace(
            pk=pk,
            status=status,
            traffic_light=light,
            start=start,
            end=end,
            is_unfinished=status in Activity.UNFINISHED,
            carried_over=carried,
            evaluated=evaluated,
            last_logged=last,
        )
        for pk, status, light, start, end, last, carried, evaluated in rows
    ]
    return activities, {a.pk: a.last_logged for a in activities if a.last_logged}


def attention(plan, today: datetime.date) -> Attention:
    activities, last_logged = _light(plan)
    tests = {
        "overdue": lambda a: is_followed(a) and a.end is not None and a.end < today,
        "red": lambda a: a.traffic_light == Activity.TrafficLight.RED and not a.carried_over,
        "stale": lambda a: is_stale(a, today),
        "unevaluated": lambda a: needs_evaluation(a, plan.year, today) and not a.evaluated,
    }
    reasons = {reason: [] for reason in REASONS}
    needing = []
    for activity in activities:
        mine = tuple(reason for reason in REASONS if tests[reason](activity))
        for reason in mine:
            reasons[reason].append(activity.pk)
        if mine:
            needing.append((activity.pk, mine))
    coming = sorted((a for a in activities if is_coming(a, today)), key=lambda a: a.end)
    return Attention(reasons, needing, [a.pk for a in coming], len(activities), last_logged)


def rows(pks, last_logged):
    """The activities with these ids, whole, in this order, each with its last work logged."""
    found = (
        Activity.objects.filter(pk__in=pks)
        .select_related("responsible_organisation", "contact_user")
        .in_bulk()
    )
    shown = [found[pk] for pk in pks if pk in found]
    for activity in shown:
        activity.last_logged = last_logged.get(activity.pk)
    return shown

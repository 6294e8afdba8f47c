"""Writes on the implementation plan that span several records."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from pitebra import pagecache
from pitebra.copying import copied_links, copy_row
from pitebra.versioning.display import model_value_display

from ..models import Activity, Goal, ImplementationPlan, Strategy


def next_position(queryset):
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


def item_move(*, item, siblings, direction: str) -> None:
    """Swap an item with its neighbour above ('up') or below ('down')."""
    with transaction.atomic():
        # Locked: two moves at once are done one after the other, never mixed.
        ordered = list(siblings.select_for_update().order_by("position", "pk"))
        index = ordered.index(item)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, obj in enumerate(ordered, start=1):
            if obj.position != position:
                type(obj).objects.filter(pk=obj.pk).update(position=position)
        pagecache.bump_for(item)  # .update() sends no signal


def plan_adopt(*, plan: ImplementationPlan, by, on: datetime.date) -> None:
    plan.status = ImplementationPlan.Status.ADOPTED
    plan.adopted_on = on
    plan.adopted_by = by
    plan.save()


@transaction.atomic
def plan_roll_over(*, plan: ImplementationPlan, to_year: int) -> ImplementationPlan:
    """Start next year's plan from this one, in one transaction.

    Goals and strategies are copied; unfinished activities (planned, ongoing, postponed) are
    carried with their links; done and cancelled ones stay behind. Each copy points to its
    original (`previous`), which is what the year-to-year comparison follows.
    """
    new_plan = ImplementationPlan.objects.create(
        agreement=plan.agreement, year=to_year, previous=plan
    )
    goals = plan.goals.prefetch_related(
        *(f"strategies__activities__{link}" for link in CARRIED_LINKS),
        "strategies__activities__risk_period__entered_dates",
    )
    for goal in goals:
        new_goal = copy_row(goal, plan=new_plan, previous=goal)
        for strategy in goal.strategies.all():
            new_strategy = copy_row(strategy, goal=new_goal, previous=strategy)
            for activity in strategy.activities.all():
                if activity.status in Activity.UNFINISHED:
                    _carry(activity, new_strategy)
    for promise in plan.citizen_promises.all():
        copy_row(promise, plan=new_plan)
    return new_plan


# A carried activity keeps everything but its place in the new plan and its link back.
CARRIED_LINKS = copied_links(Activity)


def _carry(activity, strategy):
    dates = {}
    period = activity.risk_period
    if period is not None:
        # An activity for a risk period moves with it: next year's wheel has it in place.
        span = period.dates_in(strategy.goal.plan.year)
        if span is not None:
            dates["start"], dates["end"] = span
    return copy_row(activity, strategy=strategy, previous=activity, **dates)


@dataclass
class Comparison:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (new item, [(label, old, new)])


COMPARED = {
    Goal: ["title", "description", "priority_area", "target_value", "target_year"],
    Strategy: ["title", "description"],
    Activity: [
        "title",
        "description",
        "status",
        "start",
        "end",
        "responsible_organisation",
        "contact_name",
        "traffic_light",
    ],
}


def plan_compare(*, old: ImplementationPlan, new: ImplementationPlan) -> Comparison:
    """What was added, removed and changed from one year's plan to the next.

    Items pair through their `previous` links (followed back through earlier copies); what is
    left unpaired pairs by kind and title, so no item is ever both added and removed. Each item
    carries `kind_label` (goal, strategy, activity) for the page.
    """
    result = Comparison()
    for model, lookup in [
        (Goal, "plan"),
        (Strategy, "goal__plan"),
        (Activity, "strategy__goal__plan"),
    ]:
        related = [f for f in COMPARED[model] if model._meta.get_field(f).is_relation]
        olds = {o.pk: o for o in model.objects.filter(**{lookup: old}).select_related(*related)}
        news = list(model.objects.filter(**{lookup: new}).select_related(*related))
        for item in [*olds.values(), *news]:
            item.kind_label = model._meta.verbose_name
        pairs = _pair(model, olds, news)
        paired_old = {before.pk for before in pairs.values()}
        for item in news:
            before = pairs.get(item.pk)
            if before is None:
                result.added.append(item)
                continue
            diffs = [
                (
                    model._meta.get_field(name).verbose_name,
                    _display(before, name),
                    _display(item, name),
                )
                for name in COMPARED[model]
                if getattr(before, name) != getattr(item, name)
            ]
            if diffs:
                result.changed.append((item, diffs))
        result.removed.extend(o for pk, o in olds.items() if pk not in paired_old)
    return result


def _pair(model, olds, news):
    """{new pk: old item}: by the `previous` chain first, then by title among the rest."""
    pairs, taken = {}, set()
    earlier = dict(model.objects.filter(previous__isnull=False).values_list("pk", "previous_id"))
    for item in news:
        link, seen = item.previous_id, set()
        while link is not None and link not in olds and link not in seen:
            seen.add(link)
            link = earlier.get(link)
        if link in olds and link not in taken:
            pairs[item.pk] = olds[link]
            taken.add(link)
    by_title = {}
    for pk, before in olds.items():
        if pk not in taken:
            by_title.setdefault(before.title.casefold(), []).append(before)
    for item in news:
        if item.pk not in pairs and by_title.get(item.title.casefold()):
            pairs[item.pk] = by_title[item.title.casefold()].pop(0)
    return pairs


def _display(obj, name):
    return model_value_display(obj._meta.get_field(name), getattr(obj, name))

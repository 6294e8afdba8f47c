"""Writes on the implementation plan that span several records."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max

from ..models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy


class StaleEdit(Exception):
    """Someone else saved the item after the user opened it."""

    def __init__(self, current, changes):
        super().__init__("stale edit")
        self.current = current
        self.changes = changes


def _changes_since(obj, loaded_version):
    """(field label, value then, value now) for what changed after `loaded_version`."""
    then = obj.history.filter(version=loaded_version).order_by("history_date").last()
    now = obj.history.order_by("history_date").last()
    if then is None or now is None:
        return [], None
    delta = now.diff_against(then, excluded_fields=["version", "position"])
    rows = []
    for change in delta.changes:
        if change.field in CARRIED_LINKS:
            continue
        model_field = obj._meta.get_field(change.field)
        rows.append((model_field.verbose_name, change.old, change.new))
    return rows, now.history_user


def save_versioned(*, form):
    """Save a VersionedForm, refusing it if the item changed since the user loaded it."""
    obj = form.instance
    if obj.pk is None:
        return form.save()
    loaded = form.cleaned_data.get("loaded_version") or 0
    with transaction.atomic():
        updated = (
            type(obj).objects.filter(pk=obj.pk, version=loaded).update(version=F("version") + 1)
        )
        if not updated:
            current = type(obj).objects.get(pk=obj.pk)
            changes, by = _changes_since(current, loaded)
            raise StaleEdit(current, {"changes": changes, "by": by})
        obj.version = loaded + 1
        return form.save()


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
        *(f"strategies__activities__{link}" for link in CARRIED_LINKS)
    )
    for goal in goals:
        new_goal = Goal.objects.create(
            plan=new_plan,
            priority_area_id=goal.priority_area_id,
            title=goal.title,
            description=goal.description,
            target_value=goal.target_value,
            target_year=goal.target_year,
            target_indicator_id=goal.target_indicator_id,
            position=goal.position,
            previous=goal,
        )
        for strategy in goal.strategies.all():
            new_strategy = Strategy.objects.create(
                goal=new_goal,
                title=strategy.title,
                description=strategy.description,
                position=strategy.position,
                previous=strategy,
            )
            for activity in strategy.activities.all():
                if activity.status in Activity.UNFINISHED:
                    _carry(activity, new_strategy)
    for promise in plan.citizen_promises.all():
        CitizenPromise.objects.create(
            plan=new_plan,
            promise=promise.promise,
            responsible_organisation_id=promise.responsible_organisation_id,
            target_count=promise.target_count,
            target_period=promise.target_period,
            unit=promise.unit,
            position=promise.position,
        )
    return new_plan


CARRIED_FIELDS = [
    "title",
    "description",
    "operational_goal",
    "responsible_organisation_id",
    "contact_user_id",
    "contact_name",
    "start",
    "end",
    "status",
    "traffic_light",
    "traffic_light_comment",
    "target_group",
    "places",
    "estimated_hours",
    "estimated_cost",
    "follow_up",
    "position",
]
CARRIED_LINKS = ["partners", "causes", "problems", "indicators"]


def _carry(activity, strategy):
    copy = Activity.objects.create(
        strategy=strategy,
        previous=activity,
        **{name: getattr(activity, name) for name in CARRIED_FIELDS},
    )
    for link in CARRIED_LINKS:
        getattr(copy, link).set(getattr(activity, link).all())
    return copy


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
    """What was added, removed and changed from one year's plan to the next."""
    result = Comparison()
    for model, lookup in [
        (Goal, "plan"),
        (Strategy, "goal__plan"),
        (Activity, "strategy__goal__plan"),
    ]:
        related = [f for f in COMPARED[model] if model._meta.get_field(f).is_relation]
        olds = {o.pk: o for o in model.objects.filter(**{lookup: old}).select_related(*related)}
        news = list(model.objects.filter(**{lookup: new}).select_related(*related))
        carried = set()
        for item in news:
            before = olds.get(item.previous_id)
            if before is None:
                result.added.append(item)
                continue
            carried.add(before.pk)
            diffs = []
            for name in COMPARED[model]:
                a, b = getattr(before, name), getattr(item, name)
                if a != b:
                    label = model._meta.get_field(name).verbose_name
                    diffs.append((label, _display(before, name), _display(item, name)))
            if diffs:
                result.changed.append((item, diffs))
        result.removed.extend(o for pk, o in olds.items() if pk not in carried)
    return result


def _display(obj, name):
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    return "–" if value in (None, "") else value

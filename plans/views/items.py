"""Create, edit, move and delete the plan's goals, strategies, activities and promises."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.permissions import MEMBER, agreement_view, can_edit
from pitebra.versioning.forms import save_versioned
from pitebra.versioning.history import history_rows
from security.audit import Action, record

from ..forms.plan import ActivityForm, CitizenPromiseForm, GoalForm, StrategyForm
from ..lookups import get_plan
from ..models import Activity, CitizenPromise, Goal, Strategy
from ..services import plan as services
from ..services import status


def _plan_url(plan, anchor=""):
    url = reverse("plans:plan-detail", args=[plan.agreement_id, plan.year])
    return f"{url}#{anchor}" if anchor else url


def _edit(request, *, plan, form_class, instance, heading, anchor_prefix, initial=None, save=None):
    """The shared create/edit flow; a save someone else overtook comes back merged."""
    form = form_class(request.POST or None, instance=instance, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        obj = save_versioned(form, save=save)
        if obj is not None:
            messages.success(request, _("Saved: %(item)s") % {"item": obj})
            return redirect(_plan_url(plan, f"{anchor_prefix}-{obj.pk}"))
    return render(
        request,
        "plans/item_form.html",
        {
            "agreement": plan.agreement,
            "plan": plan,
            "form": form,
            "heading": heading,
            "cancel_url": _plan_url(plan),
        },
    )


def _save_activity(by):
    """The activity form's save: its status history is written with it, when it changed."""

    def save(form):
        return status.activity_save(activity=form.instance, by=by, save=form.save)

    return save


@agreement_view(required=MEMBER)
def goal_create(request, agreement, year):
    plan = get_plan(agreement, year)
    initial = {"priority_area": request.GET.get("priority_area")}
    goal = Goal(plan=plan, position=services.next_position(plan.goals))
    return _edit(
        request,
        plan=plan,
        form_class=GoalForm,
        instance=goal,
        heading=_("New goal"),
        anchor_prefix="goal",
        initial=initial,
    )


def _goal(agreement, pk):
    return get_object_or_404(
        Goal.objects.select_related("plan__agreement"), pk=pk, plan__agreement=agreement
    )


def _strategy(agreement, pk):
    return get_object_or_404(
        Strategy.objects.select_related("goal__plan__agreement"),
        pk=pk,
        goal__plan__agreement=agreement,
    )


def _activity(agreement, pk):
    return get_object_or_404(
        Activity.objects.select_related("strategy__goal__plan__agreement"),
        pk=pk,
        strategy__goal__plan__agreement=agreement,
    )


def _promise(agreement, pk):
    return get_object_or_404(
        CitizenPromise.objects.select_related("plan__agreement"), pk=pk, plan__agreement=agreement
    )


@agreement_view(required=MEMBER)
def goal_edit(request, agreement, pk):
    goal = _goal(agreement, pk)
    return _edit(
        request,
        plan=goal.plan,
        form_class=GoalForm,
        instance=goal,
        heading=_("Edit goal"),
        anchor_prefix="goal",
    )


@agreement_view(required=MEMBER)
def strategy_create(request, agreement, goal_pk):
    goal = _goal(agreement, goal_pk)
    strategy = Strategy(goal=goal, position=services.next_position(goal.strategies))
    return _edit(
        request,
        plan=goal.plan,
        form_class=StrategyForm,
        instance=strategy,
        heading=_("New strategy under “%(goal)s”") % {"goal": goal},
        anchor_prefix="strategy",
        initial={"goal": goal},
    )


@agreement_view(required=MEMBER)
def strategy_edit(request, agreement, pk):
    strategy = _strategy(agreement, pk)
    return _edit(
        request,
        plan=strategy.goal.plan,
        form_class=StrategyForm,
        instance=strategy,
        heading=_("Edit strategy"),
        anchor_prefix="strategy",
    )


@agreement_view(required=MEMBER)
def activity_create(request, agreement, strategy_pk):
    strategy = _strategy(agreement, strategy_pk)
    activity = Activity(strategy=strategy, position=services.next_position(strategy.activities))
    initial = {
        "strategy": strategy,
        "responsible_organisation": request.user.organisation_id,
        "contact_user": request.user.pk,
    }
    return _edit(
        request,
        plan=strategy.goal.plan,
        form_class=ActivityForm,
        instance=activity,
        heading=_("New activity under “%(strategy)s”") % {"strategy": strategy},
        anchor_prefix="activity",
        initial=initial,
        save=_save_activity(request.user),
    )


@agreement_view(required=MEMBER)
def activity_edit(request, agreement, pk):
    activity = _activity(agreement, pk)
    return _edit(
        request,
        plan=activity.strategy.goal.plan,
        form_class=ActivityForm,
        instance=activity,
        heading=_("Edit activity"),
        anchor_prefix="activity",
        save=_save_activity(request.user),
    )


@agreement_view(required=MEMBER)
def activity_detail(request, agreement, pk):
    activity = get_object_or_404(
        Activity.objects.with_tree().select_related("strategy__goal__plan"),
        pk=pk,
        strategy__goal__plan__agreement=agreement,
    )
    records = list(activity.history.select_related("history_user").order_by("-history_date")[:50])
    history = history_rows(Activity, records)
    return render(
        request,
        "plans/activity_detail.html",
        {
            "agreement": agreement,
            "plan": activity.strategy.goal.plan,
            "activity": activity,
            "history": history,
            "can_edit": can_edit(request.role),
        },
    )


@agreement_view(required=MEMBER)
def promise_create(request, agreement, year):
    plan = get_plan(agreement, year)
    promise = CitizenPromise(plan=plan, position=services.next_position(plan.citizen_promises))
    return _edit(
        request,
        plan=plan,
        form_class=CitizenPromiseForm,
        instance=promise,
        heading=_("New citizen promise"),
        anchor_prefix="promise",
    )


@agreement_view(required=MEMBER)
def promise_edit(request, agreement, pk):
    promise = _promise(agreement, pk)
    return _edit(
        request,
        plan=promise.plan,
        form_class=CitizenPromiseForm,
        instance=promise,
        heading=_("Edit citizen promise"),
        anchor_prefix="promise",
    )


KINDS = {
    "goal": (_goal, lambda g: g.plan, lambda g: g.plan.goals.filter(priority_area=g.priority_area)),
    "strategy": (_strategy, lambda s: s.goal.plan, lambda s: s.goal.strategies.all()),
    "activity": (_activity, lambda a: a.strategy.goal.plan, lambda a: a.strategy.activities.all()),
    "promise": (_promise, lambda p: p.plan, lambda p: p.plan.citizen_promises.all()),
}


@require_POST
@agreement_view(required=MEMBER)
def item_move(request, agreement, kind, pk):
    getter, plan_of, siblings_of = KINDS[kind]
    item = getter(agreement, pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.item_move(item=item, siblings=siblings_of(item), direction=direction)
    return redirect(_plan_url(plan_of(item), f"{kind}-{item.pk}"))


@agreement_view(required=MEMBER)
def item_delete(request, agreement, kind, pk):
    getter, plan_of, _siblings = KINDS[kind]
    item = getter(agreement, pk)
    plan = plan_of(item)
    if request.method == "POST":
        label = str(item)
        record(Action.DELETION, agreement=agreement, obj=item, summary=kind)
        item.delete()
        messages.success(request, _("Deleted: %(item)s") % {"item": label})
        return redirect(_plan_url(plan))
    return render(
        request,
        "plans/item_confirm_delete.html",
        {
            "agreement": agreement,
            "plan": plan,
            "item": item,
            "kind": kind,
            "cancel_url": _plan_url(plan),
        },
    )

"""The implementation plan of a year: the tree, adoption, roll-over, comparison, timeline.

One module past 300 lines: the pages share the plan's tree and its filters (the timeline, at
the end, is the seam if it grows).
"""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra import pagecache
from pitebra.links import link_rows, row_link
from pitebra.paging import page_of
from pitebra.permissions import COORDINATOR, MEMBER, agreement_view, can_manage
from pitebra.text import swedish_key

from ..forms.plan import PastDateForm, PlanFilterForm, RollOverForm
from ..lookups import get_plan
from ..models import Activity, Goal, ImplementationPlan, Strategy
from ..services import plan as services

MONTHS = range(1, 13)
EMPTY = "<td></td>"


@agreement_view(required=MEMBER)
def plan_list(request, agreement):
    plans = agreement.plans.order_by("-year")
    existing = {p.year for p in plans}
    free_years = [
        y for y in range(agreement.first_year, agreement.last_year + 1) if y not in existing
    ]
    return render(
        request,
        "plans/plan_list.html",
        {
            "agreement": agreement,
            "plans": plans,
            "free_years": free_years,
            "can_manage": can_manage(request.role),
        },
    )


@require_POST
@agreement_view(required=MEMBER)
def plan_create(request, agreement):
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year is None or not (agreement.first_year <= year <= agreement.last_year):
        messages.error(request, _("Choose an operating year of the agreement."))
        return redirect("plans:plan-list", agreement_pk=agreement.pk)
    plan, created = ImplementationPlan.objects.get_or_create(agreement=agreement, year=year)
    if created:
        messages.success(
            request, _("The plan for %(year)s was created as a draft.") % {"year": year}
        )
    return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)


def _nest(areas, goals, strategies, activities):
    """[(area, [(goal, [(strategy, [activity…])…])…])…]: each level in the order given, every
    area even when it holds nothing."""
    by_strategy = defaultdict(list)
    for activity in activities:
        by_strategy[activity.strategy_id].append(activity)
    by_goal = defaultdict(list)
    for strategy in strategies:
        by_goal[strategy.goal_id].append((strategy, by_strategy.get(strategy.pk, [])))
    by_area = defaultdict(list)
    for goal in goals:
        by_area[goal.priority_area_id].append((goal, by_goal.get(goal.pk, [])))
    return [(area, by_area.get(area.pk, [])) for area in areas]


def build_tree(plan, activities):
    """The plan's tree from a few flat queries, with the given activities in their order."""
    return _nest(
        plan.agreement.priority_areas.all(),
        plan.goals.select_related("priority_area"),
        Strategy.objects.filter(goal__plan=plan),
        activities,
    )


def _prune(tree):
    """Only the branches that hold a matching activity (when a filter is on)."""
    pruned = []
    for area, goals in tree:
        kept_goals = []
        for goal, strategies in goals:
            kept = [(s, acts) for s, acts in strategies if acts]
            if kept:
                kept_goals.append((goal, kept))
        if kept_goals:
            pruned.append((area, kept_goals))
    return pruned


def _link_tree(tree, agreement_pk):
    """Every row's links in the tree, each from one reversed URL (no {% url %} per row)."""
    a = {"agreement_pk": agreement_pk}
    goals = [goal for _area, goals in tree for goal, _strategies in goals]
    strategies = [s for _area, goals in tree for _goal, ss in goals for s, _acts in ss]
    activities = [x for _a, goals in tree for _g, ss in goals for _s, acts in ss for x in acts]
    for rows, kind, add in (
        (goals, "goal", "plans:strategy-create"),
        (strategies, "strategy", "plans:activity-create"),
    ):
        link_rows(
            rows,
            edit_url=row_link(f"plans:{kind}-edit", **a),
            add_url=row_link(add, key=f"{kind}_pk", **a),
            move_url=row_link("plans:item-move", kind=kind, **a),
            delete_url=row_link("plans:item-delete", kind=kind, **a),
        )
    link_rows(
        activities,
        url=row_link("plans:activity-detail", **a),
        followup_url=row_link("followup:activity-followup", **a),
    )
    return tree


def row_menu_links(agreement_pk):
    """The shared row menu's links, with `{pk}` for static/js/pitebra.js to fill in."""
    a = {"agreement_pk": agreement_pk}
    return {
        "edit": row_link("plans:activity-edit", **a).pattern,
        "log": reverse("followup:log-create", kwargs=a) + "?activity={pk}",
        "followup": row_link("followup:activity-followup", **a).pattern,
        "move": row_link("plans:item-move", kind="activity", **a).pattern,
        "delete": row_link("plans:item-delete", kind="activity", **a).pattern,
    }


# A plan longer than this shows each goal's activities only when asked (`?open=…` in the URL).
COLLAPSE_AFTER = 150


# What a row of the plan tree shows, and nothing more (no prefetch of partners, causes…).
ROW_FIELDS = (
    "title",
    "places",
    "start",
    "end",
    "status",
    "traffic_light",
    "contact_name",
    "position",
    "strategy_id",
    "responsible_organisation__name",
    "contact_user__username",
    "contact_user__first_name",
    "contact_user__last_name",
)


def _rows(queryset):
    return queryset.select_related("responsible_organisation", "contact_user").only(*ROW_FIELDS)


def _opened(request):
    """The goals the URL opens: None for all of them, else a set of primary keys."""
    raw = request.GET.get("open", "")
    return None if raw == "all" else {int(p) for p in raw.split(",") if p.isdigit()}


def _collapse(request, tree, counts):
    """Mark goals closed on a long plan unless the URL opens them; links toggle each one."""
    opened = _opened(request)
    params = request.GET.copy()
    params.pop("page", None)  # opening or closing a goal starts at the first page

    def query(pks):
        params["open"] = ",".join(str(p) for p in sorted(pks))
        return params.urlencode()

    for _area, goals in tree:
        for goal, _strategies in goals:
            goal.activity_count = counts.get(goal.pk, 0)
            goal.collapsed = opened is not None and goal.pk not in opened
            if opened is not None:
                goal.toggle_query = query(
                    opened | {goal.pk} if goal.collapsed else opened - {goal.pk}
                )
    params["open"] = "all"
    return None if opened is None else params.urlencode()


def _tree_activities(request, plan, filters):
    """The rows the tree shows, per goal the number of activities when the plan is long, and
    the page when the rows shown are more than one page holds (else None).

    A long plan loads only the rows of the goals the URL opens; the others are counted. Rows
    past a page (`?open=all` on 5,000 activities, a broad filter) come a page at a time."""
    activities = filters.filter(_rows(Activity.objects.in_plan(plan)), request.user)
    if filters.active:
        return _paged(request, activities.in_plan_order(), None)
    counts = dict(
        Activity.objects.in_plan(plan)
        .values_list("strategy__goal")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if sum(counts.values()) <= COLLAPSE_AFTER:
        return list(activities), None, None
    opened = _opened(request)
    if opened is None:
        shown = sum(counts.values())
    else:
        activities = activities.filter(strategy__goal__in=opened)
        shown = sum(n for goal, n in counts.items() if goal in opened)
    return _paged(request, activities.in_plan_order(), counts, shown)


def _paged(request, activities, counts, count=None):
    page = page_of(request, activities, count=count)
    if page is None:
        return list(activities), counts, None
    return list(page.object_list), counts, page


def _prune_page(tree):
    """On one page of a long tree: the branches with rows on it, and the closed goals."""
    pruned = []
    for area, goals in tree:
        kept_goals = []
        for goal, strategies in goals:
            kept = [(s, acts) for s, acts in strategies if acts]
            if kept or getattr(goal, "collapsed", False):
                kept_goals.append((goal, kept))
        if kept_goals:
            pruned.append((area, kept_goals))
    return pruned


@agreement_view(required=MEMBER)
def plan_detail(request, agreement, year):
    """The plan as a tree: priority area → goal → strategy → activity, with filters.

    The whole content is one cached part: a warm page asks for the plan's version and the
    header's, and renders nothing of its own."""
    plan = get_plan(agreement, year)
    today = timezone.localdate()

    def body_context():
        # Built on a miss only: its choices' querysets cost more than the cached page.
        filters = PlanFilterForm(request.GET or None, agreement=agreement)
        activities, counts, page = _tree_activities(request, plan, filters)
        tree = build_tree(plan, activities)
        if filters.active:
            tree = _prune(tree)
        open_all_query = None if counts is None else _collapse(request, tree, counts)
        if page is not None:
            tree = _prune_page(tree)
        return {
            "agreement": agreement,
            "plan": plan,
            "tree": _link_tree(tree, agreement.pk),
            "goal_create_url": reverse("plans:goal-create", args=[agreement.pk, plan.year]),
            "filters": filters,
            "open_all_query": open_all_query,
            "page": page,
            "today": today,
            # The one status form that every row's "Change status" opens (static/js/pitebra.js).
            "status_choices": Activity.Status.choices,
            "light_choices": [("", _("– no assessment –")), *Activity.TrafficLight.choices],
            "row_menu": row_menu_links(agreement.pk),
            "promises": link_rows(
                plan.citizen_promises.select_related("responsible_organisation"),
                edit_url=row_link("plans:promise-edit", agreement_pk=agreement.pk),
                move_url=row_link("plans:item-move", agreement_pk=agreement.pk, kind="promise"),
                delete_url=row_link("plans:item-delete", agreement_pk=agreement.pk, kind="promise"),
            ),
            "can_manage": can_manage(request.role),
            "rollover_form": RollOverForm(initial={"to_year": plan.year + 1}),
        }

    body_html = pagecache.cached_part(
        request,
        f"plan-page:{plan.pk}",
        "plans/_plan_body.html",
        body_context,
        agreements=[plan.agreement_id],
        role=request.role,
        per_user=PlanFilterForm.asks_for_own(request.GET),
    )
    return render(
        request,
        "plans/plan_detail.html",
        {"agreement": agreement, "plan": plan, "body_html": body_html},
    )


@require_POST
@agreement_view(required=COORDINATOR)
def plan_adopt(request, agreement, year):
    plan = get_plan(agreement, year)
    services.plan_adopt(plan=plan, by=request.user, on=timezone.localdate())
    messages.success(request, _("The plan for %(year)s is adopted.") % {"year": year})
    return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)


@require_POST
@agreement_view(required=COORDINATOR)
def plan_roll_over(request, agreement, year):
    plan = get_plan(agreement, year)
    form = RollOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the operating year to roll the plan over to."))
        return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)
    to_year = form.cleaned_data["to_year"]
    if ImplementationPlan.objects.filter(agreement=agreement, year=to_year).exists():
        messages.error(
            request,
            _("There is already a plan for %(year)s: nothing was copied.") % {"year": to_year},
        )
        return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)
    try:
        services.plan_roll_over(plan=plan, to_year=to_year)
    except IntegrityError:
        messages.error(request, _("The plan could not be rolled over: nothing was copied."))
        return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)
    messages.success(
        request,
        _("The plan was rolled over to %(year)s: unfinished activities were carried.")
        % {"year": to_year},
    )
    return redirect("plans:plan-compare", agreement_pk=agreement.pk, year=to_year)


@agreement_view(required=MEMBER)
def plan_compare(request, agreement, year):
    plan = get_plan(agreement, year)
    previous = plan.previous or agreement.plans.filter(year=year - 1).first()
    comparison = services.plan_compare(old=previous, new=plan) if previous else None
    return render(
        request,
        "plans/plan_compare.html",
        {"agreement": agreement, "plan": plan, "previous": previous, "comparison": comparison},
    )


@agreement_view(required=MEMBER)
def plan_as_of(request, agreement, year):
    """The plan as it stood at the end of a past day, from the recorded history."""
    plan = get_plan(agreement, year)
    form = PastDateForm(request.GET or None)
    tree, moment = None, None
    if form.is_valid():
        day = form.cleaned_data["on"]
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        tree = _tree_as_of(plan, moment)
    return render(
        request,
        "plans/plan_as_of.html",
        {"agreement": agreement, "plan": plan, "form": form, "tree": tree, "moment": moment},
    )


def _tree_as_of(plan, moment):
    """The plan's tree from the recorded history; only the areas that held a goal then."""
    goals = list(Goal.history.as_of(moment).filter(plan_id=plan.pk))
    strategies = list(Strategy.history.as_of(moment).filter(goal_id__in={g.pk for g in goals}))
    activities = Activity.history.as_of(moment).filter(strategy_id__in={s.pk for s in strategies})
    tree = _nest(
        plan.agreement.priority_areas.all(),
        *(
            sorted(items, key=lambda item: (item.position, item.pk))
            for items in (goals, strategies, activities)
        ),
    )
    return [(area, goals) for area, goals in tree if goals]


@agreement_view(required=MEMBER)
def plan_timeline(request, agreement, year):
    """Tidplan: the year's activities by month, grouped by goal or by organisation."""
    plan = get_plan(agreement, year)
    group_by = request.GET.get("group", "goal")
    if group_by not in ("goal", "organisation"):
        group_by = "goal"

    def table_context():
        return {
            "months": month_names,
            **_timeline_groups(request, plan, group_by),
        }

    month_names = [datetime.date(plan.year, m, 1) for m in MONTHS]
    table_html = pagecache.cached_part(
        request,
        f"timeline:{plan.pk}",
        "plans/_timeline_table.html",
        table_context,
        agreements=[plan.agreement_id],
        role=request.role,
    )
    return render(
        request,
        "plans/plan_timeline.html",
        {
            "agreement": agreement,
            "plan": plan,
            "table_html": table_html,
            "statuses": Activity.Status.choices,
            "group_by": group_by,
        },
    )


def _timeline_groups(request, plan, group_by):
    """The year's activities in plan order, grouped, each with its twelve month cells; a page
    at a time when they are more than a page holds (the order is read for all of them, the
    rows only for the page)."""
    by_goal = group_by == "goal"
    order = list(
        Activity.objects.in_plan(plan)
        .in_plan_order()
        .values_list("pk", "strategy__goal__title" if by_goal else "responsible_organisation__name")
    )
    if by_goal:
        first_seen = {}
        for _pk, key in order:
            first_seen.setdefault(key, len(first_seen))
        order.sort(key=lambda row: first_seen[row[1]])  # stable: plan order within a group
    else:
        order.sort(key=lambda row: swedish_key(row[1]))
    page = page_of(request, order)
    shown = page.object_list if page is not None else order
    rows = (
        Activity.objects.filter(pk__in=[pk for pk, _key in shown])
        .select_related("strategy__goal", "responsible_organisation")
        .only(
            "title",
            "status",
            "traffic_light",
            "start",
            "end",
            "strategy__goal__title",
            "responsible_organisation__name",
        )
        .in_bulk()
    )
    activities = [rows[pk] for pk, _key in shown if pk in rows]
    link_rows(activities, url=row_link("plans:activity-detail", agreement_pk=plan.agreement_id))
    groups = defaultdict(list)
    runs = _("runs")
    for activity in activities:
        key = activity.strategy.goal.title if by_goal else activity.responsible_organisation.name
        months = set(activity.months_in(plan.year))
        on = format_html(
            '<td class="gantt-on gantt-{}"><span class="visually-hidden">{}</span></td>',
            activity.status,
            runs,
        )
        # Twelve cells as one string: the template loops over rows, not over 12,000 cells.
        cells = "".join(on if m in months else EMPTY for m in MONTHS)
        groups[key].append((activity, mark_safe(cells)))  # noqa: S308 – built by format_html
    return {
        "groups": list(groups.items()),
        "undated": [a for a in activities if not (a.start or a.end)],
        "page": page,
    }

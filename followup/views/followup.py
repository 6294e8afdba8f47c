"""Step 5: the follow-up page of a year and the evaluations of its activities."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pitebra import pagecache
from pitebra.concurrency import SAVED_MEANWHILE, SavedMeanwhile, first_save
from pitebra.links import link_rows, row_link
from pitebra.navigation import cached_page
from pitebra.paging import page_of
from pitebra.permissions import MEMBER, agreement_view
from pitebra.versioning.forms import save_versioned
from plans.lookups import get_plan

from .. import attention
from ..forms.work import EvaluationForm
from ..models import Evaluation
from ..overview import log_totals, promises_with_progress, year_overview
from .common import get_activity


def _by(request):
    def save(form):
        evaluation = form.save(commit=False)
        evaluation.updated_by = request.user
        evaluation.save()
        return evaluation

    return save


@agreement_view(required=MEMBER)
def followup_index(request, agreement):
    """The follow-up of this year's plan, or of the latest plan there is."""
    today = timezone.localdate()
    plan = (
        agreement.plans.filter(year__lte=today.year).order_by("-year").first()
        or agreement.plans.order_by("year").first()
    )
    if plan is None:
        return render(request, "followup/followup_empty.html", {"agreement": agreement})
    return redirect("followup:followup-year", agreement_pk=agreement.pk, year=plan.year)


@agreement_view(required=MEMBER)
def followup_year(request, agreement, year):
    """The working group's meeting screen for a year: the lists a page at a time, worked out
    from a few narrow queries (followup/attention.py). Warm, the page asks for its years
    (one query, which also finds the plan) and the cached lists; the plan itself is loaded only
    to build them."""
    plans = dict(agreement.plans.values_list("year", "pk"))
    if year not in plans:
        raise Http404("No plan for that year")

    def lists_context():
        plan = get_plan(agreement, year)
        today = timezone.localdate()
        found = attention.attention(plan, today)
        chosen = request.GET.get("reason", "")
        if chosen not in dict(REASONS):
            chosen = ""
        needing = [
            (pk, reasons) for pk, reasons in found.needing if not chosen or chosen in reasons
        ]
        page = page_of(request, needing)
        needing = page.object_list if page is not None else needing
        coming_page = page_of(request, found.coming, param="coming")
        coming_pks = coming_page.object_list if coming_page is not None else found.coming
        shown = attention.rows(
            [pk for pk, _reasons in needing] + list(coming_pks), found.last_logged
        )
        by_pk = {activity.pk: activity for activity in shown}
        followup_url = row_link("followup:activity-followup", agreement_pk=agreement.pk)
        link_rows(shown, followup_url=followup_url)
        return {
            "agreement": agreement,
            "plan": plan,
            "today": today,
            "activity_count": found.total,
            "promises": promises_with_progress(plan, today),
            "coming": [by_pk[pk] for pk in coming_pks if pk in by_pk],
            "coming_page": coming_page,
            "coming_count": len(found.coming),
            "reasons": [(reason, label, found.count(reason)) for reason, label in REASONS],
            "attention": tagged([(by_pk[pk], reasons) for pk, reasons in needing if pk in by_pk]),
            "page": page,
            "chosen": chosen,
            "attention_total": found.count(),
            "shown_count": found.count(chosen),
        }

    version = pagecache.versions([agreement.pk])

    def page(extra):
        lists_html = pagecache.cached_part(
            request,
            f"followup-year:{plans[year]}",
            "followup/_year_lists.html",
            lists_context,
            version=version,
            role=request.role,
        )
        return render(
            request,
            "followup/followup_year.html",
            {
                "agreement": agreement,
                "year": year,
                "lists_html": lists_html,
                "years": sorted(plans),
                **extra,
            },
        )

    # Warm, the whole page comes from the cache: no template is rendered.
    return cached_page(request, f"followup-year:{plans[year]}", [version, request.role], page)


# Why an activity needs attention, in the order the page lists the reasons.
REASONS = [
    ("overdue", _lazy("Overdue")),
    ("red", _lazy("Red")),
    ("stale", _lazy("No log for 60 days")),
    ("unevaluated", _lazy("Not evaluated")),
]


def tagged(rows):
    """[(activity, its reasons as one string, its reasons' tags)] from [(activity, reasons)]:
    the tags built once per combination of reasons (a handful) rather than in each row."""
    labels = dict(REASONS)
    shown, tagged_rows = {}, []
    for activity, reasons in rows:
        if reasons not in shown:
            shown[reasons] = (
                " ".join(reasons),
                format_html_join(
                    " ", '<span class="tag tag-{}">{}</span>', ((r, labels[r]) for r in reasons)
                ),
            )
        tagged_rows.append((activity, *shown[reasons]))
    return tagged_rows


@agreement_view(required=MEMBER)
def evaluation_list(request, agreement, year):
    """The year's evaluations per goal, with the goals' roll-up."""
    plan = get_plan(agreement, year)
    overview = year_overview(plan, timezone.localdate())
    evaluations = {
        e.activity_id: e
        for e in Evaluation.objects.filter(activity__strategy__goal__plan=plan, year=year)
    }
    # The same rule as the follow-up page's "missing evaluations", so both pages agree.
    missing = {a.pk for a in overview.missing_evaluations}
    link_rows(
        overview.activities,
        followup_url=row_link("followup:activity-followup", agreement_pk=agreement.pk),
        evaluation_url=row_link("followup:evaluation-edit", agreement_pk=agreement.pk),
    )
    by_goal = {}
    for activity in overview.activities:
        by_goal.setdefault(activity.strategy.goal_id, []).append(
            (activity, evaluations.get(activity.pk), activity.pk in missing)
        )
    goals = [(rollup, by_goal.get(rollup.goal.pk, [])) for rollup in overview.goals]
    return render(
        request,
        "followup/evaluation_list.html",
        {"agreement": agreement, "plan": plan, "goals": goals},
    )


@agreement_view(required=MEMBER)
def evaluation_edit(request, agreement, pk):
    """Evaluate an activity for its plan's year (production, process, effect, verdict)."""
    activity = get_activity(agreement, pk)
    plan = activity.strategy.goal.plan
    instance = Evaluation.objects.filter(activity=activity, year=plan.year).first()
    instance = instance or Evaluation(activity=activity, year=plan.year)
    form = EvaluationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            with first_save():
                saved = save_versioned(form, save=_by(request))
        except SavedMeanwhile:
            messages.warning(request, SAVED_MEANWHILE)
            return redirect("followup:evaluation-edit", agreement_pk=agreement.pk, pk=activity.pk)
        if saved:
            messages.success(request, _("Evaluation saved: %(activity)s") % {"activity": activity})
            return redirect("followup:evaluation-list", agreement_pk=agreement.pk, year=plan.year)
    return render(
        request,
        "followup/evaluation_form.html",
        {
            "agreement": agreement,
            "plan": plan,
            "activity": activity,
            "form": form,
            "totals": log_totals([activity.pk]).get(activity.pk),
        },
    )

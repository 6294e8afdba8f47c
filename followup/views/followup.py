"""Step 5: the follow-up page of a year and the evaluations of its activities."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from pitebra import pagecache
from pitebra.concurrency import SAVED_MEANWHILE, SavedMeanwhile, first_save
from pitebra.links import link_rows, row_link
from pitebra.permissions import MEMBER, agreement_view
from pitebra.versioning.forms import save_versioned
from plans.lookups import get_plan

from ..forms.work import EvaluationForm
from ..models import Evaluation
from ..overview import log_totals, year_overview
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
    """The working group's meeting screen for a year."""
    plan = get_plan(agreement, year)

    def lists_context():
        overview = year_overview(plan, timezone.localdate())
        link_rows(
            overview.activities,
            followup_url=row_link("followup:activity-followup", agreement_pk=agreement.pk),
        )
        reasons, attention = attention_list(overview)
        attention_total = len(attention)
        chosen = request.GET.get("reason", "")
        if chosen in {reason for reason, _label, _n in reasons}:
            attention = [row for row in attention if chosen in row[1].split()]
        else:
            chosen = ""
        return {
            "agreement": agreement,
            "plan": plan,
            "overview": overview,
            "reasons": reasons,
            "attention": attention,
            "chosen": chosen,
            "attention_total": attention_total,
        }

    lists_html = pagecache.cached_part(
        request,
        f"followup-year:{plan.pk}",
        "followup/_year_lists.html",
        lists_context,
        agreements=[plan.agreement_id],
        role=request.role,
    )
    return render(
        request,
        "followup/followup_year.html",
        {
            "agreement": agreement,
            "plan": plan,
            "lists_html": lists_html,
            "years": list(agreement.plans.order_by("year").values_list("year", flat=True)),
        },
    )


def attention_list(overview):
    """[(reason, label, count)] and one list of the activities needing attention, in plan
    order, each with its reasons [(reason, label)]."""
    groups = [
        ("overdue", _("Overdue"), overview.overdue),
        ("red", _("Red"), overview.red),
        ("stale", _("No log for 60 days"), overview.stale),
        ("unevaluated", _("Not evaluated"), overview.missing_evaluations),
    ]
    tags = {}
    for reason, label, activities in groups:
        for activity in activities:
            tags.setdefault(activity.pk, []).append((reason, label))
    # A row's reasons as the template writes them, built once per combination of reasons
    # (a handful) rather than looped over in each of up to a thousand rows.
    shown = {}
    for combination in {tuple(t) for t in tags.values()}:
        shown[combination] = (
            " ".join(reason for reason, _label in combination),
            format_html_join(
                " ", '<span class="tag tag-{}">{}</span>', ((r, lb) for r, lb in combination)
            ),
        )
    attention = [(a, *shown[tuple(tags[a.pk])]) for a in overview.activities if a.pk in tags]
    return [(reason, label, len(items)) for reason, label, items in groups], attention


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

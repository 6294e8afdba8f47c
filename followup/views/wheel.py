"""The annual wheel of a year, and each risk period's page: last year's memory, the debrief,
and its proposals as activities of next year's plan."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pitebra import pagecache
from pitebra.lookups import operating_year
from pitebra.permissions import MEMBER, agreement_view
from pitebra.versioning.forms import save_versioned
from plans.models import RiskPeriod

from .. import services
from ..forms.meetings import DecisionActivityForm
from ..forms.wheel import DebriefForm
from ..models import Debrief
from ..wheel import build_wheel, last_year_memory
from .common import nav


@agreement_view(required=MEMBER)
def wheel_year(request, agreement, year):
    operating_year(agreement, year)
    today = timezone.localdate()

    def wheel_context():
        wheel = build_wheel(agreement, year, today)
        last_year_memory(agreement, wheel)
        return {"wheel": wheel, "year": year}

    # The drawing depends on the data and the day (today's mark): the page cache keys on both.
    wheel_html = pagecache.cached_part(
        request,
        f"wheel:{agreement.pk}:{year}",
        "followup/_wheel.html",
        wheel_context,
        role=request.role,
    )
    years = [y for y in (year - 1, year + 1) if agreement.covers(y)]
    return render(
        request,
        "followup/wheel.html",
        {
            "agreement": agreement,
            "wheel_html": wheel_html,
            "today_in_year": today.year == year,
            "year": year,
            "previous_year": year - 1 if year - 1 in years else None,
            "next_year": year + 1 if year + 1 in years else None,
            **nav(agreement, year),
        },
    )


def _period(agreement, pk):
    return get_object_or_404(
        RiskPeriod.objects.prefetch_related("entered_dates"), pk=pk, agreement=agreement
    )


@agreement_view(required=MEMBER)
def debrief(request, agreement, year, pk):
    """The period in `year`: what happened last year; once it is over, its debrief."""
    operating_year(agreement, year)
    period = _period(agreement, pk)
    dates = period.dates_in(year)
    today = timezone.localdate()
    ended = dates is not None and dates[1] < today
    instance = Debrief.objects.filter(period=period, year=year).first() or Debrief(
        period=period, year=year, created_by=request.user
    )
    form = DebriefForm(request.POST or None, instance=instance) if ended else None
    if request.method == "POST":
        if form is None:
            raise Http404  # a period not yet over has nothing to debrief
        if form.is_valid():
            saved = form.save() if instance.pk is None else save_versioned(form)
            if saved is not None:
                messages.success(request, _("The debrief was saved."))
                return redirect("followup:debrief", agreement.pk, year, period.pk)
    wheel = build_wheel(agreement, year, today)
    wheel.periods = [i for i in wheel.periods if i.period.pk == period.pk][:1]
    last_year_memory(agreement, wheel)
    memory = wheel.periods[0].memory if wheel.periods else None
    return render(
        request,
        "followup/debrief.html",
        {
            "agreement": agreement,
            "period": period,
            "year": year,
            "dates": dates,
            "ended": ended,
            "form": form,
            "debrief": instance if instance.pk else None,
            "memory": memory,
            "next_plan": agreement.plans.filter(year=year + 1).exists(),
            **nav(agreement, year),
        },
    )


@agreement_view(required=MEMBER)
def debrief_proposal(request, agreement, year, pk, number):
    """One proposal of the debrief as a new activity of next year's plan."""
    debrief = get_object_or_404(
        Debrief.objects.select_related("period"), period__agreement=agreement, period=pk, year=year
    )
    proposals = debrief.proposal_list
    if not 1 <= number <= len(proposals):
        raise Http404
    next_year = year + 1
    period = debrief.period
    dates = period.dates_in(next_year)
    initial = {
        "title": proposals[number - 1][:300],
        "responsible_organisation": request.user.organisation_id,
        "contact_user": request.user.pk,
        "start": dates[0] if dates else None,
        "end": dates[1] if dates else None,
    }
    form = DecisionActivityForm(
        request.POST or None, agreement=agreement, year=next_year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "outside_year_ok"}
        activity = services.debrief_proposal_to_activity(debrief=debrief, **fields)
        messages.success(request, _("The proposal is now an activity: %(a)s") % {"a": activity})
        return redirect("plans:activity-detail", agreement_pk=agreement.pk, pk=activity.pk)
    return render(
        request,
        "followup/debrief_proposal.html",
        {
            "agreement": agreement,
            "debrief": debrief,
            "proposal": proposals[number - 1],
            "form": form,
            "year": next_year,
            **nav(agreement, year),
        },
    )

"""Step 4: logging the operational work, and an activity's follow-up with its status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.navigation import remembered
from pitebra.permissions import (
    MEMBER,
    agreement_view,
    agreements_edited_by,
    may_remove_log_entry,
)
from plans.services.status import activity_status_update
from security.audit import Action, record

from ..forms.work import LogEntryForm, StatusForm
from ..models import Evaluation, LogEntry
from ..overview import log_totals
from .common import get_activity


@agreement_view(required=MEMBER)
def log_create(request, agreement):
    """The fast log form; `?activity=` preselects an activity (from its page)."""
    today = timezone.localdate()
    initial = {}
    if request.GET.get("activity", "").isdigit():
        initial["activity"] = get_activity(agreement, int(request.GET["activity"])).pk
    form = LogEntryForm(
        request.POST or None, agreement=agreement, user=request.user, today=today, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.created_by = request.user
        entry.save()
        messages.success(
            request,
            _("Logged: %(activity)s, %(date)s") % {"activity": entry.activity, "date": entry.date},
        )
        if "again" in request.POST:
            return redirect("followup:log-create", agreement_pk=agreement.pk)
        return redirect(
            "followup:activity-followup", agreement_pk=agreement.pk, pk=entry.activity_id
        )
    return render(request, "followup/log_form.html", {"agreement": agreement, "form": form})


def log_work(request):
    """The header's “Log work”: straight to the form of the agreement I am working in (or my
    only one); a choice only when neither is known."""
    agreements = list(agreements_edited_by(request.user).order_by("title"))
    current = remembered(request)
    for agreement in agreements:
        if agreement.pk == current or len(agreements) == 1:
            return redirect("followup:log-create", agreement_pk=agreement.pk)
    if not agreements:
        raise Http404
    return render(request, "followup/log_choose.html", {"agreements": agreements})


@agreement_view(required=MEMBER)
def activity_followup(request, agreement, pk):
    """An activity's operational work and follow-up: log, status history, evaluation."""
    activity = get_activity(agreement, pk)
    status_form = StatusForm(
        initial={"status": activity.status, "traffic_light": activity.traffic_light}
    )
    return _followup_page(request, agreement, activity, status_form)


def _followup_page(request, agreement, activity, status_form, status=200):
    plan = activity.strategy.goal.plan
    entries = list(
        LogEntry.objects.filter(activity=activity).select_related(
            "organisation", "created_by", "citizen_promise"
        )[:200]
    )
    for entry in entries:
        entry.removable = may_remove_log_entry(request.user, request.role, entry)
    updates = list(activity.status_updates.select_related("created_by")[:100])
    evaluation = Evaluation.objects.filter(activity=activity, year=plan.year).first()
    return render(
        request,
        "followup/activity_followup.html",
        {
            "agreement": agreement,
            "plan": plan,
            "activity": activity,
            "entries": entries,
            "totals": log_totals([activity.pk]).get(activity.pk),
            "updates": updates,
            "evaluation": evaluation,
            "status_form": status_form,
        },
        status=status,
    )


@require_POST
@agreement_view(required=MEMBER)
def activity_status(request, agreement, pk):
    activity = get_activity(agreement, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        activity_status_update(
            activity=activity,
            status=form.cleaned_data["status"],
            traffic_light=form.cleaned_data["traffic_light"],
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
        messages.success(request, _("The status was updated."))
        return redirect(
            _back_to(request, agreement)
            or reverse("followup:activity-followup", args=[agreement.pk, pk]) + "#status-heading"
        )
    # Shown again with what was chosen, so the traffic light is not lost with the refusal.
    messages.error(request, _("The status was not changed: write a short comment on why."))
    # From the plan page too: the comment is written here, with the chosen light kept.
    return _followup_page(request, agreement, activity, form, status=400)


def _back_to(request, agreement):
    """Where a status form on the plan page sends the user back: a page of this agreement."""
    target = request.POST.get("next", "")
    inside = reverse("agreement-detail", args=[agreement.pk])
    if target.startswith(inside) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_POST
@agreement_view(required=MEMBER)
def log_delete(request, agreement, pk):
    """Remove a log entry made by mistake: its author or a coordinator may."""
    entry = get_object_or_404(LogEntry, pk=pk, activity__strategy__goal__plan__agreement=agreement)
    if not may_remove_log_entry(request.user, request.role, entry):
        raise PermissionDenied
    activity_pk = entry.activity_id
    record(Action.DELETION, agreement=agreement, obj=entry, summary="log entry")
    entry.delete()
    messages.success(request, _("The log entry was removed."))
    return redirect("followup:activity-followup", agreement_pk=agreement.pk, pk=activity_pk)

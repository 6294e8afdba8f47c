"""Meetings of the working group: agenda pre-filled from the follow-up, minutes, decisions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.links import link_rows, row_link
from pitebra.permissions import MEMBER, agreement_view
from pitebra.versioning.forms import save_versioned
from security.audit import Action, record

from .. import services
from ..forms.meetings import DecisionActivityForm, DecisionForm, MeetingForm
from ..models import Decision, Meeting
from ..overview import year_overview
from .common import nav


def agenda_draft(overview) -> str:
    """A draft agenda: the standing items, then what the follow-up says needs discussing."""
    lines = [
        _("1. Opening and attendance"),
        _("2. Follow-up of the previous meeting's decisions"),
        _("3. Activities that need discussing"),
    ]
    for activity in overview.red:
        lines.append("   – " + _("Red: %(activity)s") % {"activity": activity})
    red = {a.pk for a in overview.red}
    for activity in overview.overdue:
        if activity.pk not in red:
            lines.append("   – " + _("Overdue: %(activity)s") % {"activity": activity})
    lines.append(_("4. Missing evaluations"))
    for activity in overview.missing_evaluations:
        lines.append("   – " + str(activity))
    lines.append(_("5. Citizen promises"))
    lines.append(_("6. Other matters and next meeting"))
    return "\n".join(lines)


def _meeting(agreement, pk):
    return get_object_or_404(Meeting, pk=pk, agreement=agreement)


@agreement_view(required=MEMBER)
def meeting_list(request, agreement):
    meetings = link_rows(
        Meeting.objects.for_agreement(agreement)
        .prefetch_related("attendees")
        .order_by("-date", "-pk")[:200],
        url=row_link("followup:meeting-detail", agreement_pk=agreement.pk),
    )
    return render(
        request,
        "followup/meeting_list.html",
        {"agreement": agreement, "meetings": meetings, **nav(agreement)},
    )


@agreement_view(required=MEMBER)
def meeting_form(request, agreement, pk=None):
    """A new meeting, its agenda drafted from the follow-up; or an existing meeting's changes."""
    if pk is None:
        today = timezone.localdate()
        meeting = Meeting(agreement=agreement, created_by=request.user)
        initial = {"date": today, "title": _("Working group meeting")}
        # The annual wheel suggests a preparation meeting: its date and title come along.
        try:
            suggested = parse_date(request.GET.get("date", "")[:10])
        except ValueError:
            suggested = None  # 2026-02-31: well formed, no such day
        if suggested is not None:
            initial["date"] = suggested
        if request.GET.get("title"):
            initial["title"] = request.GET["title"][:200]
        plan = agreement.plans.filter(year__lte=today.year).order_by("-year").first()
        if plan is not None:
            initial["agenda"] = agenda_draft(year_overview(plan, today))
        heading, year = _("New meeting"), None
    else:
        meeting, initial, plan = _meeting(agreement, pk), {}, None
        heading, year = _("Edit meeting"), meeting.date.year
    form = MeetingForm(request.POST or None, instance=meeting, agreement=agreement, initial=initial)
    if request.method == "POST" and form.is_valid():
        # A new meeting has no version anyone else could have saved over.
        saved = form.save() if pk is None else save_versioned(form)
        if saved is not None:
            messages.success(request, _("Meeting saved: %(meeting)s") % {"meeting": saved})
            return redirect("followup:meeting-detail", agreement_pk=agreement.pk, pk=saved.pk)
    return render(
        request,
        "followup/meeting_form.html",
        {
            "agreement": agreement,
            "form": form,
            "heading": heading,
            "meeting": meeting if pk is not None else None,
            "plan": plan,
            **nav(agreement, year),
        },
    )


@agreement_view(required=MEMBER)
def meeting_detail(request, agreement, pk):
    meeting = _meeting(agreement, pk)
    form = DecisionForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        decision.meeting = meeting
        decision.position = meeting.decisions.count() + 1
        decision.save()
        messages.success(request, _("Decision added."))
        return redirect("followup:meeting-detail", agreement_pk=agreement.pk, pk=meeting.pk)
    return render(
        request,
        "followup/meeting_detail.html",
        {
            "agreement": agreement,
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("organisation"),
            "decisions": meeting.decisions.select_related("responsible_organisation", "activity"),
            "form": form,
            **nav(agreement, meeting.date.year),
        },
    )


@agreement_view(required=MEMBER)
def decision_activity(request, agreement, pk):
    """Turn a decision into a new activity in the plan of the meeting's year."""
    decision = get_object_or_404(
        Decision.objects.select_related("meeting"), pk=pk, meeting__agreement=agreement
    )
    meeting = decision.meeting
    if decision.activity_id:
        messages.info(request, _("The decision is already an activity in the plan."))
        return redirect("followup:meeting-detail", agreement_pk=agreement.pk, pk=meeting.pk)
    initial = {
        "title": decision.text[:300],
        "responsible_organisation": decision.responsible_organisation_id
        or request.user.organisation_id,
        "contact_user": request.user.pk,
    }
    # The plan of the meeting's year, or the latest before it (a meeting after the last
    # plan still adds to that plan).
    years = agreement.plans.order_by("-year").values_list("year", flat=True)
    year = next((y for y in years if y <= meeting.date.year), meeting.date.year)
    form = DecisionActivityForm(
        request.POST or None, agreement=agreement, year=year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "outside_year_ok"}
        activity = services.decision_to_activity(decision=decision, **fields)
        messages.success(request, _("The decision is now an activity: %(a)s") % {"a": activity})
        return redirect("plans:activity-detail", agreement_pk=agreement.pk, pk=activity.pk)
    return render(
        request,
        "followup/decision_activity.html",
        {
            "agreement": agreement,
            "decision": decision,
            "meeting": meeting,
            "form": form,
            "year": year,
            **nav(agreement, meeting.date.year),
        },
    )


@require_POST
@agreement_view(required=MEMBER)
def decision_delete(request, agreement, pk):
    decision = get_object_or_404(Decision, pk=pk, meeting__agreement=agreement)
    meeting_pk = decision.meeting_id
    record(Action.DELETION, agreement=agreement, obj=decision, summary="decision")
    decision.delete()
    messages.success(request, _("Decision removed."))
    return redirect("followup:meeting-detail", agreement_pk=agreement.pk, pk=meeting_pk)

"""The audit trail for coordinators (their agreements) and the operator (everything)."""

import csv
import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pitebra.permissions import agreements_coordinated_by, is_coordinator_anywhere

from ..forms import AuditFilterForm
from ..models import AuditEvent

PAGE_SIZE = 100


def _filtered(request):
    if not is_coordinator_anywhere(request.user):
        raise PermissionDenied
    agreements = agreements_coordinated_by(request.user)
    form = AuditFilterForm(request.GET or None, agreements=agreements)
    events = AuditEvent.objects.for_coordinator(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["agreement"]:
            events = events.filter(agreement_id=data["agreement"])
        if data["username"]:
            events = events.filter(username__iexact=data["username"].strip())
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["origin"] == "own":
            events = events.own()
        elif data["origin"] == "imported":
            events = events.imported()
        zone = timezone.get_current_timezone()
        if data["date_from"]:
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, zone)
            events = events.filter(at__gte=start)
        if data["date_to"]:
            end = datetime.datetime.combine(data["date_to"], datetime.time.max, zone)
            events = events.filter(at__lte=end)
    return form, events


def audit_list(request):
    form, events = _filtered(request)
    if request.GET.get("format") == "csv":
        return _csv(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _csv(events):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pitebra-handelselogg.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "time",
            "user",
            "ip_address",
            "agreement",
            "action",
            "object",
            "summary",
            "imported_from_archive",
            "imported_at",
        ]
    )
    zone = timezone.get_current_timezone()
    for e in events.iterator():
        writer.writerow(
            [
                e.at.astimezone(zone).isoformat(timespec="seconds"),
                _safe(e.username),
                e.ip_address or "",
                e.agreement_id or "",
                e.action,
                _safe(e.object_label),
                _safe(e.summary),
                e.imported_from,
                e.imported_at.astimezone(zone).isoformat(timespec="seconds")
                if e.imported_at
                else "",
            ]
        )
    return response


def _safe(value):
    # A spreadsheet must not run a formula that an attacker typed as a username.
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

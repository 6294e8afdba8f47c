"""A member's activities as an iCal feed, behind a personal secret link."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.models import Membership, User
from pitebra.permissions import COORDINATOR, MEMBER
from security.audit import Action, record

from ..models import Activity

NEW_LINK_SESSION_KEY = "pitebra_new_calendar_token"


def calendar_settings(request):
    # Only the hash is stored: the link is shown once, on the page right after it is made.
    token = request.session.pop(NEW_LINK_SESSION_KEY, None)
    url = request.build_absolute_uri(f"/calendar/{token}.ics") if token else None
    return render(
        request,
        "plans/calendar.html",
        {"feed_url": url, "has_link": bool(request.user.calendar_token_hash)},
    )


@require_POST
def calendar_reset(request):
    """Create or replace the secret link; the old one stops working at once."""
    request.session[NEW_LINK_SESSION_KEY] = request.user.new_calendar_token()
    record(Action.CALENDAR_LINK, request=request, obj=request.user, summary="calendar link")
    messages.success(
        request, _("Your calendar link was created. Any earlier link no longer works.")
    )
    return redirect("calendar")


def _escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line):
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def activities_calendar(activities, host):
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PiteBra//Genomförandeplan//SV",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:PiteBra",
    ]
    for a in activities:
        start = a.start or a.end
        end = (a.end or a.start) + datetime.timedelta(days=1)  # DTEND is exclusive
        lines += [
            "BEGIN:VEVENT",
            f"UID:activity-{a.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{_escape(a.title)}",
            f"DESCRIPTION:{_escape(a.strategy.goal.plan.agreement.title)} – "
            f"{_escape(a.get_status_display())}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@login_not_required
def calendar_feed(request, token):
    """No login (calendar programs cannot log in): the unguessable token is the key."""
    user = (
        User.objects.filter(
            calendar_token_hash=User.hash_calendar_token(token), is_active=True
        ).first()
        if token
        else None
    )
    if user is None:
        raise Http404
    agreements = Membership.objects.filter(user=user, role__in=[MEMBER, COORDINATOR]).values(
        "agreement"
    )
    activities = (
        Activity.objects.filter(strategy__goal__plan__agreement__in=agreements)
        .exclude(start__isnull=True, end__isnull=True)
        .select_related("strategy__goal__plan__agreement")
        .order_by("start", "pk")
    )
    body = activities_calendar(activities, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pitebra.ics"'
    return response

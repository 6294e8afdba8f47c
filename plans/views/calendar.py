"""A member's activities as an iCal feed, behind a personal secret link."""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from pitebra import rowsecurity
from pitebra.downloads import private_download
from pitebra.models import User
from pitebra.permissions import agreements_edited_by
from security.audit import Action, record

from ..models import Activity, RiskPeriod

NEW_LINK_SESSION_KEY = "pitebra_new_calendar_token"


@never_cache  # shows the secret link once
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


# Every character some calendar program takes for the end of a line, and other control
# characters: user text becomes one line, so it can never start a property of its own.
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def _one_line(text):
    return _LINE_BREAKS.sub(" ", str(text)).strip()


def activities_calendar(activities, host, periods=()) -> bytes:
    """The activities, and the annual wheel's risk periods in each of their agreement's years,
    as an iCalendar document; the icalendar package escapes and folds."""
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//PiteBra//Genomförandeplan//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "PiteBra")
    for a in activities:
        start = a.start or a.end
        end = (a.end or a.start) + datetime.timedelta(days=1)  # DTEND is exclusive
        event = Event()
        event.add("uid", f"activity-{a.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", _one_line(a.title))
        event.add(
            "description",
            f"{_one_line(a.strategy.goal.plan.agreement.title)} – "
            f"{_one_line(a.get_status_display())}",
        )
        calendar.add_component(event)
    for period in periods:
        agreement = period.agreement
        for year in agreement.years:
            dates = period.dates_in(year)
            if dates is None:
                continue
            event = Event()
            event.add("uid", f"riskperiod-{period.pk}-{year}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", dates[0])
            event.add("dtend", dates[1] + datetime.timedelta(days=1))
            event.add("summary", _one_line(period.name))
            event.add("description", f"{_one_line(agreement.title)} – {_('Risk period')}")
            event.add("categories", [_("Risk period")])
            calendar.add_component(event)
    return calendar.to_ical()


@login_not_required
@private_download
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
    # The token stands for the user's login: the second lock reads their agreements.
    rowsecurity.scope_for_user(user)
    agreements = agreements_edited_by(user)
    activities = (
        Activity.objects.filter(strategy__goal__plan__agreement__in=agreements)
        .exclude(start__isnull=True, end__isnull=True)
        .select_related("strategy__goal__plan__agreement")
        .order_by("start", "pk")
    )
    periods = (
        RiskPeriod.objects.filter(agreement__in=agreements)
        .select_related("agreement")
        .prefetch_related("entered_dates")
    )
    body = activities_calendar(activities, request.get_host().split(":")[0], periods)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pitebra.ics"'
    return response

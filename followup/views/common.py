"""Lookups shared by the follow-up views: each starts from the agreement the user may see."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from plans.models import Activity


def get_activity(agreement, pk):
    return get_object_or_404(
        Activity.objects.select_related(
            "strategy__goal__plan__agreement", "strategy__goal__priority_area", "contact_user"
        ),
        pk=pk,
        strategy__goal__plan__agreement=agreement,
    )


def nav(agreement, year=None):
    """What the follow-up pages' own navigation links to: a year with a plan (the given one,
    else this year's or the latest), and a council year inside the agreement's period."""
    today = timezone.localdate()
    plans = list(agreement.plans.order_by("-year").values_list("year", flat=True))
    if year not in plans:
        year = next((y for y in plans if y <= today.year), None) or next(iter(plans), None)
    council = year if year in agreement.years else agreement.last_year
    wheel = (
        year
        if year in agreement.years
        else min(max(today.year, agreement.first_year), agreement.last_year)
    )
    return {"nav_year": year, "council_year": council, "wheel_year": wheel}

"""Lookups the plan and follow-up views share; each starts from the agreement the user may see."""

from django.shortcuts import get_object_or_404

from .models import ImplementationPlan


def get_plan(agreement, year):
    """The agreement's plan for `year`, or 404."""
    return get_object_or_404(
        ImplementationPlan.objects.select_related("agreement", "adopted_by", "previous"),
        agreement=agreement,
        year=year,
    )

"""Where steps 1–3 stand in each operating year, derived from their data."""

from .models import ImplementationPlan


def plan_step_states(agreement, years):
    """Step 3: done when the year's plan is adopted, in progress while a draft exists."""
    plans = ImplementationPlan.objects.filter(agreement=agreement, year__in=list(years))
    return {plan.year: "done" if plan.is_adopted else "in_progress" for plan in plans}

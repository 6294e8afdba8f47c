"""Where steps 1–3 stand, derived from their data for the dashboard (one query each)."""

from django.db.models import Count

from pitebra.models import StepStatus

from .models import ImplementationPlan, Indicator, Observation, SituationPicture

State = StepStatus.State


def facts_states(agreement, years):
    """A year is done when every indicator has a value for it, in progress when some have.
    Years without any value are left to what the coordinator set."""
    years = list(years)
    total = Indicator.objects.of_municipality(agreement).count()
    if not total:
        return {}
    counts = dict(
        Observation.objects.of_municipality(agreement)
        .filter(
            year__in=years,
            scope=Observation.Scope.MUNICIPALITY,
        )
        .values("year")
        .annotate(n=Count("indicator", distinct=True))
        .values_list("year", "n")
    )
    return {
        year: State.DONE if n >= total else State.IN_PROGRESS for year, n in counts.items() if n
    }


def situation_states(agreement, years):
    """Done when the year's newest version is agreed; in progress while it is a draft."""
    newest = {}
    for year, _version, agreed_at in (
        SituationPicture.objects.filter(agreement=agreement, year__in=list(years))
        .order_by("year", "version")
        .values_list("year", "version", "agreed_at")
    ):
        newest[year] = agreed_at
    return {
        year: State.DONE if agreed_at else State.IN_PROGRESS for year, agreed_at in newest.items()
    }


def plan_states(agreement, years):
    """Step 3: done when the year's plan is adopted, in progress while a draft exists."""
    plans = ImplementationPlan.objects.filter(agreement=agreement, year__in=list(years))
    return {plan.year: State.DONE if plan.is_adopted else State.IN_PROGRESS for plan in plans}

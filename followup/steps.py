"""Where steps 4 and 5 stand in each operating year, derived from their data."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from plans.models import Activity

from .models import CouncilSurvey, Evaluation

PLAN_YEAR = "strategy__goal__plan__year"


def operations_step_states(agreement, years, *, today: datetime.date | None = None):
    """Step 4: in progress once work is logged; done when every activity is finished or the
    year is over."""
    today = today or timezone.localdate()
    rows = (
        Activity.objects.filter(
            strategy__goal__plan__agreement=agreement, **{f"{PLAN_YEAR}__in": list(years)}
        )
        .values_list(PLAN_YEAR)
        .annotate(
            unfinished=Count("pk", filter=Q(status__in=Activity.UNFINISHED), distinct=True),
            logged=Count("log_entries"),
        )
        .order_by()
    )
    return {
        year: "done" if unfinished == 0 or today.year > year else "in_progress"
        for year, unfinished, logged in rows
        if logged
    }


def follow_up_step_states(agreement, years):
    """Step 5: in progress once an evaluation or the council's self-evaluation exists; done
    when every activity that was not cancelled is evaluated and the self-evaluation closed."""
    years = list(years)
    evaluated_in_plan_year = Evaluation.objects.filter(
        activity=OuterRef("pk"), year=OuterRef(PLAN_YEAR)
    )
    rows = (
        Activity.objects.filter(
            strategy__goal__plan__agreement=agreement, **{f"{PLAN_YEAR}__in": years}
        )
        .exclude(status=Activity.Status.CANCELLED)
        # A carried-over activity is followed up in the next year's plan, as its copy.
        .exclude(Exists(Activity.objects.filter(previous=OuterRef("pk"))))
        .annotate(evaluated=Exists(evaluated_in_plan_year))
        .values_list(PLAN_YEAR)
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(evaluated=True)))
        .order_by()
    )
    to_evaluate = {year: total for year, total, _done in rows}
    evaluated = {year: done for year, _total, done in rows}
    surveys = dict(
        CouncilSurvey.objects.filter(agreement=agreement, year__in=years).values_list(
            "year", "state"
        )
    )
    states = {}
    for year in years:
        if not evaluated.get(year) and year not in surveys:
            continue
        complete = evaluated.get(year, 0) >= to_evaluate.get(year, 0)
        closed = surveys.get(year) == CouncilSurvey.State.CLOSED
        states[year] = "done" if complete and closed else "in_progress"
    return states

"""The follow-up page works out its lists from narrow queries (followup/attention.py) by the
same rules as `year_overview` (followup/overview.py), which the evaluation list and the meeting
agenda use: both must name the same activities for every reason, on any day."""

import datetime

import pytest

from followup import attention
from followup.overview import year_overview
from plans.services.plan import plan_roll_over

from ..factories import make_activity, make_log_entry
from .test_followup_page import plan_with_cases  # noqa: F401  (the fixture)

D = datetime.date


def by_python(plan, today):
    overview = year_overview(plan, today)
    return {
        "overdue": overview.overdue,
        "red": overview.red,
        "stale": overview.stale,
        "unevaluated": overview.missing_evaluations,
    }, overview


@pytest.mark.parametrize(
    "today", [D(2024, 1, 1), D(2024, 3, 2), D(2024, 6, 15), D(2024, 12, 31), D(2025, 1, 15)]
)
def test_sql_and_python_name_the_same_activities(plan_with_cases, today):  # noqa: F811
    plan, cases = plan_with_cases
    strategy = cases["fresh"].strategy
    # Work logged outside the plan's year does not count as the last work.
    outside = make_activity(strategy, title="Loggad fel år", status="ongoing", start=D(2024, 1, 1))
    make_log_entry(outside, date=D(2023, 12, 20))
    make_activity(strategy, title="Utan datum", status="planned")
    carried = make_activity(strategy, title="Förs vidare", status="ongoing", end=D(2024, 2, 1))
    expected, overview = by_python(plan, today)
    if today.year > plan.year:
        plan_roll_over(plan=plan, to_year=2025)  # carried over: followed up in the next plan
        expected, overview = by_python(plan, today)
    found = attention.attention(plan, today)
    for reason, activities in expected.items():
        # In plan order, as the page lists them.
        assert found.reasons[reason] == [a.pk for a in overview.activities if a in activities]
    needing = {a.pk for activities in expected.values() for a in activities}
    assert [pk for pk, _reasons in found.needing] == [
        a.pk for a in overview.activities if a.pk in needing
    ]
    assert found.total == len(overview.activities)
    assert found.coming == [a.pk for a in overview.coming]
    for activity in overview.activities:
        assert found.last_logged.get(activity.pk) == activity.last_logged
    assert carried.pk  # present on every day above, overdue before the roll-over

"""Counting citizen promises per week, month and year."""

import datetime

import pytest

from followup.progress import (
    count_by_period,
    period_bounds,
    period_key,
    periods_of_year,
    promise_progress,
)

D = datetime.date


def test_iso_week_53_spans_the_new_year():
    assert period_key(D(2020, 12, 28), "week") == (2020, 53)
    assert period_key(D(2021, 1, 3), "week") == (2020, 53)
    assert period_key(D(2021, 1, 4), "week") == (2021, 1)
    assert period_bounds((2020, 53), "week") == (D(2020, 12, 28), D(2021, 1, 3))
    assert len(periods_of_year(2020, "week")) == 53
    assert len(periods_of_year(2021, "week")) == 52


def test_week_one_may_begin_in_december():
    assert period_key(D(2024, 12, 30), "week") == (2025, 1)
    assert period_bounds((2025, 1), "week") == (D(2024, 12, 30), D(2025, 1, 5))


def test_entries_in_week_53_count_together_across_the_year_boundary():
    entries = [(D(2020, 12, 28), 2), (D(2020, 12, 31), 1), (D(2021, 1, 2), 2), (D(2021, 1, 4), 5)]
    assert count_by_period(entries, "week") == {(2020, 53): 5, (2021, 1): 5}


def test_month_and_year_boundaries():
    entries = [(D(2024, 12, 31), 1), (D(2025, 1, 1), 1), (D(2024, 2, 29), 1)]
    assert count_by_period(entries, "month") == {(2024, 12): 1, (2025, 1): 1, (2024, 2): 1}
    assert count_by_period(entries, "year") == {(2024,): 2, (2025,): 1}
    assert period_bounds((2024, 2), "month") == (D(2024, 2, 1), D(2024, 2, 29))
    assert period_bounds((2024, 12), "month") == (D(2024, 12, 1), D(2024, 12, 31))


def test_weekly_promise_in_week_53_is_met_with_entries_from_both_years():
    entries = [(D(2020, 12, 29), 3), (D(2021, 1, 3), 2)]
    progress = promise_progress(
        entries=entries, year=2020, period="week", target=5, today=D(2021, 1, 3)
    )
    assert progress.current.key == (2020, 53)
    assert progress.current.count == 5
    assert progress.on_track
    assert len(progress.periods) == 53
    assert progress.completed_met == 0  # the other 52 weeks had nothing


def test_the_next_years_promise_does_not_count_last_years_week_53():
    entries = [(D(2021, 1, 2), 4), (D(2021, 1, 5), 1)]
    progress = promise_progress(
        entries=entries, year=2021, period="week", target=5, today=D(2021, 1, 10)
    )
    assert progress.current.key == (2021, 1)
    assert progress.current.count == 1
    assert progress.total == 1
    assert not progress.on_track


@pytest.mark.parametrize(
    ("today", "count", "on_track"),
    [
        (D(2024, 3, 4), 0, True),  # Monday: 5 * 1/7 rounds down to 0
        (D(2024, 3, 6), 2, True),  # Wednesday: 5 * 3/7 = 2
        (D(2024, 3, 6), 1, False),
        (D(2024, 3, 10), 4, False),  # Sunday: the whole 5 is due
        (D(2024, 3, 10), 5, True),
    ],
)
def test_weekly_promise_is_on_track_pro_rata(today, count, on_track):
    entries = [(D(2024, 3, 4), count)] if count else []
    progress = promise_progress(entries=entries, year=2024, period="week", target=5, today=today)
    assert progress.on_track is on_track


def test_monthly_promise_counts_completed_months():
    entries = [(D(2024, 1, 15), 2), (D(2024, 2, 10), 1), (D(2024, 3, 31), 2), (D(2024, 4, 2), 1)]
    progress = promise_progress(
        entries=entries, year=2024, period="month", target=2, today=D(2024, 4, 15)
    )
    assert [p.count for p in progress.periods] == [2, 1, 2, 1]
    assert progress.completed_met == 2
    assert progress.current.key == (2024, 4)
    assert progress.expected_so_far == 1  # 2 * 15/30
    assert progress.on_track


def test_yearly_promise_after_the_year_is_judged_on_the_whole_year():
    entries = [(D(2024, 4, 9), 1), (D(2024, 9, 17), 1), (D(2025, 1, 10), 1)]
    progress = promise_progress(
        entries=entries, year=2024, period="year", target=3, today=D(2026, 1, 1)
    )
    assert progress.current.count == 2  # the January 2025 entry is not 2024's
    assert progress.expected_so_far == 3
    assert not progress.on_track


def test_a_promise_before_its_year_has_no_periods():
    progress = promise_progress(
        entries=[], year=2025, period="month", target=1, today=D(2024, 6, 1)
    )
    assert progress.current is None and progress.on_track

"""Counting against targets: citizen promises per period.

Plain functions over plain data, so the rules can be tested without a database. Dates are
Swedish calendar dates (Europe/Stockholm); weeks are ISO weeks, as Swedish week numbers are,
so 2020 has a week 53 running 28 December 2020 to 3 January 2021.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

WEEK, MONTH, YEAR = "week", "month", "year"


def period_key(day: datetime.date, period: str) -> tuple:
    """The period a day belongs to: (ISO year, ISO week), (year, month) or (year,)."""
    if period == WEEK:
        iso = day.isocalendar()
        return (iso.year, iso.week)
    if period == MONTH:
        return (day.year, day.month)
    return (day.year,)


def period_bounds(key: tuple, period: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period."""
    if period == WEEK:
        first = datetime.date.fromisocalendar(key[0], key[1], 1)
        return first, first + datetime.timedelta(days=6)
    if period == MONTH:
        year, month = key
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return datetime.date(key[0], 1, 1), datetime.date(key[0], 12, 31)


def weeks_in_year(year: int) -> int:
    """The number of ISO weeks in a year: 52, or 53 (2020, 2026)."""
    return datetime.date(year, 12, 28).isocalendar().week  # 28 Dec is always in the last


def periods_of_year(year: int, period: str) -> list[tuple]:
    """The periods of an operating year: its ISO weeks (52 or 53), its 12 months, or itself."""
    if period == WEEK:
        return [(year, week) for week in range(1, weeks_in_year(year) + 1)]
    if period == MONTH:
        return [(year, month) for month in range(1, 13)]
    return [(year,)]


def count_by_period(entries: Iterable[tuple[datetime.date, int]], period: str) -> dict:
    """Sum (date, count) pairs per period."""
    totals = defaultdict(int)
    for day, count in entries:
        totals[period_key(day, period)] += count
    return dict(totals)


@dataclass(frozen=True)
class PeriodCount:
    key: tuple
    first: datetime.date
    last: datetime.date
    count: int
    target: int

    @property
    def met(self):
        return self.count >= self.target

    @property
    def label(self):
        if len(self.key) == 2 and self.last - self.first == datetime.timedelta(days=6):
            return f"v. {self.key[1]} {self.key[0]}"
        if len(self.key) == 2:
            return f"{self.key[0]}-{self.key[1]:02d}"
        return str(self.key[0])


@dataclass(frozen=True)
class PromiseProgress:
    """How a promise stands on a day: the current period, and the periods already over."""

    periods: list[PeriodCount]  # the periods of the year that have begun, oldest first
    current: PeriodCount | None
    expected_so_far: int  # what the current period should have reached by today
    total: int
    today: datetime.date

    @property
    def completed(self):
        """The periods that are over: every period of the year once the year is."""
        return [p for p in self.periods if p.last < self.today]

    @property
    def completed_met(self):
        return sum(1 for p in self.completed if p.met)

    @property
    def on_track(self):
        if self.current is None:
            return True  # the year has not begun
        return self.current.count >= self.expected_so_far


def promise_progress(
    *,
    entries: Iterable[tuple[datetime.date, int]],
    year: int,
    period: str,
    target: int,
    today: datetime.date,
) -> PromiseProgress:
    """Count (date, count) pairs against `target` per period of `year`, as of `today`.

    The current period is the one holding today (or the year's last, once the year is over);
    it is on track when its count has reached the target scaled to the part of the period that
    has passed, rounded down: 5 a week is on track on a Wednesday with 2.
    """
    entries = list(entries)
    totals = count_by_period(entries, period)
    begun = []
    for key in periods_of_year(year, period):
        first, last = period_bounds(key, period)
        if first > today:
            break
        begun.append(PeriodCount(key, first, last, totals.get(key, 0), target))
    current = begun[-1] if begun else None
    expected = 0
    if current is not None:
        length = (current.last - current.first).days + 1
        passed = min((today - current.first).days + 1, length)
        expected = target * passed // length
    counted = {p.key for p in begun}
    total = sum(count for key, count in totals.items() if key in counted)
    return PromiseProgress(begun, current, expected, total, today)

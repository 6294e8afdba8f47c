"""The one Swedish date and period reader: every form a plan uses, and the year boundaries."""

import datetime
from decimal import Decimal

import pytest

from plans.imports.dates import read_fact_period, read_period
from plans.imports.values import MISSING, read_number, read_status

D = datetime.date
CASES = [
    # (cell, plan year, start, end)
    (datetime.datetime(2025, 3, 7, 0, 0), 2025, D(2025, 3, 7), D(2025, 3, 7)),
    (D(2025, 3, 7), 2025, D(2025, 3, 7), D(2025, 3, 7)),
    ("2025-03-07", 2025, D(2025, 3, 7), D(2025, 3, 7)),
    ("7/3", 2025, D(2025, 3, 7), D(2025, 3, 7)),
    ("7/3 2025", 2024, D(2025, 3, 7), D(2025, 3, 7)),
    ("7 mars", 2025, D(2025, 3, 7), D(2025, 3, 7)),
    ("den 7 mars", 2025, D(2025, 3, 7), D(2025, 3, 7)),
    ("mars 2025", 2025, D(2025, 3, 1), D(2025, 3, 31)),
    ("Mars", 2024, D(2024, 3, 1), D(2024, 3, 31)),
    ("vecka 10", 2025, D(2025, 3, 3), D(2025, 3, 9)),
    ("v. 12–14", 2025, D(2025, 3, 17), D(2025, 4, 6)),
    ("v12-14", 2025, D(2025, 3, 17), D(2025, 4, 6)),
    ("Q2", 2025, D(2025, 4, 1), D(2025, 6, 30)),
    ("kv 2", 2025, D(2025, 4, 1), D(2025, 6, 30)),
    ("Kvartal 4", 2025, D(2025, 10, 1), D(2025, 12, 31)),
    ("jan–mars", 2025, D(2025, 1, 1), D(2025, 3, 31)),
    ("januari - mars 2025", 2024, D(2025, 1, 1), D(2025, 3, 31)),
    ("7 mars – 15 april", 2025, D(2025, 3, 7), D(2025, 4, 15)),
    ("7-15 mars", 2025, D(2025, 3, 7), D(2025, 3, 15)),
    ("2025-03-07 – 2025-04-01", 2025, D(2025, 3, 7), D(2025, 4, 1)),
    ("våren", 2025, D(2025, 1, 1), D(2025, 6, 30)),
    ("VT25", 2025, D(2025, 1, 1), D(2025, 6, 30)),
    ("sommaren", 2025, D(2025, 6, 1), D(2025, 8, 31)),
    ("hösten 2025", 2025, D(2025, 8, 1), D(2025, 12, 31)),
    ("HT", 2025, D(2025, 8, 1), D(2025, 12, 31)),
    ("vintern", 2024, D(2024, 1, 1), D(2024, 2, 29)),
    ("hela året", 2025, D(2025, 1, 1), D(2025, 12, 31)),
    ("Löpande", 2025, D(2025, 1, 1), D(2025, 12, 31)),
    ("pågående", 2025, D(2025, 1, 1), D(2025, 12, 31)),
    ("2025", 2025, D(2025, 1, 1), D(2025, 12, 31)),
    # Year boundaries: ISO week 1 of 2025 begins on 30 December 2024; the plan year keeps its part.
    ("vecka 1", 2025, D(2025, 1, 1), D(2025, 1, 5)),
    ("vecka 1", 2026, D(2026, 1, 1), D(2026, 1, 4)),
    # "v. 52–1" runs over the new year: the plan year keeps 22–31 December.
    ("v. 52–1", 2025, D(2025, 12, 22), D(2025, 12, 31)),
    # 2026 has an ISO week 53 (28 Dec 2026 – 3 Jan 2027); 2025 has none.
    ("vecka 53", 2026, D(2026, 12, 28), D(2026, 12, 31)),
    ("nov–feb", 2025, D(2025, 11, 1), D(2026, 2, 28)),
]


@pytest.mark.parametrize(("cell", "year", "start", "end"), CASES)
def test_reads_swedish_dates_and_periods(cell, year, start, end):
    period = read_period(cell, year)
    assert period.ok
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(("cell", "year"), [("vecka 53", 2025), ("ibland", 2025), ("31/2", 2025)])
def test_what_it_cannot_read_is_kept_as_text_and_flagged(cell, year):
    period = read_period(cell, year)
    assert not period.ok
    assert (period.start, period.end, period.text) == (None, None, cell)


def test_weeks_cut_at_the_new_year_say_so():
    assert read_period("vecka 1", 2025).note == "clipped"
    assert read_period("vecka 10", 2025).note == ""


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024", (2024, "")),
        (2024, (2024, "")),
        ("2024-H1", (2024, "H1")),
        ("Q2 2024", (2024, "Q2")),
        ("2024 kv 2", (2024, "Q2")),
        ("2024-03", (2024, "03")),
        ("mars 2024", (2024, "03")),
        ("tjugotjugo", None),
    ],
)
def test_reads_statistics_periods(cell, expected):
    assert read_fact_period(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("8 120,5", Decimal("8120.5")),
        ("8\u00a0120,5", Decimal("8120.5")),
        ("8\u2009120", Decimal("8120")),
        ("8\u202f120", Decimal("8120")),
        ("1 234 567", Decimal("1234567")),
        ("−3,5", Decimal("-3.5")),
        ("12,5 %", Decimal("12.5")),
        (86.25, Decimal("86.25")),
        (13410, Decimal("13410")),
        ("..", MISSING),
        ("…", MISSING),
        ("-", MISSING),
        ("–", MISSING),
        ("", MISSING),
        (None, MISSING),
    ],
)
def test_reads_numbers_with_swedish_separators_and_missing_marks(cell, expected):
    assert read_number(cell) == expected


def test_a_word_is_not_a_number():
    with pytest.raises(ValueError):
        read_number("tio")


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("pågående", "ongoing"),
        ("Ej påbörjad", "planned"),
        ("ej startad", "planned"),
        ("Avbruten", "cancelled"),
        ("avslutad", "done"),
        ("klar", "done"),
        ("Klart", "done"),
        ("genomförd", "done"),
        ("senarelagd", "postponed"),
        ("Pågår", "ongoing"),
        ("kanske", None),
    ],
)
def test_reads_statuses_in_peoples_words(word, status):
    assert read_status(word) == status

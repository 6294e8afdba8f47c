"""The risk periods' date rules, checked against the real calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from plans.models import RiskPeriod, RiskPeriodDates
from plans.models.wheel import midsummer_eve, nth_weekday

from ..factories import make_activity, make_agreement, make_goal, make_plan, make_strategy

D = datetime.date


def period(**kw):
    return RiskPeriod(name="x", **kw)


@pytest.mark.parametrize(
    ("year", "sunday"), [(2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))]
)
def test_easter_sunday_falls_where_the_calendar_has_it(year, sunday):
    assert period(rule="easter").dates_in(year) == (sunday, sunday)
    good_friday_to_monday = period(rule="easter", offset_days=-2, days=4).dates_in(year)
    assert good_friday_to_monday == (sunday - datetime.timedelta(2), sunday + datetime.timedelta(1))


@pytest.mark.parametrize(
    ("year", "eve"), [(2025, D(2025, 6, 20)), (2026, D(2026, 6, 19)), (2027, D(2027, 6, 25))]
)
def test_midsummer_eve_is_the_friday_between_19_and_25_june(year, eve):
    assert midsummer_eve(year) == eve
    assert period(rule="holiday", holiday="midsummer_eve").dates_in(year) == (eve, eve)


def test_midsummer_eve_over_many_years_is_always_a_friday_in_the_window():
    for year in range(2000, 2100):
        eve = midsummer_eve(year)
        assert eve.weekday() == 4 and D(year, 6, 19) <= eve <= D(year, 6, 25)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
def test_valborg_is_always_30_april(year):
    valborg = period(rule="fixed", month=4, day=30)
    assert valborg.dates_in(year) == (D(year, 4, 30), D(year, 4, 30))


def test_all_saints_day_is_the_saturday_from_31_october():
    rule = period(rule="holiday", holiday="all_saints_day")
    assert rule.dates_in(2025) == (D(2025, 11, 1), D(2025, 11, 1))
    assert rule.dates_in(2026) == (D(2026, 10, 31), D(2026, 10, 31))


def test_nth_weekday_of_a_month():
    assert nth_weekday(2026, 6, 1, 4) == D(2026, 6, 5)  # first Friday of June
    assert nth_weekday(2026, 5, -1, 0) == D(2026, 5, 25)  # last Monday of May
    assert nth_weekday(2026, 12, -1, 3) == D(2026, 12, 31)  # the last Thursday of the year
    assert nth_weekday(2026, 2, 5, 0) is None  # no fifth Monday in February 2026
    rule = period(rule="nth_weekday", month=8, nth=2, weekday=0, days=5)
    assert rule.dates_in(2026) == (D(2026, 8, 10), D(2026, 8, 14))


def test_iso_week_starts_on_its_monday():
    week = period(rule="iso_week", iso_week=27, days=7)
    assert week.dates_in(2026) == (D(2026, 6, 29), D(2026, 7, 5))
    assert week.dates_in(2027) == (D(2027, 7, 5), D(2027, 7, 11))
    assert period(rule="iso_week", iso_week=53).dates_in(2025) is None  # 2025 has 52 weeks
    assert period(rule="iso_week", iso_week=53).dates_in(2026) == (D(2026, 12, 28),) * 2


def test_29_february_exists_only_in_leap_years():
    leap = period(rule="fixed", month=2, day=29)
    assert leap.dates_in(2028) == (D(2028, 2, 29), D(2028, 2, 29))
    assert leap.dates_in(2027) is None


def test_a_period_crossing_the_year_end_keeps_its_length():
    new_year = period(rule="fixed", month=12, day=31, days=2)
    assert new_year.dates_in(2026) == (D(2026, 12, 31), D(2027, 1, 1))


def test_a_preparation_meeting_is_suggested_on_the_monday_n_weeks_before():
    valborg = period(rule="fixed", month=4, day=30, prep_weeks=3)
    assert valborg.prep_meeting_date(2026) == D(2026, 4, 6)  # 9 April, a Thursday, → Monday
    assert period(rule="fixed", month=4, day=30, prep_weeks=0).prep_meeting_date(2026) is None


@pytest.mark.django_db
def test_dates_entered_per_year_are_used_for_their_year_only():
    agreement = make_agreement()
    terms = RiskPeriod.objects.create(agreement=agreement, name="Sommarlov", rule="entered")
    RiskPeriodDates.objects.create(
        period=terms, year=2026, start=D(2026, 6, 12), end=D(2026, 8, 18)
    )
    assert terms.dates_in(2026) == (D(2026, 6, 12), D(2026, 8, 18))
    assert terms.dates_in(2027) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rule": "fixed", "month": 4}, "day"),
        ({"rule": "fixed", "month": 2, "day": 30}, "day"),
        ({"rule": "holiday"}, "holiday"),
        ({"rule": "nth_weekday", "month": 5, "weekday": 0}, "nth"),
        ({"rule": "nth_weekday", "month": 5, "weekday": 0, "nth": 6}, "nth"),
        ({"rule": "iso_week", "iso_week": 54}, "iso_week"),
        ({"rule": "fixed", "month": 13, "day": 1}, "day"),
    ],
)
def test_a_rule_missing_its_parts_is_refused_by_the_field(fields, field):
    with pytest.raises(ValidationError) as error:
        period(**fields).clean()
    assert field in error.value.message_dict or "month" in error.value.message_dict


@pytest.mark.django_db
def test_an_activity_cannot_name_another_agreements_period():
    mine, theirs = make_agreement(), make_agreement()
    activity = make_activity(make_strategy(make_goal(make_plan(mine))))
    activity.risk_period = RiskPeriod.objects.create(agreement=theirs, name="Valborg")
    with pytest.raises(ValidationError) as error:
        activity.clean()
    assert "risk_period" in error.value.message_dict


@pytest.mark.django_db
def test_a_new_agreement_started_from_the_old_one_keeps_its_risk_periods():
    from pitebra.services import agreement_copy

    from ..factories import make_user

    old = make_agreement()
    valborg = RiskPeriod.objects.create(agreement=old, name="Valborg", month=4, day=30, days=2)
    fair = RiskPeriod.objects.create(agreement=old, name="Marknad", rule="entered")
    RiskPeriodDates.objects.create(period=fair, year=2026, start=D(2026, 7, 2), end=D(2026, 7, 4))
    new = agreement_copy(
        source=old,
        title="Ny",
        first_year=2026,
        last_year=2028,
        revise_by=D(2028, 12, 31),
        created_by=make_user(is_superuser=True),
    )
    copies = {p.name: p for p in RiskPeriod.objects.filter(agreement=new)}
    assert copies["Valborg"].dates_in(2027) == (D(2027, 4, 30), D(2027, 5, 1))
    assert copies["Marknad"].dates_in(2026) == (D(2026, 7, 2), D(2026, 7, 4))
    assert valborg.agreement == old and RiskPeriod.objects.filter(agreement=old).count() == 2


@pytest.mark.django_db
def test_the_activity_form_offers_only_the_agreements_own_periods():
    from plans.forms.plan import ActivityForm

    mine, theirs = make_agreement(), make_agreement()
    own = RiskPeriod.objects.create(agreement=mine, name="Valborg", month=4, day=30)
    RiskPeriod.objects.create(agreement=theirs, name="Deras Valborg", month=4, day=30)
    form = ActivityForm(plan=make_plan(mine))
    assert list(form.fields["risk_period"].queryset) == [own]

"""The annual wheel of the demo: Piteå's risk periods on both agreements, an activity placed on
Halloween, and the debrief of Valborg 2025 that the 2026 wheel remembers."""

import datetime

from followup.models import Debrief, Evaluation
from plans.models import Activity, RiskPeriod, RiskPeriodDates
from plans.models.wheel import weekday_between

D = datetime.date
EXAMPLE = "Exempeldata."

# Dates the schools and the festival set each year, entered per year: example dates, made for
# every year a demo loaded today may show (the Friday 9–15 June, the Wednesday 16–22 August).
YEARS = range(2020, 2041)
SCHOOL_END = {year: weekday_between(year, 6, 9, 4) for year in YEARS}
SCHOOL_START = {year: weekday_between(year, 8, 16, 2) for year in YEARS}


def _last_thursday_of_july(year):
    day = D(year, 7, 31)
    return day - datetime.timedelta(days=(day.weekday() - 3) % 7)


PERIODS = [
    # name, rule fields, entered dates per year {year: (start, end)}
    ("Valborg", {"rule": "fixed", "month": 4, "day": 30, "days": 2}, {}),
    ("Skolavslutning", {"rule": "entered"}, {y: (d, d) for y, d in SCHOOL_END.items()}),
    ("Midsommar", {"rule": "holiday", "holiday": "midsummer_eve", "days": 2}, {}),
    (
        "Sommarlov",
        {"rule": "entered", "prep_weeks": 4},
        {
            y: (d + datetime.timedelta(days=1), SCHOOL_START[y] - datetime.timedelta(days=1))
            for y, d in SCHOOL_END.items()
        },
    ),
    ("Skolstart", {"rule": "entered"}, {y: (d, d) for y, d in SCHOOL_START.items()}),
    ("Halloween", {"rule": "fixed", "month": 10, "day": 31, "days": 1}, {}),
    ("Nyårsafton", {"rule": "fixed", "month": 12, "day": 31, "days": 2}, {}),
    (
        "Piteå Dansar och Ler",
        {"rule": "entered", "prep_weeks": 6},
        {
            y: (_last_thursday_of_july(y), _last_thursday_of_july(y) + datetime.timedelta(days=2))
            for y in SCHOOL_END
        },
    ),
]


def seed_wheel(*, agreement, users, plan=None, today=None):
    """The periods of `agreement` (idempotent); an activity of `plan` placed on Halloween,
    done and evaluated once the day has passed."""
    periods = {}
    for position, (name, rule, entered) in enumerate(PERIODS, start=1):
        # A successor already has the periods copied from the agreement it was started from.
        period, _created = RiskPeriod.objects.get_or_create(
            agreement=agreement,
            name=name,
            defaults={**rule, "position": position, "description": EXAMPLE},
        )
        RiskPeriodDates.objects.bulk_create(
            (
                RiskPeriodDates(period=period, year=year, start=start, end=end)
                for year, (start, end) in entered.items()
                if agreement.first_year - 1 <= year <= agreement.last_year + 1
            ),
            ignore_conflicts=True,  # the years it has already
        )
        periods[name] = period
    Activity.objects.filter(
        strategy__goal__plan__agreement=agreement,
        title="Sommarlovsaktiviteter med fältassistenter",
        risk_period=None,
    ).update(risk_period=periods["Sommarlov"])
    if plan is not None:
        strategy = plan.goals.first().strategies.first()
        start, end = periods["Halloween"].dates_in(plan.year)
        done = today is not None and end < today
        activity, created = Activity.objects.get_or_create(
            strategy=strategy,
            title="Vuxna på stan under Halloween",
            defaults={
                "risk_period": periods["Halloween"],
                "status": "done" if done else "planned",
                "start": start,
                "end": end,
                "responsible_organisation": users["polis"].organisation,
                "contact_user": users["polis"],
                "description": EXAMPLE,
                "places": "Centrum",
                "position": 99,
            },
        )
        if created and done:
            Evaluation.objects.create(
                activity=activity,
                year=plan.year,
                done_as_planned="yes",
                verdict="continue",
                what_worked=EXAMPLE,
            )
    return periods


def seed_debrief(*, periods, users, year):
    Debrief.objects.get_or_create(
        period=periods["Valborg"],
        year=year,
        defaults={
            "what_worked": "Nattvandrarna och polisen gick tillsammans; lugnt i Stadsparken.",
            "what_to_change": "Samla fler vuxna på kvällen den 30 april; tidigare information.",
            "proposals": "Informationsbrev till vårdnadshavare före Valborg\n"
            "Fler nattvandrare vid Pite Havsbad",
            "created_by": users["samordnare"],
        },
    )

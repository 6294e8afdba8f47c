"""Step 3 of the demo: Piteå's implementation plans for 2024 and 2025, and this year's plan of
the successor agreement. The activities of 2024 and 2025 are rows of `data/activities.csv`."""

import csv
import datetime
import itertools
from pathlib import Path

from django.utils import timezone

from pitebra.models import Organisation
from plans.models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy
from plans.services.plan import plan_roll_over

EXAMPLE = "Exempeldata."
D = datetime.date
POLICE, MUNICIPALITY = "Lokalpolisområde Piteå älvdal", "Piteå kommun"
PITEBO, NIGHT = "PiteBo AB", "Föreningen Nattvandrarna i Piteå"
# The demo user who is the contact person for an activity of each party (others name one).
CONTACTS = {POLICE: "polis", MUNICIPALITY: "kommun"}
ACTIVITIES_CSV = Path(__file__).parent / "data" / "activities.csv"

# What happened in 2025 to activities carried over from 2024: status, light, start, end.
CARRIED_2025 = {
    "Utökade öppettider på fritidsgården": ("ongoing", "yellow", D(2025, 1, 7), D(2025, 12, 19)),
    "Trygghetsvandring i Öjebyn": ("done", "green", D(2025, 10, 7), D(2025, 10, 7)),
    "Gemensam lägesbild med fastighetsägare": ("postponed", "red", D(2025, 9, 1), D(2025, 12, 31)),
}
# promise, responsible, target count, unit, period
PROMISES = [
    (
        "Polisen och kommunen genomför minst tre medborgardialoger om trygghet under året.",
        POLICE,
        3,
        "medborgardialoger",
        "year",
    ),
    (
        "Polisen genomför minst fem trygghetsskapande insatser i centrum varje vecka.",
        POLICE,
        5,
        "insatser",
        "week",
    ),
]
# The successor agreement's plan for the current year, dated relative to `today` so a newcomer
# always finds a year in progress. (area, goal, strategy, [(title, org, start and end as days
# from today, status, light)])
CURRENT_GOALS = [
    (
        "Barn och unga",
        "Fler unga har en meningsfull och trygg fritid",
        "Mötesplatser och vuxennärvaro",
        [
            ("Nattfotboll på fredagar", MUNICIPALITY, -150, 60, "ongoing", "green"),
            ("Föräldravandringar inför helger", NIGHT, -60, 90, "ongoing", "yellow"),
            ("Lovaktiviteter med fältassistenter", MUNICIPALITY, 20, 120, "planned", ""),
        ],
    ),
    (
        "Trygga miljöer",
        "Färre upplever otrygghet i centrum kvällstid",
        "Synlig närvaro och trygga platser",
        [
            ("Synlig polis vid Stadsparken", POLICE, -200, 200, "ongoing", "green"),
            ("Trygghetsvandring i Centrum", MUNICIPALITY, -120, -100, "done", "green"),
            ("Belysning vid busstationen", PITEBO, -90, -10, "ongoing", "red"),
            ("Medborgardialoger om trygghet", POLICE, -180, 150, "ongoing", "green"),
        ],
    ),
]


def activity_rows(year: int) -> list[dict]:
    """The rows of `data/activities.csv` for one plan year, dates and partners parsed."""
    with ACTIVITIES_CSV.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if int(row["year"]) == year]
    for row in rows:
        row["partners"] = [name for name in row["partners"].split("; ") if name]
        row["start"], row["end"] = D.fromisoformat(row["start"]), D.fromisoformat(row["end"])
    return rows


def seed_plans(*, agreement, users):
    """Piteå's plans for 2024 (adopted) and 2025 (rolled over, then extended). Idempotent."""
    if ImplementationPlan.objects.filter(agreement=agreement, year=2024).exists():
        return
    orgs = {o.name: o for o in Organisation.objects.of_agreement(agreement)}
    areas = {a.name: a for a in agreement.priority_areas.all()}
    plan = _adopted(agreement, 2024, D(2024, 2, 20), users)
    by_goal = itertools.groupby(
        activity_rows(2024), lambda row: (row["priority_area"], row["goal"])
    )
    for g_pos, ((area, goal_title), goal_rows) in enumerate(by_goal, start=1):
        goal = _goal(plan, areas[area], goal_title, g_pos)
        by_strategy = itertools.groupby(goal_rows, lambda row: row["strategy"])
        for s_pos, (strategy_title, rows) in enumerate(by_strategy, start=1):
            strategy = Strategy.objects.create(goal=goal, title=strategy_title, position=s_pos)
            _activities(strategy, rows, orgs, users)
    _promises(plan, PROMISES, orgs)

    plan_2025 = plan_roll_over(plan=plan, to_year=2025)
    plan_2025.status = ImplementationPlan.Status.ADOPTED
    plan_2025.adopted_on = D(2025, 2, 18)
    plan_2025.adopted_by = users["samordnare"]
    plan_2025.save()
    carried = Activity.objects.in_plan(plan_2025)
    for title, (status, light, start, end) in CARRIED_2025.items():
        carried.filter(title=title).update(status=status, traffic_light=light, start=start, end=end)
    for activity in carried.filter(end__year=2024):
        activity.start = activity.start.replace(year=2025) if activity.start else None
        activity.end = activity.end.replace(year=2025)
        activity.save(update_fields=["start", "end"])
    # Added in 2025 beside what was carried over, under the carried goals and strategies.
    by_strategy = itertools.groupby(activity_rows(2025), lambda row: (row["goal"], row["strategy"]))
    for (goal_title, strategy_title), rows in by_strategy:
        strategy = Strategy.objects.get(
            goal__plan=plan_2025, goal__title=goal_title, title=strategy_title
        )
        _activities(strategy, rows, orgs, users, offset=100)
    date_history(plan, D(2024, 2, 20))
    date_history(plan_2025, D(2025, 2, 18))


def seed_current_plan(*, agreement, users, today: datetime.date):
    """This year's adopted plan of the successor agreement, with activities started, done,
    late and coming, dated from `today`. Idempotent: an existing plan is left as it is."""
    year = agreement.first_year
    plan = ImplementationPlan.objects.filter(agreement=agreement, year=year).first()
    if plan is not None:
        return plan
    orgs = {o.name: o for o in Organisation.objects.of_agreement(agreement)}
    areas = {a.name: a for a in agreement.priority_areas.all()}
    adopted = min(D(year, 2, 17), today) if today.year == year else D(year, 2, 17)
    plan = _adopted(agreement, year, adopted, users)
    for g_pos, (area, goal_title, strategy_title, activities) in enumerate(CURRENT_GOALS, 1):
        goal = _goal(plan, areas[area], goal_title, g_pos)
        strategy = Strategy.objects.create(goal=goal, title=strategy_title, position=1)
        rows = []
        for title, org, start, end, status, light in activities:
            first = in_year(year, today + datetime.timedelta(days=start))
            last = max(first, in_year(year, today + datetime.timedelta(days=end)))
            rows.append(
                {"activity": title, "responsible": org, "partners": [], "start": first}
                | {"end": last, "status": status, "traffic_light": light, "places": "Centrum"}
            )
        _activities(strategy, rows, orgs, users)
    _promises(plan, reversed(PROMISES), orgs)
    date_history(plan, adopted)
    return plan


def in_year(year: int, day: datetime.date) -> datetime.date:
    """`day`, moved inside the operating year `year` if it falls outside it."""
    return min(max(day, D(year, 1, 1)), D(year, 12, 31))


def date_history(plan, day: datetime.date):
    """Give the history of a demo plan the day the demo says it was made (its adoption), so
    "the plan on a past day" shows it from then on rather than from the day the demo loaded."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    records = [
        *ImplementationPlan.history.filter(id=plan.pk),
        *Goal.history.filter(plan_id=plan.pk),
        *Strategy.history.filter(goal__plan=plan),
        *Activity.history.filter(strategy__goal__plan=plan),
        *CitizenPromise.history.filter(plan_id=plan.pk),
    ]
    records.sort(key=lambda record: (record.history_date, record.history_id))
    for n, record in enumerate(records):
        record.history_date = moment + datetime.timedelta(seconds=n)
        type(record).objects.filter(pk=record.pk).update(history_date=record.history_date)


def _adopted(agreement, year, adopted_on, users):
    return ImplementationPlan.objects.create(
        agreement=agreement,
        year=year,
        status=ImplementationPlan.Status.ADOPTED,
        adopted_on=adopted_on,
        adopted_by=users["samordnare"],
    )


def _goal(plan, area, title, position):
    return Goal.objects.create(
        plan=plan, priority_area=area, title=title, description=EXAMPLE, position=position
    )


def _activities(strategy, rows, orgs, users, offset=0):
    for pos, row in enumerate(rows, start=1 + offset):
        title, org, light = row["activity"], row["responsible"], row["traffic_light"]
        contact = CONTACTS.get(org)
        activity = Activity.objects.create(
            strategy=strategy,
            title=title,
            responsible_organisation=orgs[org],
            contact_user=users[contact] if contact else None,
            contact_name="" if contact else "Kontaktperson hos " + org,
            start=row["start"],
            end=row["end"],
            status=row["status"],
            traffic_light=light,
            traffic_light_comment="Enligt plan." if light == "green" else "",
            places=row["places"],
            target_group="Barn och unga" if "skol" in title.lower() else "",
            estimated_hours=20,
            follow_up="Följs upp på arbetsgruppens möten.",
            position=pos,
        )
        activity.partners.set([orgs[name] for name in row["partners"]])


def _promises(plan, promises, orgs):
    for pos, (text, org, count, unit, period) in enumerate(promises, start=1):
        CitizenPromise.objects.create(
            plan=plan,
            promise=text,
            responsible_organisation=orgs[org],
            target_count=count,
            unit=unit,
            target_period=period,
            position=pos,
        )

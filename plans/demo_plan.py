"""Example implementation plans for the demo (Piteå 2024 and 2025), labelled as example data."""

import datetime

from django.utils import timezone

from pitebra.models import Organisation

from .models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy
from .services.plan import plan_roll_over

EXAMPLE = "Exempeldata."
D = datetime.date
POLICE, MUNICIPALITY = "Lokalpolisområde Piteå älvdal", "Piteå kommun"
PITEBO, SCHOOL, NIGHT = "PiteBo AB", "Strömbackaskolan", "Föreningen Nattvandrarna i Piteå"

# area, goal, [(strategy, [(title, org, contact, partners, start, end, status, light, places)])]
PLAN_2024 = [
    (
        "Barn och unga",
        "Minska ungas brottslighet och droganvändning",
        [
            (
                "Tidiga och samordnade insatser (SSPF)",
                [
                    (
                        "SSPF-möten varannan vecka",
                        POLICE,
                        "polis",
                        [MUNICIPALITY, SCHOOL],
                        D(2024, 1, 15),
                        D(2024, 12, 15),
                        "ongoing",
                        "green",
                        "Centrum",
                    ),
                    (
                        "Föräldraträffar om droger i årskurs 7",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE],
                        D(2024, 9, 1),
                        D(2024, 11, 30),
                        "planned",
                        "yellow",
                        "Centrum, Öjebyn",
                    ),
                    (
                        "Gemensam rutin för orosanmälningar",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE],
                        D(2024, 2, 1),
                        D(2024, 4, 30),
                        "done",
                        "green",
                        "",
                    ),
                ],
            ),
            (
                "Förebyggande arbete i skolan",
                [
                    (
                        "Lektioner om nätbrott i årskurs 6",
                        POLICE,
                        "polis",
                        [SCHOOL],
                        D(2024, 3, 1),
                        D(2024, 5, 31),
                        "done",
                        "green",
                        "Centrum",
                    ),
                    (
                        "Trygghetsenkät i årskurs 8",
                        MUNICIPALITY,
                        "kommun",
                        [SCHOOL],
                        D(2024, 4, 1),
                        D(2024, 5, 15),
                        "done",
                        "",
                        "",
                    ),
                    (
                        "Skolpolisens närvaro vid raster",
                        POLICE,
                        "polis",
                        [SCHOOL],
                        D(2024, 8, 19),
                        D(2024, 12, 20),
                        "ongoing",
                        "yellow",
                        "Centrum",
                    ),
                ],
            ),
        ],
    ),
    (
        "Barn och unga",
        "Fler unga har en meningsfull fritid",
        [
            (
                "Fritidsaktiviteter på kvällar och helger",
                [
                    (
                        "Nattfotboll i öppen idrottshall på fredagar",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE],
                        D(2024, 1, 12),
                        D(2024, 12, 13),
                        "ongoing",
                        "green",
                        "Hortlax",
                    ),
                    (
                        "Sommarlovsaktiviteter med fältassistenter",
                        MUNICIPALITY,
                        "kommun",
                        [],
                        D(2024, 6, 10),
                        D(2024, 8, 16),
                        "done",
                        "green",
                        "Centrum, Norrfjärden",
                    ),
                    (
                        "Utökade öppettider på fritidsgården",
                        MUNICIPALITY,
                        "kommun",
                        [],
                        D(2024, 9, 1),
                        D(2024, 12, 31),
                        "postponed",
                        "red",
                        "Öjebyn",
                    ),
                    (
                        "Ungdomsråd i dialog med polisen",
                        POLICE,
                        "polis",
                        [MUNICIPALITY],
                        D(2024, 10, 1),
                        D(2024, 10, 31),
                        "cancelled",
                        "",
                        "",
                    ),
                ],
            ),
        ],
    ),
    (
        "Trygga miljöer",
        "Ökad trygghet i centrala Piteå",
        [
            (
                "Trygghetsvandringar och fysiska åtgärder",
                [
                    (
                        "Trygghetsvandring i Centrum",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE, PITEBO],
                        D(2024, 4, 16),
                        D(2024, 4, 16),
                        "done",
                        "green",
                        "Centrum",
                    ),
                    (
                        "Trygghetsvandring i Öjebyn",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE],
                        D(2024, 10, 8),
                        D(2024, 10, 8),
                        "planned",
                        "",
                        "Öjebyn",
                    ),
                    (
                        "Belysning i gångtunnlar",
                        MUNICIPALITY,
                        "kommun",
                        [],
                        D(2024, 5, 1),
                        D(2024, 11, 30),
                        "ongoing",
                        "yellow",
                        "Centrum",
                    ),
                    (
                        "Snabb sanering av klotter",
                        MUNICIPALITY,
                        "kommun",
                        [PITEBO],
                        D(2024, 1, 1),
                        D(2024, 12, 31),
                        "planned",
                        "",
                        "Centrum",
                    ),
                ],
            ),
            (
                "Närvaro i offentlig miljö",
                [
                    (
                        "Nattvandring fredag och lördag",
                        NIGHT,
                        "",
                        [POLICE],
                        D(2024, 1, 5),
                        D(2024, 12, 28),
                        "ongoing",
                        "green",
                        "Centrum",
                    ),
                    (
                        "Synlig polis vid Stadsparken",
                        POLICE,
                        "polis",
                        [],
                        D(2024, 5, 1),
                        D(2024, 9, 30),
                        "ongoing",
                        "green",
                        "Centrum",
                    ),
                    (
                        "Utbildning i ansvarsfull alkoholservering",
                        MUNICIPALITY,
                        "kommun",
                        [POLICE],
                        D(2024, 2, 1),
                        D(2024, 3, 31),
                        "done",
                        "green",
                        "Centrum",
                    ),
                ],
            ),
        ],
    ),
    (
        "Trygga miljöer",
        "Minska skadegörelse och inbrott",
        [
            (
                "Grannsamverkan",
                [
                    (
                        "Grannsamverkan i Hortlax och Norrfjärden",
                        POLICE,
                        "polis",
                        [MUNICIPALITY],
                        D(2024, 3, 1),
                        D(2024, 12, 31),
                        "ongoing",
                        "yellow",
                        "Hortlax, Norrfjärden",
                    ),
                    (
                        "Informationsmöte om inbrottsskydd",
                        POLICE,
                        "polis",
                        [],
                        D(2024, 11, 5),
                        D(2024, 11, 5),
                        "planned",
                        "",
                        "Rosvik",
                    ),
                ],
            ),
            (
                "Samverkan med fastighetsägare",
                [
                    (
                        "Trapphusbelysning och låsbyten",
                        PITEBO,
                        "",
                        [MUNICIPALITY],
                        D(2024, 3, 1),
                        D(2024, 6, 30),
                        "done",
                        "green",
                        "Öjebyn",
                    ),
                    (
                        "Gemensam lägesbild med fastighetsägare",
                        MUNICIPALITY,
                        "kommun",
                        [PITEBO, POLICE],
                        D(2024, 9, 1),
                        D(2024, 12, 31),
                        "postponed",
                        "red",
                        "",
                    ),
                ],
            ),
        ],
    ),
]

# Added in 2025 beside what was carried over: (goal title, strategy title, activity…)
NEW_2025 = [
    (
        "Minska ungas brottslighet och droganvändning",
        "Förebyggande arbete i skolan",
        [
            (
                "Lektioner om nätbrott i årskurs 6",
                POLICE,
                "polis",
                [SCHOOL],
                D(2025, 3, 1),
                D(2025, 5, 31),
                "done",
                "green",
                "Centrum",
            ),
            (
                "Trygghetsenkät i årskurs 8",
                MUNICIPALITY,
                "kommun",
                [SCHOOL],
                D(2025, 4, 1),
                D(2025, 5, 15),
                "done",
                "green",
                "",
            ),
            (
                "Insats mot narkotika i skolmiljö",
                POLICE,
                "polis",
                [SCHOOL, MUNICIPALITY],
                D(2025, 9, 1),
                D(2025, 12, 19),
                "ongoing",
                "yellow",
                "Centrum",
            ),
        ],
    ),
    (
        "Fler unga har en meningsfull fritid",
        "Fritidsaktiviteter på kvällar och helger",
        [
            (
                "Sommarlovsaktiviteter med fältassistenter",
                MUNICIPALITY,
                "kommun",
                [],
                D(2025, 6, 9),
                D(2025, 8, 15),
                "done",
                "green",
                "Centrum, Rosvik",
            ),
            (
                "Mötesplats för unga i Norrfjärden",
                MUNICIPALITY,
                "kommun",
                [],
                D(2025, 10, 1),
                D(2026, 3, 31),
                "planned",
                "",
                "Norrfjärden",
            ),
        ],
    ),
    (
        "Ökad trygghet i centrala Piteå",
        "Trygghetsvandringar och fysiska åtgärder",
        [
            (
                "Trygghetsvandring i Centrum",
                MUNICIPALITY,
                "kommun",
                [POLICE, PITEBO],
                D(2025, 4, 22),
                D(2025, 4, 22),
                "done",
                "green",
                "Centrum",
            ),
            (
                "Kameraövervakning vid resecentrum – utredning",
                POLICE,
                "polis",
                [MUNICIPALITY],
                D(2025, 2, 1),
                D(2025, 9, 30),
                "cancelled",
                "",
                "Centrum",
            ),
        ],
    ),
    (
        "Minska skadegörelse och inbrott",
        "Grannsamverkan",
        [
            (
                "Grannsamverkan i Rosvik",
                POLICE,
                "polis",
                [MUNICIPALITY],
                D(2025, 3, 1),
                D(2025, 12, 31),
                "ongoing",
                "green",
                "Rosvik",
            ),
        ],
    ),
]

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


def seed_plans(*, agreement, users):
    """Piteå's plans for 2024 (adopted) and 2025 (rolled over, then extended). Idempotent."""
    if ImplementationPlan.objects.filter(agreement=agreement, year=2024).exists():
        return
    orgs = {o.name: o for o in Organisation.objects.of_agreement(agreement)}
    areas = {a.name: a for a in agreement.priority_areas.all()}
    plan = ImplementationPlan.objects.create(
        agreement=agreement,
        year=2024,
        status=ImplementationPlan.Status.ADOPTED,
        adopted_on=D(2024, 2, 20),
        adopted_by=users["samordnare"],
    )
    for g_pos, (area, goal_title, strategies) in enumerate(PLAN_2024, start=1):
        goal = Goal.objects.create(
            plan=plan,
            priority_area=areas[area],
            title=goal_title,
            description=EXAMPLE,
            position=g_pos,
        )
        for s_pos, (strategy_title, activities) in enumerate(strategies, start=1):
            strategy = Strategy.objects.create(goal=goal, title=strategy_title, position=s_pos)
            _activities(strategy, activities, orgs, users)
    for pos, (text, org, count, unit, period) in enumerate(PROMISES, start=1):
        CitizenPromise.objects.create(
            plan=plan,
            promise=text,
            responsible_organisation=orgs[org],
            target_count=count,
            unit=unit,
            target_period=period,
            position=pos,
        )

    plan_2025 = plan_roll_over(plan=plan, to_year=2025)
    plan_2025.status = ImplementationPlan.Status.ADOPTED
    plan_2025.adopted_on = D(2025, 2, 18)
    plan_2025.adopted_by = users["samordnare"]
    plan_2025.save()
    # What happened to the carried activities in 2025.
    carried = Activity.objects.in_plan(plan_2025)
    carried.filter(title="Utökade öppettider på fritidsgården").update(
        status="ongoing", traffic_light="yellow", start=D(2025, 1, 7), end=D(2025, 12, 19)
    )
    carried.filter(title="Trygghetsvandring i Öjebyn").update(
        status="done", traffic_light="green", start=D(2025, 10, 7), end=D(2025, 10, 7)
    )
    carried.filter(title="Gemensam lägesbild med fastighetsägare").update(
        status="postponed", traffic_light="red", start=D(2025, 9, 1), end=D(2025, 12, 31)
    )
    for activity in carried.filter(end__year=2024):
        activity.start = activity.start.replace(year=2025) if activity.start else None
        activity.end = activity.end.replace(year=2025)
        activity.save(update_fields=["start", "end"])
    for goal_title, strategy_title, activities in NEW_2025:
        strategy = Strategy.objects.get(
            goal__plan=plan_2025, goal__title=goal_title, title=strategy_title
        )
        _activities(strategy, activities, orgs, users, offset=100)
    date_history(plan, D(2024, 2, 20))
    date_history(plan_2025, D(2025, 2, 18))


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


def _activities(strategy, activities, orgs, users, offset=0):
    for pos, (title, org, contact, partners, start, end, status, light, places) in enumerate(
        activities, start=1 + offset
    ):
        activity = Activity.objects.create(
            strategy=strategy,
            title=title,
            responsible_organisation=orgs[org],
            contact_user=users.get(contact) if contact else None,
            contact_name="" if contact else "Kontaktperson hos " + org,
            start=start,
            end=end,
            status=status,
            traffic_light=light,
            traffic_light_comment="Enligt plan." if light == "green" else "",
            places=places,
            target_group="Barn och unga" if "skol" in title.lower() else "",
            estimated_hours=20,
            follow_up="Följs upp på arbetsgruppens möten.",
            position=pos,
        )
        activity.partners.set([orgs[p] for p in partners])


# The successor agreement's plan for the current year, dated relative to `today` so a newcomer
# always finds a year in progress. (title, area, org, contact, start and end as days from today,
# status, light, places)
CURRENT_GOALS = [
    (
        "Barn och unga",
        "Fler unga har en meningsfull och trygg fritid",
        "Mötesplatser och vuxennärvaro",
        [
            ("Nattfotboll på fredagar", MUNICIPALITY, "kommun", -150, 60, "ongoing", "green"),
            ("Föräldravandringar inför helger", NIGHT, None, -60, 90, "ongoing", "yellow"),
            ("Lovaktiviteter med fältassistenter", MUNICIPALITY, "kommun", 20, 120, "planned", ""),
        ],
    ),
    (
        "Trygga miljöer",
        "Färre upplever otrygghet i centrum kvällstid",
        "Synlig närvaro och trygga platser",
        [
            ("Synlig polis vid Stadsparken", POLICE, "polis", -200, 200, "ongoing", "green"),
            ("Trygghetsvandring i Centrum", MUNICIPALITY, "kommun", -120, -100, "done", "green"),
            ("Belysning vid busstationen", PITEBO, None, -90, -10, "ongoing", "red"),
            ("Medborgardialoger om trygghet", POLICE, "polis", -180, 150, "ongoing", "green"),
        ],
    ),
]
CURRENT_PROMISES = [
    (
        "Polisen genomför minst fem trygghetsskapande insatser i centrum varje vecka.",
        POLICE,
        5,
        "insatser",
        "week",
    ),
    (
        "Polisen och kommunen genomför minst tre medborgardialoger om trygghet under året.",
        POLICE,
        3,
        "medborgardialoger",
        "year",
    ),
]


def in_year(year: int, day: datetime.date) -> datetime.date:
    """`day`, moved inside the operating year `year` if it falls outside it."""
    return min(max(day, D(year, 1, 1)), D(year, 12, 31))


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
    plan = ImplementationPlan.objects.create(
        agreement=agreement,
        year=year,
        status=ImplementationPlan.Status.ADOPTED,
        adopted_on=adopted,
        adopted_by=users["samordnare"],
    )
    for g_pos, (area, goal_title, strategy_title, activities) in enumerate(CURRENT_GOALS, 1):
        goal = Goal.objects.create(
            plan=plan,
            priority_area=areas[area],
            title=goal_title,
            description=EXAMPLE,
            position=g_pos,
        )
        strategy = Strategy.objects.create(goal=goal, title=strategy_title, position=1)
        rows = []
        for title, org, contact, start, end, status, light in activities:
            first = in_year(year, today + datetime.timedelta(days=start))
            last = max(first, in_year(year, today + datetime.timedelta(days=end)))
            rows.append((title, org, contact, [], first, last, status, light, "Centrum"))
        _activities(strategy, rows, orgs, users)
    for pos, (text, org, count, unit, period) in enumerate(CURRENT_PROMISES, start=1):
        CitizenPromise.objects.create(
            plan=plan,
            promise=text,
            responsible_organisation=orgs[org],
            target_count=count,
            unit=unit,
            target_period=period,
            position=pos,
        )
    date_history(plan, adopted)
    return plan

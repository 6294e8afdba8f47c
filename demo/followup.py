"""Steps 4 and 5 of the demo (Piteå): log entries, status updates, evaluations, meetings and a
completed council self-evaluation for 2024, some logged work in 2025, and the successor
agreement's work logged up to the day the demo is loaded.

Everything is labelled as example data and made from fixed dates, so the demo is the same on
every machine; running it twice changes nothing.
"""

import datetime
from decimal import Decimal

from followup.models import Evaluation, LogEntry, Meeting
from plans.models import Activity, CitizenPromise, StatusUpdate

from .meetings import seed_council, seed_meetings

D = datetime.date
EXAMPLE = "Exempeldata."

# (activity title, [(date, what was done, times, people reached, hours, place)])
LOG_2024 = [
    (
        "SSPF-möten varannan vecka",
        [
            (D(2024, 2, 7), "SSPF-möte om tre unga i riskzon", 1, 8, 6, "Centrum"),
            (D(2024, 5, 15), "SSPF-möte med skola och socialtjänst", 1, 7, 6, "Centrum"),
            (D(2024, 9, 25), "SSPF-möte efter sommaren", 1, 9, 7, "Centrum"),
        ],
    ),
    (
        "Lektioner om nätbrott i årskurs 6",
        [
            (D(2024, 3, 12), "Lektioner i fyra klasser", 4, 96, 8, "Centrum"),
            (D(2024, 4, 23), "Lektioner i tre klasser", 3, 71, 6, "Öjebyn"),
        ],
    ),
    (
        "Trygghetsvandring i Centrum",
        [(D(2024, 4, 16), "Trygghetsvandring med boende och PiteBo", 1, 34, 12, "Centrum")],
    ),
    (
        "Nattfotboll i öppen idrottshall på fredagar",
        [
            (D(2024, 2, 16), "Nattfotboll, fredag", 1, 41, 8, "Hortlax"),
            (D(2024, 3, 15), "Nattfotboll, fredag", 1, 38, 8, "Hortlax"),
            (D(2024, 10, 18), "Nattfotboll, fredag", 1, 45, 8, "Hortlax"),
        ],
    ),
    (
        "Sommarlovsaktiviteter med fältassistenter",
        [(D(2024, 7, 10), "Kvällsaktiviteter vid Pite Havsbad", 6, 180, 36, "Norrfjärden")],
    ),
    (
        "Trapphusbelysning och låsbyten",
        [(D(2024, 5, 20), "Belysning och lås bytta i tre trappuppgångar", 3, None, 40, "Öjebyn")],
    ),
    (
        "Utbildning i ansvarsfull alkoholservering",
        [(D(2024, 3, 6), "Utbildning för krogpersonal", 1, 22, 16, "Centrum")],
    ),
    (
        "Gemensam rutin för orosanmälningar",
        [(D(2024, 4, 10), "Rutinen beslutad och spridd", 1, None, 10, "")],
    ),
    (
        "Trygghetsenkät i årskurs 8",
        [(D(2024, 5, 10), "Enkäten genomförd i alla klasser", 1, 410, 12, "")],
    ),
]
# The weekly promise: visible presence in the centre (Synlig polis vid Stadsparken).
WEEKLY_ACTIVITY = "Synlig polis vid Stadsparken"
WEEKLY_COUNTS = [5, 6, 4, 5, 7, 5, 3, 6]
DIALOGUE_ACTIVITY = "Grannsamverkan i Hortlax och Norrfjärden"
DIALOGUES_2024 = [D(2024, 4, 9), D(2024, 9, 17), D(2024, 11, 12)]
# (activity title, by, promise period, (date, what was done, times, people, hours, place))
LOG_2025 = [
    (
        "Trygghetsvandring i Centrum",
        "kommun",
        None,
        (D(2025, 4, 22), "Trygghetsvandring med boende", 1, 28, 10, "Centrum"),
    ),
    (
        "Grannsamverkan i Rosvik",
        "polis",
        "year",
        (D(2025, 3, 18), "Medborgardialog i Rosvik", 1, 40, 4, "Rosvik"),
    ),
]
# The successor's work this year besides the weekly presence, every so many days from each
# activity's start up to today: (activity, days, what was done, times, people, hours, promise)
CURRENT_WORK = [
    ("Medborgardialoger om trygghet", 120, "Medborgardialog om trygghet", 1, 30, 4, "year"),
    ("Nattfotboll på fredagar", 28, "Nattfotboll, fredag", 1, 40, 8, None),
    ("Föräldravandringar inför helger", 14, "Föräldravandring i centrum", 1, 12, 6, None),
    ("Trygghetsvandring i Centrum", 365, "Trygghetsvandring med boende", 1, 30, 10, None),
    ("Belysning vid busstationen", 45, "Belysning monterad", 1, None, 16, None),
]
PRESENCE = "Synlig närvaro i Stadsparken och centrum"

STATUS_2024 = [
    (
        "Utökade öppettider på fritidsgården",
        "yellow",
        "red",
        "Personal saknas under hösten; öppettiderna skjuts till 2025.",
    ),
    (
        "Gemensam lägesbild med fastighetsägare",
        "yellow",
        "red",
        "Fastighetsägarna kunde inte delta förrän efter årsskiftet.",
    ),
    (
        "Belysning i gångtunnlar",
        "green",
        "yellow",
        "Två av fem tunnlar klara; upphandlingen av resten drog ut på tiden.",
    ),
]

VERDICT_BY_STATUS = {"done": "continue", "ongoing": "continue", "planned": "change"}


def seed_followup(*, agreement, users):
    """Piteå's follow-up for 2024 and some logged work in 2025. Idempotent."""
    if Meeting.objects.filter(agreement=agreement).exists():
        return
    activities = Activity.objects.filter(strategy__goal__plan__agreement=agreement)
    a2024 = {a.title: a for a in activities.filter(strategy__goal__plan__year=2024)}
    a2025 = {a.title: a for a in activities.filter(strategy__goal__plan__year=2025)}
    promises = {
        (p.plan.year, p.target_period): p
        for p in CitizenPromise.objects.filter(plan__agreement=agreement).select_related("plan")
    }
    _log_2024(a2024, users, promises)
    _log_2025(a2025, users, promises)
    for title, before, after, comment in STATUS_2024:
        StatusUpdate.objects.create(
            activity=a2024[title],
            previous_traffic_light=before,
            traffic_light=after,
            status=a2024[title].status,
            comment=comment,
            created_by=users["kommun"],
        )
    _evaluations_2024(a2024, users)
    seed_meetings(agreement=agreement, users=users, a2025=a2025)
    seed_council(agreement=agreement, users=users)


def seed_current_followup(*, plan, users, today: datetime.date):
    """Logged work on this year's plan of the successor agreement, up to `today`: weekly
    presence for the weekly promise, dialogues, and the other activities' work. Idempotent."""
    if LogEntry.objects.filter(activity__strategy__goal__plan=plan).exists():
        return
    activities = {a.title: a for a in Activity.objects.in_plan(plan)}
    promises = {p.target_period: p for p in plan.citizen_promises.all()}
    entries = []
    weekly = activities["Synlig polis vid Stadsparken"]
    for n in range(0, (min(weekly.end, today) - weekly.start).days + 1, 7):
        day = weekly.start + datetime.timedelta(days=n)
        row = (day, PRESENCE, WEEKLY_COUNTS[n // 7 % len(WEEKLY_COUNTS)], None, 6, "Centrum")
        entries.append(_entry(weekly, *row, users["polis"], promises.get("week")))
    for title, step_days, text, times, people, hours, period in CURRENT_WORK:
        activity = activities[title]
        day, last = activity.start, min(activity.end, today)
        while day <= last and day.year == plan.year:
            row = (day, text, times, people, hours, "Centrum", _user_for(activity, users))
            entries.append(_entry(activity, *row, promises.get(period)))
            day += datetime.timedelta(days=step_days)
    LogEntry.objects.bulk_create(entries)


def _entry(activity, day, text, times, people, hours, place, user, promise=None):
    return LogEntry(
        activity=activity,
        date=day,
        description=text,
        occasions=times,
        people_reached=people,
        hours=Decimal(hours) if hours is not None else None,
        organisation=activity.responsible_organisation,
        place=place,
        citizen_promise=promise,
        note=EXAMPLE,
        created_by=user,
    )


def _user_for(activity, users):
    return activity.contact_user or users["samordnare"]


def _log_2024(a2024, users, promises):
    entries = []
    for title, rows in LOG_2024:
        activity = a2024[title]
        for row in rows:
            entries.append(_entry(activity, *row, _user_for(activity, users)))
    weekly, promise = a2024[WEEKLY_ACTIVITY], promises.get((2024, "week"))
    # Presence every week from May to September (weeks 18–39), five times as promised or so.
    for n, week in enumerate(range(18, 40)):
        day = D.fromisocalendar(2024, week, 5)
        row = (day, PRESENCE, WEEKLY_COUNTS[n % len(WEEKLY_COUNTS)], None, 6, "Centrum")
        entries.append(_entry(weekly, *row, users["polis"], promise))
    dialogues, promise = a2024[DIALOGUE_ACTIVITY], promises.get((2024, "year"))
    for day in DIALOGUES_2024:
        row = (day, "Medborgardialog om trygghet", 1, 35, 4, "Hortlax")
        entries.append(_entry(dialogues, *row, users["polis"], promise))
    LogEntry.objects.bulk_create(entries)


def _log_2025(a2025, users, promises):
    entries = []
    promise = promises.get((2025, "week"))
    for week in range(2, 48, 3):
        day = D.fromisocalendar(2025, week, 5)
        row = (day, "Trygghetsskapande insats i centrum", 4 + week % 3, None, 4, "Centrum")
        entries.append(_entry(a2025[WEEKLY_ACTIVITY], *row, users["polis"], promise))
    for title, username, period, row in LOG_2025:
        promise = promises.get((2025, period)) if period else None
        entries.append(_entry(a2025[title], *row, users[username], promise))
    LogEntry.objects.bulk_create(entries)


def _evaluations_2024(a2024, users):
    carried = set(
        Activity.objects.filter(previous__in=a2024.values()).values_list("previous_id", flat=True)
    )
    evaluations = []
    for title, activity in a2024.items():
        if activity.status == "cancelled" or activity.pk in carried:
            continue
        done = activity.status == "done"
        evaluations.append(
            Evaluation(
                activity=activity,
                year=2024,
                done_as_planned="yes" if done else "partly",
                production_comment="Genomfördes enligt planen." if done else "Delvis genomförd.",
                what_worked="Samverkan mellan polis och kommun fungerade väl.",
                what_did_not_work="" if done else "Resurserna räckte inte hela året.",
                effect_assessment="Trygghetsmätningen visar en svag förbättring i centrum.",
                comparison_scope="Norrbottens län",
                verdict=VERDICT_BY_STATUS.get(activity.status, "change"),
                lessons=f"{title}: planera tidigare inför hösten. {EXAMPLE}",
                updated_by=users["samordnare"],
            )
        )
    Evaluation.objects.bulk_create(evaluations)

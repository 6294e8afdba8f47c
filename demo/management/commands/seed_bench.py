"""Generate agreements of a chosen size for the benchmarks (`bench/run.py`), never for people.

`seed_bench --activities 1000` makes one agreement whose plan for the current year holds 1,000
activities, with log entries, evaluations, indicators and citizen promises in proportion;
`--agreements 290 --activities 100 --users 20` makes a national-scale installation (each
agreement's working group of 20: its coordinator and 19 members, `bench-<agreement>-<k>`).
Running it again replaces what it made before (agreements titled "Benchmark …"); the demo is
left alone.
"""

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from demo.wheel import seed_wheel
from pitebra import pagecache
from pitebra.models import Agreement, Membership, Organisation, PriorityArea, User

PREFIX = "Benchmark"
BENCH_USER = "bench"
BENCH_PASSWORD = "pitebra-bench-password"  # noqa: S105 – a throwaway benchmark account
GOALS, STRATEGIES_PER_GOAL = 8, 5
PLACES = ["Centrum", "Öjebyn", "Norrfjärden", "Hortlax", "Rosvik"]


class Command(BaseCommand):
    help = "Make benchmark agreements of N activities each (replaces earlier benchmark data)."

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=1000, help="activities per plan")
        parser.add_argument("--agreements", type=int, default=1, help="how many agreements")
        parser.add_argument(
            "--users", type=int, default=1, help="working-group members per agreement"
        )
        parser.add_argument("--year", type=int, help="operating year (default: this year)")
        parser.add_argument("--force", action="store_true", help="run even with debug off")

    def handle(self, *args, activities, agreements, users=1, year=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to add benchmark data with DJANGO_DEBUG off; add --force.")
        if activities < 1 or agreements < 1 or users < 1:
            raise CommandError("--activities, --agreements and --users must be at least 1.")
        year = year or timezone.localdate().year
        rng = random.Random(2581)  # noqa: S311 – the same data on every run, not secrets
        with transaction.atomic():
            self._clear()
            user = self._user()
            for n in range(agreements):
                agreement = _agreement(n + 1, year)
                # As in a national installation, each agreement has a working group of its own:
                # the benchmark user coordinates the first, a coordinator of their own the rest.
                coordinator = user if n == 0 else self._other_user(n + 1)
                Membership.objects.create(
                    agreement=agreement, user=coordinator, role=Membership.Role.COORDINATOR
                )
                self._members(agreement, n + 1, users - 1)
                _plan(agreement, year, activities, coordinator, rng)
                _facts(agreement, year, rng)
                seed_wheel(agreement=agreement, users={})  # the annual wheel's risk periods
            pagecache.bump()  # bulk writes send no signal
        if connection.vendor == "postgresql":
            # The planner's statistics as autovacuum leaves them after a bulk load: measured
            # right after seeding, stale statistics made the wheel's look-back queries 10×
            # slower than on a database in use (90 ms against 9 ms at 5,000 activities).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        first = Agreement.objects.filter(title=f"{PREFIX} 1").values_list("pk", flat=True).get()
        self.stdout.write(
            f"{agreements} agreement(s) × {activities} activities for {year}; "
            f"first agreement id {first}; log in as {BENCH_USER} / {BENCH_PASSWORD}"
        )

    def _clear(self):
        old = Agreement.objects.filter(title__startswith=f"{PREFIX} ")
        orgs = set()
        for agreement in old:
            orgs.update([agreement.municipality_id, agreement.police_area_id])
        for agreement in old:
            # Plans first: activities protect their organisations, plans cascade to them.
            agreement.plans.all().delete()
            agreement.delete()
        Organisation.objects.filter(pk__in=orgs, name__startswith=f"{PREFIX} ").delete()
        User.objects.filter(username__regex=rf"^{BENCH_USER}-[0-9]+(-[0-9]+)?$").delete()

    def _other_user(self, n):
        other = User(username=f"{BENCH_USER}-{n}", first_name="Bench", last_name=f"Mark {n}")
        other.set_unusable_password()
        other.save()
        return other

    def _members(self, agreement, n, count):
        """The rest of the working group: members without a password (the load test logs
        them in by session)."""
        members = [
            User(username=f"{BENCH_USER}-{n}-{k}", first_name="Bench", last_name=f"{n}.{k}")
            for k in range(1, count + 1)
        ]
        for member in members:
            member.set_unusable_password()
        User.objects.bulk_create(members)
        Membership.objects.bulk_create(
            Membership(agreement=agreement, user=member, role=Membership.Role.MEMBER)
            for member in User.objects.filter(username__in=[m.username for m in members])
        )

    def _user(self):
        user, _created = User.objects.get_or_create(
            username=BENCH_USER, defaults={"first_name": "Bench", "last_name": "Mark"}
        )
        user.set_password(BENCH_PASSWORD)
        user.save()
        return user


def _agreement(n, year):
    municipality = Organisation.objects.create(
        name=f"{PREFIX} kommun {n}", kind=Organisation.Kind.MUNICIPALITY
    )
    police = Organisation.objects.create(
        name=f"{PREFIX} lokalpolisområde {n}", kind=Organisation.Kind.POLICE
    )
    agreement = Agreement.objects.create(
        title=f"{PREFIX} {n}",
        municipality=municipality,
        police_area=police,
        first_year=year - 1,
        last_year=year + 1,
        revise_by=datetime.date(year + 1, 12, 31),
    )
    for position, name in enumerate(["Barn och unga", "Trygga miljöer"]):
        PriorityArea.objects.create(agreement=agreement, name=name, position=position)
    return agreement


def _plan(agreement, year, n, user, rng):
    from followup.models import Evaluation, LogEntry
    from plans.models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy

    plan = ImplementationPlan.objects.create(agreement=agreement, year=year)
    areas = list(agreement.priority_areas.all())
    orgs = [agreement.municipality, agreement.police_area]
    goals = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            priority_area=areas[g % len(areas)],
            title=f"Mål {g + 1}: ökad trygghet",
            position=g,
        )
        for g in range(GOALS)
    )
    strategies = Strategy.objects.bulk_create(
        Strategy(goal=goal, title=f"Strategi {g + 1}.{s + 1}", position=s)
        for g, goal in enumerate(goals)
        for s in range(STRATEGIES_PER_GOAL)
    )
    statuses = [c for c, _label in Activity.Status.choices]
    lights = [c for c, _label in Activity.TrafficLight.choices] + [""]
    activities = Activity.objects.bulk_create(
        Activity(
            strategy=strategies[i % len(strategies)],
            title=f"Aktivitet {i + 1} – trygghetsinsats i {PLACES[i % len(PLACES)]}",
            description="Nattvandring och samtal med unga på helger.",
            responsible_organisation=orgs[i % 2],
            contact_user=user if i % 10 == 0 else None,
            contact_name="" if i % 10 == 0 else "Kontaktperson",
            start=datetime.date(year, 1 + i % 12, 1),
            end=datetime.date(year, min(12, 1 + i % 12 + rng.randrange(4)), 28),
            status=statuses[i % len(statuses)],
            traffic_light=lights[i % len(lights)],
            places=PLACES[i % len(PLACES)],
            position=i,
        )
        for i in range(n)
    )
    promise = CitizenPromise.objects.create(
        plan=plan,
        promise="Polisen genomför trygghetsvandringar i centrum varje vecka.",
        responsible_organisation=agreement.police_area,
        target_count=1,
        target_period="week",
        unit="trygghetsvandringar",
    )
    LogEntry.objects.bulk_create(
        LogEntry(
            activity=activity,
            date=datetime.date(year, 1 + (i + k) % 12, 1 + rng.randrange(27)),
            description="Insats genomförd enligt plan.",
            occasions=1 + rng.randrange(3),
            organisation=activity.responsible_organisation,
            citizen_promise=promise if k == 0 and i % 5 == 0 else None,
            created_by=user,
        )
        for i, activity in enumerate(activities)
        for k in range(2)
    )
    Evaluation.objects.bulk_create(
        Evaluation(
            activity=activity,
            year=year,
            done_as_planned="yes",
            verdict="continue",
            production_comment="Genomförd som planerat.",
            updated_by=user,
        )
        for activity in activities[::2]
    )


def _facts(agreement, year, rng):
    from plans.models import Indicator, Observation

    for k in range(5):
        indicator = Indicator.objects.create(
            agreement=agreement, name=f"Nyckeltal {k + 1}", unit="per 100 000 inv."
        )
        Observation.objects.bulk_create(
            Observation(indicator=indicator, year=y, value=rng.randrange(100, 2000))
            for y in range(year - 9, year + 1)
        )

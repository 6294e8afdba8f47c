"""Plain helpers that make records for tests, with sensible defaults."""

import datetime
import itertools

from pitebra.models import Agreement, Membership, Organisation, PriorityArea, User

_counter = itertools.count(1)


def make_organisation(**kw):
    n = next(_counter)
    kw.setdefault("name", f"Organisation {n}")
    kw.setdefault("kind", Organisation.Kind.PARTNER)
    return Organisation.objects.create(**kw)


def make_user(**kw):
    n = next(_counter)
    kw.setdefault("username", f"user{n}")
    password = kw.pop("password", "secret-pw-123")
    user = User(**kw)
    user.set_password(password)
    user.save()
    return user


def make_agreement(**kw):
    n = next(_counter)
    kw.setdefault(
        "municipality",
        make_organisation(name=f"Kommun {n}", kind=Organisation.Kind.MUNICIPALITY),
    )
    kw.setdefault(
        "police_area", make_organisation(name=f"Polisområde {n}", kind=Organisation.Kind.POLICE)
    )
    kw.setdefault("title", f"Överenskommelse {n}")
    kw.setdefault("first_year", 2023)
    kw.setdefault("last_year", 2025)
    kw.setdefault("revise_by", datetime.date(2025, 12, 31))
    return Agreement.objects.create(**kw)


def make_priority_area(agreement, **kw):
    kw.setdefault("name", f"Område {next(_counter)}")
    return PriorityArea.objects.create(agreement=agreement, **kw)


def make_member(agreement, role=Membership.Role.MEMBER, user=None, **user_kw):
    user = user or make_user(**user_kw)
    Membership.objects.create(agreement=agreement, user=user, role=role)
    return user


def make_plan(agreement, year=2024, **kw):
    from plans.models import ImplementationPlan

    return ImplementationPlan.objects.create(agreement=agreement, year=year, **kw)


def make_goal(plan, **kw):
    from plans.models import Goal

    kw.setdefault("title", f"Mål {next(_counter)}")
    if "priority_area" not in kw:
        kw["priority_area"] = plan.agreement.priority_areas.first() or make_priority_area(
            plan.agreement
        )
    return Goal.objects.create(plan=plan, **kw)


def make_strategy(goal, **kw):
    from plans.models import Strategy

    kw.setdefault("title", f"Strategi {next(_counter)}")
    return Strategy.objects.create(goal=goal, **kw)


def make_activity(strategy, **kw):
    from plans.models import Activity

    kw.setdefault("title", f"Aktivitet {next(_counter)}")
    if "responsible_organisation" not in kw:
        kw["responsible_organisation"] = strategy.goal.plan.agreement.municipality
    partners = kw.pop("partners", [])
    activity = Activity.objects.create(strategy=strategy, **kw)
    activity.partners.set(partners)
    return activity


def make_plan_tree(agreement, year=2024, activities=3):
    """A plan with one goal, one strategy and `activities` activities."""
    plan = make_plan(agreement, year)
    strategy = make_strategy(make_goal(plan))
    for n in range(activities):
        make_activity(strategy, title=f"Aktivitet nr {n}", places="Centrum")
    return plan, strategy


def make_promise(plan, **kw):
    from plans.models import CitizenPromise

    kw.setdefault("promise", f"Medborgarlöfte {next(_counter)}")
    kw.setdefault("responsible_organisation", plan.agreement.police_area)
    kw.setdefault("target_count", 3)
    kw.setdefault("unit", "insatser")
    kw.setdefault("target_period", "year")
    return CitizenPromise.objects.create(plan=plan, **kw)


def make_log_entry(activity, **kw):
    from followup.models import LogEntry

    kw.setdefault("date", datetime.date(2024, 3, 1))
    kw.setdefault("description", "Insats genomförd")
    kw.setdefault("organisation", activity.responsible_organisation)
    return LogEntry.objects.create(activity=activity, **kw)


def make_evaluation(activity, **kw):
    from followup.models import Evaluation

    kw.setdefault("year", activity.strategy.goal.plan.year)
    kw.setdefault("done_as_planned", "yes")
    kw.setdefault("verdict", "continue")
    return Evaluation.objects.create(activity=activity, **kw)


def make_meeting(agreement, **kw):
    from followup.models import Meeting

    kw.setdefault("date", datetime.date(2024, 5, 21))
    kw.setdefault("title", "Arbetsgruppens möte")
    attendees = kw.pop("attendees", [])
    meeting = Meeting.objects.create(agreement=agreement, **kw)
    meeting.attendees.set(attendees)
    return meeting


def make_source(agreement, **kw):
    from plans.models import Source

    kw.setdefault("name", f"Källa {next(_counter)}")
    return Source.objects.create(agreement=agreement, **kw)


def make_indicator(agreement, **kw):
    from plans.models import Indicator

    kw.setdefault("name", f"Nyckeltal {next(_counter)}")
    kw.setdefault("unit", "per 100 000 inv.")
    return Indicator.objects.create(agreement=agreement, **kw)


def make_observation(indicator, year, value, **kw):
    from plans.models import Observation

    return Observation.objects.create(indicator=indicator, year=year, value=value, **kw)


def make_picture(agreement, year=2024, **kw):
    from plans.models import SituationPicture

    return SituationPicture.objects.create(agreement=agreement, year=year, **kw)


def make_problem(picture, **kw):
    from plans.models import Problem

    kw.setdefault("title", f"Problem {next(_counter)}")
    return Problem.objects.create(picture=picture, **kw)


def make_cause(problem, **kw):
    from plans.models import Cause

    kw.setdefault("description", f"Orsak {next(_counter)}")
    return Cause.objects.create(problem=problem, **kw)

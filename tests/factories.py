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

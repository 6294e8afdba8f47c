"""One way to copy a record (`pitebra.copying`): every value and link but the key, the
version and what the copy gets anew, so no copy forgets a field a hand-written list missed."""

import ast
import datetime
from pathlib import Path

import pytest

from pitebra.copying import copied_values, copy_row
from pitebra.models import Organisation
from pitebra.services import agreement_copy
from plans.models import Activity, Problem

from ..factories import (
    make_activity,
    make_agreement,
    make_goal,
    make_indicator,
    make_organisation,
    make_picture,
    make_plan,
    make_problem,
    make_strategy,
    make_user,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ["pitebra", "security", "plans", "followup", "public"]


@pytest.mark.django_db
def test_an_agreement_copy_keeps_every_field_of_its_partners():
    """The hand-written copy left the organisation number behind."""
    old = make_agreement()
    make_organisation(
        name="Fritidsgården", agreement=old, kolada_id="N1", organisation_number="212000-2627"
    )
    new = agreement_copy(
        source=old,
        title="Ny",
        first_year=2026,
        last_year=2028,
        revise_by=datetime.date(2028, 12, 31),
        created_by=make_user(is_superuser=True),
    )
    copy = Organisation.objects.get(agreement=new, name="Fritidsgården")
    assert (copy.kolada_id, copy.organisation_number) == ("N1", "212000-2627")
    assert Organisation.objects.filter(agreement=old).count() == 1


@pytest.mark.django_db
def test_a_copy_takes_values_and_links_but_not_key_version_or_what_changes(agreement):
    strategy = make_strategy(make_goal(make_plan(agreement)))
    activity = make_activity(strategy, title="Nattvandring", places="Centrum")
    indicator = make_indicator(agreement)
    activity.indicators.add(indicator)
    Activity.objects.filter(pk=activity.pk).update(version=5)
    activity.refresh_from_db()
    other = make_strategy(strategy.goal)

    copy = copy_row(activity, strategy=other, previous=activity)
    assert copy.pk != activity.pk and copy.version == 1
    assert (copy.title, copy.places, copy.strategy, copy.previous) == (
        "Nattvandring",
        "Centrum",
        other,
        activity,
    )
    assert list(copy.indicators.all()) == [indicator]
    # A change by field or by its column name replaces the original's value, once.
    assert copied_values(activity, strategy_id=other.pk)["strategy_id"] == other.pk
    assert "strategy" not in copied_values(activity, strategy_id=other.pk)


@pytest.mark.django_db
def test_a_problem_copied_into_a_new_picture_version_keeps_its_links(agreement):
    problem = make_problem(make_picture(agreement), title="Skadegörelse")
    indicator = make_indicator(agreement)
    problem.indicators.add(indicator)
    copy = copy_row(problem, picture=make_picture(agreement, year=2025))
    assert Problem.objects.get(pk=copy.pk).title == "Skadegörelse"
    assert list(copy.indicators.all()) == [indicator]


def test_no_copy_lists_fields_of_its_own():
    """A loop over a model's fields that builds a copy lives in pitebra/copying.py only."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "copying.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.DictComp | ast.ListComp) and "getattr(" in ast.unparse(
                    node.elt if isinstance(node, ast.ListComp) else node.value
                ):
                    text = ast.unparse(node)
                    if "concrete_fields" in text or "COPIED" in text or "COPY" in text:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []

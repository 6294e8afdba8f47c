"""One walk from a model to its agreement: the transfer's graph; the admin's scope reads it.

Two walks could disagree on which rows belong to an agreement: the admin would then scope by
one rule and the backup export by another.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from pitebra.models import Agreement
from pitebra.permissions import agreement_path
from pitebra.transfer import graph

ROOT = Path(__file__).resolve().parents[2]
APPS = ["pitebra", "security", "plans", "followup", "public"]
# Row security is installed from a migration, on the models as that migration sees them
# (not the running registry the graph walks).
OWN_WALK = {("pitebra/rowsecurity.py", "_agreement_step")}


def _walkers():
    """(file, function) of every loop that follows foreign keys."""
    found = set()
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(function, ast.FunctionDef):
                    continue
                loops = [node for node in ast.walk(function) if isinstance(node, ast.While)]
                if any(
                    word in ast.unparse(loop)
                    for loop in loops
                    for word in ("concrete_fields", "forward_fks", "related_model")
                ):
                    found.add((path.relative_to(ROOT).as_posix(), function.name))
    return found


def test_only_the_graph_walks_foreign_keys():
    assert {f for f, _name in _walkers() - OWN_WALK} == {"pitebra/transfer/graph.py"}


def test_the_admins_scope_is_the_graphs_first_path():
    paths = graph.agreement_paths()
    scoped = 0
    for model in apps.get_models():
        try:
            path = agreement_path(model)
        except ImproperlyConfigured:
            # Not scoped by a path: shared, outside the agreements, or tied by an optional link.
            assert graph.required_agreement_path(model) is None
            continue
        scoped += 1
        assert [path or "pk"] == paths[model._meta.label][:1], model
    assert scoped > 20
    assert agreement_path(Agreement) == ""


@pytest.mark.parametrize("name", ["security.AuditEvent", "plans.HistoricalActivity"])
def test_a_model_tied_only_by_an_optional_link_has_no_required_path(name):
    """The graph exports its rows by every optional path; the admin cannot scope it by one."""
    model = apps.get_model(name)
    assert graph.agreement_paths()[name]
    with pytest.raises(ImproperlyConfigured):
        agreement_path(model)

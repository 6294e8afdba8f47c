"""The apps depend one way: demo → public → followup → plans → security → pitebra.

Each app may import the apps beneath it, never one above it: an app reacts to what an app
above it does through a registry (`pitebra.cycle`, `pitebra.dashboard`) or a signal
(`pitebra.signals`). Every import counts, also one inside a function.
Migrations are read like any module; none needs an exemption (cross-app migration
dependencies are strings in `dependencies`, not imports).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first: the core app, sign-in and audit beside it, steps 1–3, steps 4–5, the public
# pages and open data, demo data.
LAYERS = ["pitebra", "security", "plans", "followup", "public", "demo"]
# The root URLconf mounts every app: the one module of the project package (which is also the
# core app, as the team's brief lays it out) that may name them all.
EXEMPT = {"pitebra/urls.py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, relative ones made absolute."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.append((node.lineno, ".".join([*base, *filter(None, [node.module])])))
    return found


def back_references(source_root: Path) -> list[str]:
    """Each import against the arrows in the apps' code below `source_root`."""
    problems = []
    for rank, app in enumerate(LAYERS):
        allowed, above = LAYERS[:rank], set(LAYERS[rank + 1 :])
        for path in sorted((source_root / app).rglob("*.py")):
            if path.relative_to(source_root).as_posix() in EXEMPT:
                continue
            for line, module in imports(path):
                if module.split(".")[0] in above:
                    may = f"only {', '.join(allowed)}" if allowed else "no other app"
                    problems.append(
                        f"{path.relative_to(ROOT)}:{line} imports {module}: {app} may import {may}"
                    )
    return problems


def test_every_app_imports_only_the_apps_beneath_it():
    assert not back_references(ROOT), "\n".join(back_references(ROOT))


def test_the_check_reads_every_app_and_its_imports():
    for app in LAYERS:
        assert (ROOT / app / "apps.py").exists(), f"{app} is not an app here"
    followup_imports = {
        module for path in (ROOT / "followup").rglob("*.py") for _line, module in imports(path)
    }
    # Read the way it is written: absolute, relative and inside a function body.
    assert {"plans.models", "followup.models", "pitebra.dashboard"} <= followup_imports


@pytest.mark.parametrize(
    ("source", "module"),
    [
        ("from followup.views.work import status_changed\n", "followup.views.work"),
        ("def view():\n    import followup.glance\n", "followup.glance"),
        ("from demo import seed\n", "demo"),
    ],
)
def test_a_back_reference_is_found(tmp_path, monkeypatch, source, module):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    for app in LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "plans" / "views").mkdir()
    (tmp_path / "plans" / "views" / "items.py").write_text(source)
    assert back_references(tmp_path) == [
        f"plans/views/items.py:{source.count(chr(10))} imports {module}: "
        "plans may import only pitebra, security"
    ]


ROLES = {"COORDINATOR", "MEMBER", "READER"}
# Where a role may be named: the rules themselves, and the model that defines the choices.
ROLE_PLACES = {"pitebra/permissions.py", "pitebra/models.py"}


def role_names(source_root: Path) -> list[str]:
    """Each `….Role.COORDINATOR` (or MEMBER, READER) in the apps' code outside ROLE_PLACES;
    demo data and migrations write memberships, they decide nothing."""
    found = []
    for app in LAYERS[:-1]:
        for path in sorted((source_root / app).rglob("*.py")):
            where = path.relative_to(source_root).as_posix()
            if where in ROLE_PLACES or "/migrations/" in where:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), where)):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in ROLES
                    and isinstance(node.value, ast.Attribute | ast.Name)
                    and getattr(node.value, "attr", getattr(node.value, "id", "")) == "Role"
                ):
                    found.append(f"{where}:{node.lineno} names Role.{node.attr}")
    return found


def test_every_role_is_named_only_in_the_access_rules():
    assert not role_names(ROOT), "\n".join(role_names(ROOT))


def test_a_role_named_elsewhere_is_found(tmp_path):
    for app in LAYERS:
        (tmp_path / app).mkdir()
    (tmp_path / "security" / "two_factor.py").write_text(
        "def f(m):\n    return m.filter(role=Membership.Role.COORDINATOR)\n"
    )
    assert role_names(tmp_path) == ["security/two_factor.py:2 names Role.COORDINATOR"]

"""An activity's status history is written where its status is saved, by one service.

Whichever page changes a status (the plan row's dialog, the follow-up page, the plan's activity
form, the admin, a plan import) the change leaves exactly one row in the history, written in
the same transaction by `plans.services.status`; a status saved past it is refused.
"""

import ast
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from plans.models import Activity, StatusUpdate
from plans.models.plan import StatusWithoutHistory
from plans.services.status import activity_save

from ..factories import make_activity, make_plan_tree
from ..pitebra.test_versioning import _as_posted

ROOT = Path(__file__).resolve().parents[2]
APPS = ["pitebra", "security", "plans", "followup", "public"]


@pytest.fixture
def activity(agreement):
    _plan, strategy = make_plan_tree(agreement, activities=0)
    return make_activity(
        strategy, contact_name="Kim", status="planned", traffic_light="green", title="Vandring"
    )


def _the_one_row(activity):
    """The activity's one history row: status, light before and after, comment, who."""
    u = StatusUpdate.objects.get(activity=activity)
    return (u.status, u.previous_traffic_light, u.traffic_light, u.comment, u.created_by)


def _edit_data(client, agreement, activity):
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    return url, _as_posted(client.get(url).context["form"])


def test_the_plan_rows_status_dialog_writes_one_history_row(
    client_for, agreement, member, activity
):
    plan_url = reverse("plans:plan-detail", args=[agreement.pk, 2024])
    response = client_for(member).post(
        reverse("followup:activity-status", args=[agreement.pk, activity.pk]),
        {"status": "ongoing", "traffic_light": "yellow", "comment": "Få vuxna", "next": plan_url},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert _the_one_row(activity) == ("ongoing", "green", "yellow", "Få vuxna", member)


def test_a_status_changed_in_the_plans_activity_form_writes_one_history_row(
    client_for, agreement, member, activity
):
    """The status alone, without a new light: also part of the history."""
    client = client_for(member)
    url, data = _edit_data(client, agreement, activity)
    data["status"] = "postponed"
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert _the_one_row(activity) == ("postponed", "green", "green", "", member)
    # Saving the form again without a change adds nothing.
    url, data = _edit_data(client, agreement, activity)
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert StatusUpdate.objects.filter(activity=activity).count() == 1


def test_a_status_changed_in_the_admin_writes_one_history_row(
    client_for, agreement, coordinator, activity
):
    url = reverse("admin:plans_activity_change", args=[activity.pk])
    client = client_for(coordinator)
    data = _as_posted(client.get(url).context["adminform"].form)
    data.update(traffic_light="red", traffic_light_comment="Lokalen brann")
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert _the_one_row(activity) == ("planned", "green", "red", "Lokalen brann", coordinator)


def test_a_status_saved_past_the_service_is_refused(activity):
    loaded = Activity.objects.get(pk=activity.pk)
    loaded.status = "done"
    with pytest.raises(StatusWithoutHistory):
        loaded.save()
    loaded.title = "Vandring i centrum"
    with pytest.raises(StatusWithoutHistory):
        loaded.save(update_fields=["title", "status"])
    assert Activity.objects.get(pk=activity.pk).status == "planned"
    assert not StatusUpdate.objects.exists()
    # Other fields save as ever; through the service the status joins its history once.
    loaded.status = "planned"
    loaded.save()
    loaded.status = "done"
    activity_save(activity=loaded, by=None)
    assert StatusUpdate.objects.get(activity=activity).status == "done"


def test_a_refreshed_activity_saves_without_a_false_alarm(activity):
    other = Activity.objects.get(pk=activity.pk)
    other.status = "ongoing"
    activity_save(activity=other, by=None)
    activity.refresh_from_db()
    activity.title = "Ny titel"
    activity.save()
    assert StatusUpdate.objects.count() == 1


def _creates_status_updates(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            # StatusUpdate(...) or StatusUpdate.objects.create / bulk_create / get_or_create
            if isinstance(func, ast.Name) and func.id == "StatusUpdate":
                yield node.lineno
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute)
                and isinstance(func.value.value, ast.Name)
                and func.value.value.id == "StatusUpdate"
                and "create" in func.attr
            ):
                yield node.lineno


def test_the_status_history_is_written_in_one_place():
    """Only `plans/services/status.py` writes a history row (demo data seeds its own)."""
    writers = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line in _creates_status_updates(path)
    ]
    assert writers and all(w.startswith("plans/services/status.py:") for w in writers), writers


def _signal_modules():
    """{signal name: module} for every Signal() defined in the apps' own code."""
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", getattr(node.value.func, "attr", ""))
                    == "Signal"
                ):
                    for target in node.targets:
                        found[target.id] = path.relative_to(ROOT).parts[0]
    return found


# A lower app's announcement that a higher app records (the audit trail, the wheel's copy),
# each named here; a write of one app's data in answer to another app's save is not.
CROSSING_SIGNALS = {
    ("security", "agreement_exported"),
    ("security", "account_closed"),
    ("security", "agreement_imported"),
    ("plans", "agreement_copied"),
}


def test_no_app_answers_another_apps_signal_unless_named():
    signals = _signal_modules()
    assert "agreement_exported" in signals  # the walk finds the signals it must
    crossing = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(source)):
                names = []
                if isinstance(node, ast.FunctionDef):
                    names = [
                        d.args[0].id
                        for d in node.decorator_list
                        if isinstance(d, ast.Call)
                        and getattr(d.func, "id", "") == "receiver"
                        and d.args
                        and isinstance(d.args[0], ast.Name)
                    ]
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect"
                    and isinstance(node.func.value, ast.Name)
                ):
                    names = [node.func.value.id]
                for name in names:
                    if signals.get(name, app) != app:
                        crossing.add((app, name))
    assert crossing == CROSSING_SIGNALS


def test_a_plan_import_that_changes_a_status_writes_one_history_row(agreement, member):
    """The file says "Pågår" for a planned activity: the import saves it with its history."""
    from plans.imports.plan import PlanPreview
    from plans.imports.save import plan_import_save

    from ..pitebra.test_versioning import _import_plan

    plan, imported, data = _import_plan(agreement)
    preview = PlanPreview(plan=plan, data=data)
    assert preview.errors == []
    plan_import_save(preview=preview, by=member)
    update = StatusUpdate.objects.get(activity=imported)
    assert (update.status, update.created_by) == ("ongoing", member)

"""The admin attacks a coordinator of one agreement tried on another, each written as tried."""

from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.urls import reverse

from followup.models import LogEntry
from pitebra.models import Membership
from plans.models import Activity, Cause, Goal, Strategy

from ..factories import make_member
from .admin_world import populate
from .test_admin_scope import _post_data


@pytest.fixture
def world(db):
    a, b = populate("Hemma"), populate("Bortom")
    coordinator = make_member(a, Membership.Role.COORDINATOR, username="samordnare-a")
    ours = SimpleNamespace(
        goal=Goal.objects.get(plan__agreement=a),
        strategy=Strategy.objects.get(goal__plan__agreement=a),
        activity=Activity.objects.get(strategy__goal__plan__agreement=a),
    )
    theirs = SimpleNamespace(
        plan=b.plans.get(),
        goal=Goal.objects.get(plan__agreement=b),
        strategy=Strategy.objects.get(goal__plan__agreement=b),
        activity=Activity.objects.get(strategy__goal__plan__agreement=b),
        cause=Cause.objects.get(problem__picture__agreement=b),
    )
    return SimpleNamespace(a=a, b=b, coordinator=coordinator, ours=ours, theirs=theirs)


@pytest.fixture
def client(client, world):
    client.force_login(world.coordinator)
    return client


def _form_of(client, model, obj):
    url = reverse(f"admin:plans_{model}_change", args=[obj.pk])
    return url, _post_data(client.get(url).context)


def test_a_goal_is_not_added_to_another_agreements_plan(client, world):
    _url, data = _form_of(client, "goal", world.ours.goal)
    response = client.post(reverse("admin:plans_goal_add"), {**data, "plan": world.theirs.plan.pk})
    assert response.status_code == HTTPStatus.OK
    assert "plan" in response.context["adminform"].form.errors
    assert Goal.objects.filter(plan=world.theirs.plan).count() == 1


def test_a_strategy_is_not_added_under_another_agreements_goal(client, world):
    _url, data = _form_of(client, "strategy", world.ours.strategy)
    response = client.post(
        reverse("admin:plans_strategy_add"), {**data, "goal": world.theirs.goal.pk}
    )
    assert "goal" in response.context["adminform"].form.errors
    assert Strategy.objects.filter(goal=world.theirs.goal).count() == 1


def test_no_log_entry_on_another_agreements_activity(client, world):
    response = client.post(
        reverse("admin:followup_logentry_add"),
        {
            "activity": world.theirs.activity.pk,
            "date": "2024-04-01",
            "description": "Inskjuten",
            "occasions": 1,
            "organisation": world.a.municipality_id,
        },
    )
    assert "activity" in response.context["adminform"].form.errors
    assert not LogEntry.objects.filter(description="Inskjuten").exists()


def test_an_activity_is_not_moved_under_another_agreements_strategy(client, world):
    url, data = _form_of(client, "activity", world.ours.activity)
    response = client.post(url, {**data, "strategy": world.theirs.strategy.pk})
    assert "strategy" in response.context["adminform"].form.errors
    world.ours.activity.refresh_from_db()
    assert world.ours.activity.strategy == world.ours.strategy


def test_another_agreements_goal_is_not_overwritten_from_its_history(client, world):
    goal = world.theirs.goal
    goal.title = "Bortom mål, ändrat"
    goal.save()
    version = goal.history.earliest()
    base = f"/admin/plans/goal/{goal.pk}/history/"
    assert client.get(base).status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"{base}{version.pk}/").status_code == HTTPStatus.NOT_FOUND
    _url, data = _form_of(client, "goal", world.ours.goal)
    response = client.post(
        f"{base}{version.pk}/", {**data, "plan": goal.plan_id, "title": "Skrivet över"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    goal.refresh_from_db()
    assert goal.title == "Bortom mål, ändrat"


def test_another_agreements_activity_history_is_not_shown(client, world):
    url = f"/admin/plans/activity/{world.theirs.activity.pk}/history/"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_history_of_a_deleted_record_follows_its_agreement(client, world):
    ours_pk, theirs_pk = world.ours.goal.pk, world.theirs.goal.pk
    Goal.objects.filter(pk__in=[ours_pk, theirs_pk]).delete()
    assert client.get(f"/admin/plans/goal/{ours_pk}/history/").status_code == HTTPStatus.OK
    response = client.get(f"/admin/plans/goal/{theirs_pk}/history/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_raw_id_label_does_not_name_another_agreements_activity(client, world):
    add = reverse("admin:followup_logentry_add")
    ours = client.get(add, {"activity": world.ours.activity.pk}).content.decode()
    assert "Hemma aktivitet" in ours
    # Stepping through the ids names none of the other agreement's activities.
    for pk in Activity.objects.values_list("pk", flat=True):
        assert "Bortom" not in client.get(add, {"activity": pk}).content.decode()


def test_autocomplete_does_not_search_another_agreement(client, world):
    url = reverse("admin:autocomplete")
    for model, field in [("logentry", "activity"), ("membership", "user"), ("goal", "plan")]:
        found = {}
        for term in ["Bortom", "ort", "a"]:
            response = client.get(
                url,
                {"app_label": _app(model), "model_name": model, "field_name": field, "term": term},
            )
            assert response.status_code == HTTPStatus.OK, (model, term)
            found[term] = [result["text"] for result in response.json()["results"]]
        assert found["Bortom"] == found["ort"] == [], model
        assert any("Hemma" in text for text in found["a"]), model  # its own records are found
        assert not any("Bortom" in text for text in found["a"]), model


def _app(model):
    return {"logentry": "followup", "membership": "pitebra", "goal": "plans"}[model]


def test_the_activity_form_offers_only_own_causes(client, world):
    url = reverse("admin:plans_activity_change", args=[world.ours.activity.pk])
    causes = client.get(url).context["adminform"].form.fields["causes"].queryset
    assert world.theirs.cause not in causes
    assert causes.filter(description="Hemma orsak").exists()
    _url, data = _form_of(client, "activity", world.ours.activity)
    response = client.post(url, {**data, "causes": [world.theirs.cause.pk]})
    assert "causes" in response.context["adminform"].form.errors
    assert list(world.ours.activity.causes.values_list("description", flat=True)) == ["Hemma orsak"]


def test_filter_sidebars_name_nothing_of_another_agreement(client, world):
    for name in ["activity", "goal", "strategy", "citizenpromise", "problem", "observation"]:
        page = client.get(reverse(f"admin:plans_{name}_changelist")).content.decode()
        assert "Bortom" not in page, name
    for name in ["logentry", "meeting", "yearendreport", "evaluation"]:
        page = client.get(reverse(f"admin:followup_{name}_changelist")).content.decode()
        assert "Bortom" not in page, name
    for name in ["user", "membership", "organisation", "agreement", "priorityarea"]:
        page = client.get(reverse(f"admin:pitebra_{name}_changelist")).content.decode()
        assert "Bortom" not in page, name


def test_a_save_that_would_leave_the_scope_is_rolled_back(world, rf):
    """Behind the choices: whatever reaches `save_model` must still be the user's afterwards."""
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    request = rf.post("/admin/")
    request.user = world.coordinator
    activity = world.ours.activity
    activity.strategy = world.theirs.strategy
    with pytest.raises(PermissionDenied):
        admin.site._registry[Activity].save_model(request, activity, None, change=True)
    assert Activity.objects.get(pk=activity.pk).strategy == world.ours.strategy

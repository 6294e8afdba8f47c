"""An activity's own rules live in Activity.clean(): every way of entering one applies them."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.forms.meetings import DecisionActivityForm
from plans.forms.plan import ActivityForm
from plans.models import Activity
from tests.factories import make_activity, make_plan_tree

# The end before the start, and no contact person: refused wherever it is entered.
INVALID = {"title": "Nattvandring", "start": "2024-06-01", "end": "2024-05-01"}


def _refused(errors):
    """The two refusals, each beside its own field (the Swedish text the user reads)."""
    codes = {name: {e.code for e in errors[name].as_data()} for name in ("end", "contact_name")}
    assert codes == {"end": {"order"}, "contact_name": {"contact_required"}}
    assert "Slutet får inte vara före starten." in errors["end"]
    assert "Ange en kontaktperson: välj en medlem eller skriv ett namn." in errors["contact_name"]


def test_the_model_names_the_field_of_each_refusal(agreement):
    _plan, strategy = make_plan_tree(agreement, activities=0)
    activity = Activity(
        strategy=strategy,
        title="Nattvandring",
        responsible_organisation=agreement.municipality,
        start=datetime.date(2024, 6, 1),
        end=datetime.date(2024, 5, 1),
    )
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert {"end", "contact_name"} <= set(refused.value.error_dict)


@pytest.mark.parametrize("where", ["plan form", "decision form"])
def test_each_form_refuses_the_same_activity(agreement, where):
    plan, strategy = make_plan_tree(agreement, activities=0)
    data = {
        **INVALID,
        "strategy": strategy.pk,
        "responsible_organisation": agreement.municipality_id,
        "status": "planned",
    }
    if where == "plan form":
        form = ActivityForm(data, plan=plan)
    else:
        form = DecisionActivityForm(data, agreement=agreement, year=plan.year)
    assert not form.is_valid()
    _refused(form.errors)


def test_the_admin_refuses_the_same_activity(client_for, agreement, coordinator):
    from tests.pitebra.test_versioning import _as_posted

    _plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy, title="Nattvandring", contact_name="Kim")
    url = reverse("admin:plans_activity_change", args=[activity.pk])
    browser = client_for(coordinator)
    data = _as_posted(browser.get(url).context["adminform"].form)
    data.update(start=INVALID["start"], end=INVALID["end"], contact_name="", contact_user="")
    response = browser.post(url, data)
    assert response.status_code == HTTPStatus.OK
    _refused(response.context["adminform"].form.errors)
    activity.refresh_from_db()
    assert (activity.start, activity.end, activity.contact_name) == (None, None, "Kim")

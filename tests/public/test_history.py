"""A record of what was promised when: "Senast ändrad" with the earlier wording, and each year's
page as it stood at the year's end."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Activity, CitizenPromise
from plans.services.status import activity_save
from tests.factories import make_activity, make_goal, make_plan, make_promise, make_strategy


def _backdate(model, pk, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    model.history.filter(id=pk).update(history_date=moment)


@pytest.fixture
def reworded(agreement):
    """A 2024 activity and promise written in March, reworded in January 2025."""
    agreement.public = True
    agreement.save()
    plan = make_plan(agreement, 2024, status="adopted", adopted_on=datetime.date(2024, 2, 1))
    activity = make_activity(
        make_strategy(make_goal(plan)), title="Nattvandring", contact_name="X", public=True
    )
    promise = make_promise(plan, promise="Tre dialoger om trygghet")
    _backdate(Activity, activity.pk, datetime.date(2024, 3, 1))
    _backdate(CitizenPromise, promise.pk, datetime.date(2024, 3, 1))
    activity.title = "Nattvandring med föräldrar"
    activity.status = "done"
    activity_save(activity=activity, by=None)
    promise.promise = "Fyra dialoger om trygghet"
    promise.save()
    return {"agreement": agreement, "activity": activity, "promise": promise}


def test_a_changed_activity_shows_its_earlier_wording(client, reworded):
    agreement, activity = reworded["agreement"], reworded["activity"]
    text = client.get(reverse("public:activity", args=[agreement.pk, activity.pk])).content
    text = text.decode()
    assert "Nattvandring med föräldrar" in text
    assert "Senast ändrad" in text
    assert "Tidigare lydelse (från 1 mars 2024)" in text
    assert "Nattvandring</span>" in text


def test_a_changed_promise_shows_its_earlier_wording(client, reworded):
    agreement, promise = reworded["agreement"], reworded["promise"]
    text = client.get(reverse("public:promise", args=[agreement.pk, promise.pk])).content.decode()
    assert "Fyra dialoger om trygghet" in text
    assert "Tre dialoger om trygghet" in text and "Senast ändrad" in text


def test_the_years_page_is_a_snapshot_at_its_end(client, reworded):
    """2024 is over: its page shows the wording and status of 31 December 2024."""
    agreement = reworded["agreement"]
    text = client.get(reverse("public:agreement-year", args=[agreement.pk, 2024])).content
    text = text.decode()
    assert "31 december 2024" in text
    assert ">Nattvandring</a>" in text
    assert ">Nattvandring med föräldrar</a>" not in text
    assert "Tre dialoger om trygghet</a>" in text


def test_an_earlier_wording_with_personal_data_is_withheld(client, reworded):
    agreement, activity = reworded["agreement"], reworded["activity"]
    Activity.history.filter(id=activity.pk, title="Nattvandring").update(
        title="Nattvandring, ring 070-123 45 67"
    )
    text = client.get(reverse("public:activity", args=[agreement.pk, activity.pk])).content
    assert "070-123" not in text.decode()


def test_wording_from_before_it_was_public_is_not_shown(client, reworded):
    agreement, activity = reworded["agreement"], reworded["activity"]
    Activity.history.filter(id=activity.pk, title="Nattvandring").update(public=False)
    text = client.get(reverse("public:activity", args=[agreement.pk, activity.pk])).content
    assert "Tidigare lydelse" not in text.decode()

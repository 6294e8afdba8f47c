"""A NUL byte anywhere in a request is a 400 before any view runs, on SQLite and PostgreSQL."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from plans.models import Activity

from ..factories import make_plan_tree

NUL_REFUSED = "Förfrågan innehåller ett NUL-tecken"


def _refused(response):
    return response.status_code == HTTPStatus.BAD_REQUEST and NUL_REFUSED in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_calendar_feed_with_a_nul_token_as_anonymous(client):
    assert _refused(client.get("/calendar/%00.ics"))
    assert _refused(client.get("/calendar/abc%00def.ics"))


@pytest.mark.django_db
def test_nul_in_any_path_or_query_string(client, client_for, agreement, member):
    assert _refused(client.get("/login/?next=%00"))
    client = client_for(member)
    assert _refused(client.get(f"/agreements/{agreement.pk}/plans/%00/"))
    plan, _strategy = make_plan_tree(agreement, activities=0)
    url = reverse("plans:plan-detail", args=[agreement.pk, plan.year])
    assert _refused(client.get(url + "?place=%00"))
    assert _refused(client.get(url + "?pl%00ace=x"))


def test_nul_in_admin_changelist_filters_and_autocomplete(client_for, agreement, coordinator):
    client = client_for(coordinator)
    assert _refused(client.get("/admin/plans/activity/?status__exact=%00"))
    assert _refused(client.get("/admin/plans/activity/?q=%00"))
    assert _refused(
        client.get(
            "/admin/autocomplete/?app_label=pitebra&model_name=membership&field_name=user&term=%00"
        )
    )


def test_nul_in_form_data_saves_nothing(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    response = client_for(member).post(
        reverse("plans:activity-create", args=[agreement.pk, strategy.pk]),
        {
            "strategy": strategy.pk,
            "title": "Nattvandring\x00",
            "responsible_organisation": agreement.municipality_id,
            "contact_name": "Anna Andersson",
            "status": "planned",
        },
    )
    assert _refused(response)
    assert not Activity.objects.exists()


def test_requests_without_nul_pass(client_for, agreement, member):
    plan, _strategy = make_plan_tree(agreement, activities=0)
    url = reverse("plans:plan-detail", args=[agreement.pk, plan.year])
    assert client_for(member).get(url + "?place=%01").status_code == HTTPStatus.OK

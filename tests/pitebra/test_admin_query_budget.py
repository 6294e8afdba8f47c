"""Every admin changelist, as a coordinator, stays within 15 queries (issue 14, item 4).

The coordinator belongs to two agreements, each with one record of every kind, so a changelist
shows at least two rows of its own: a query per row or per agreement check would show."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from pitebra.admin_scoping import OperatorOnlyAdmin
from pitebra.models import Membership

from ..factories import make_member
from .admin_world import populate

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def coordinator(db):
    first, second = populate("Hemma"), populate("Granne")
    populate("Bortom")
    user = make_member(first, Membership.Role.COORDINATOR, username="samordnare-budget")
    Membership.objects.create(agreement=second, user=user, role=Membership.Role.COORDINATOR)
    return user


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_changelist_stays_within_15_queries(
    client, coordinator, model, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with django_assert_max_num_queries(15):
        response = client.get(url)
    # Operator-only models answer 403 to a coordinator; every other one lists its rows.
    operator_only = isinstance(admin.site._registry[model], OperatorOnlyAdmin)
    assert response.status_code == (HTTPStatus.FORBIDDEN if operator_only else HTTPStatus.OK)

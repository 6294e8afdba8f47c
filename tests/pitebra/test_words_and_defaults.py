"""Words and defaults read as a Swedish user reads them: dates, plan years, step sentences."""

import datetime
from http import HTTPStatus

from django.urls import reverse
from django.utils import translation

from pitebra.models import Membership
from pitebra.templatetags.ui import day_month
from plans.models import ImplementationPlan

from ..factories import make_member


def test_short_dates_are_written_the_swedish_way():
    with translation.override("sv"):
        assert day_month(datetime.date(2025, 12, 31)) == "31 dec."
        assert day_month(datetime.date(2025, 5, 1)) == "1 maj"
        assert day_month(datetime.date(2025, 3, 9)) == "9 mars"
    with translation.override("en"):
        assert day_month(datetime.date(2025, 12, 31)) == "31 Dec"


def test_a_plan_can_be_started_only_for_the_agreements_years(client_for, agreement):
    member = make_member(agreement, Membership.Role.MEMBER, username="planerare")
    client = client_for(member)
    page = client.get(reverse("plans:plan-list", args=[agreement.pk])).content.decode()
    assert "<option>2025</option>" in page and "<option>2026</option>" not in page
    response = client.post(reverse("plans:plan-create", args=[agreement.pk]), {"year": "2026"})
    assert response.status_code == HTTPStatus.FOUND
    assert not ImplementationPlan.objects.filter(agreement=agreement, year=2026).exists()

"""Sweden's register: the 290 municipalities loaded by a migration, chosen by the operator
when starting an agreement, and the code Kolada imports find a municipality by."""

from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from pitebra.models import Agreement, Municipality, Organisation

from ..factories import make_organisation, make_user

# A flush by an earlier live-server test in the same process empties the register.
pytestmark = pytest.mark.usefixtures("municipality_register")


def test_the_register_holds_the_290_municipalities_with_codes_and_counties(db):
    assert Municipality.objects.count() == 290
    assert Municipality.objects.values("code").distinct().count() == 290
    assert Municipality.objects.values("county_code").distinct().count() == 21
    pitea = Municipality.objects.get(code="2581")
    assert (pitea.name, pitea.county_name, pitea.kolada_id) == ("Piteå", "Norrbottens län", "2581")
    assert Municipality.objects.get(code="0180").name == "Stockholm"
    for municipality in Municipality.objects.all():
        assert len(municipality.code) == 4 and municipality.code.isdigit()
        assert municipality.code.startswith(municipality.county_code)


@pytest.fixture
def operator(client, db):
    user = make_user(username="operator", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _start(client, **fields):
    police = Organisation.objects.filter(kind=Organisation.Kind.POLICE).first()
    police = police or make_organisation(name="Lokalpolisområde Luleå", kind="police")
    data = {
        "title": "Överenskommelse Luleå",
        "police_area": police.pk,
        "first_year": 2026,
        "last_year": 2028,
        "revise_by": "2028-12-31",
        "working_method": "Fem steg",
        "priority_areas-TOTAL_FORMS": 0,
        "priority_areas-INITIAL_FORMS": 0,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        **fields,
    }
    return client.post(reverse("admin:pitebra_agreement_add"), data)


def test_the_operator_starts_an_agreement_by_choosing_a_municipality(client, operator):
    lulea = Municipality.objects.get(code="2580")
    response = _start(client, from_register=lulea.pk)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    agreement = Agreement.objects.get(title="Överenskommelse Luleå")
    assert agreement.municipality.kolada_id == "2580"
    assert agreement.municipality.kind == Organisation.Kind.MUNICIPALITY
    # A second agreement of the same municipality finds the same party by its code.
    response = _start(client, from_register=lulea.pk, title="Överenskommelse Luleå 2")
    assert response.status_code == HTTPStatus.FOUND
    assert Agreement.objects.get(title="Överenskommelse Luleå 2").municipality == (
        agreement.municipality
    )


def test_an_agreement_without_a_municipality_is_refused_by_the_field(client, operator):
    response = _start(client)
    assert response.status_code == HTTPStatus.OK
    assert "Välj kommunen" in response.content.decode()
    assert not Agreement.objects.filter(title="Överenskommelse Luleå").exists()


def test_kolada_imports_find_the_municipality_by_its_code(db):
    with pytest.raises(CommandError, match="9999 is not the code of any"):
        call_command(
            "import_kolada", "--kpi", "N07540", "--municipality", "9999", "--years", "2022"
        )
    with pytest.raises(CommandError, match=r"0 agreements .* 2581 \(Piteå\)"):
        call_command(
            "import_kolada", "--kpi", "N07540", "--municipality", "2581", "--years", "2022"
        )

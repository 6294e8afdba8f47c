"""Sweden's police register: the 7 regions and the local police areas with the municipalities
each covers, loaded by a migration from `pitebra/data/police_areas.csv`; the operator starts an
agreement with a municipality and the police area that covers it."""

from http import HTTPStatus

import pytest
from django.db.models import Count
from django.urls import reverse

from pitebra.models import Agreement, LocalPoliceArea, Municipality, Organisation, PoliceRegion
from pitebra.validators import validate_organisation_number

from ..factories import make_user

pytestmark = pytest.mark.usefixtures("municipality_register")

# Brå, "Nu delas anmälda brott in i regioner" (2015): the counties (SCB länskod) of each region.
REGION_COUNTIES = {
    "Nord": {"22", "23", "24", "25"},
    "Mitt": {"03", "19", "21"},
    "Stockholm": {"01", "09"},
    "Öst": {"04", "05", "06"},
    "Väst": {"13", "14"},
    "Syd": {"07", "08", "10", "12"},
    "Bergslagen": {"17", "18", "20"},
}
# The municipalities Polisen splits into several local police areas.
SPLIT = {"Stockholm", "Göteborg", "Malmö"}


def test_seven_regions_and_every_area_in_one_of_them_with_a_code(db):
    assert set(PoliceRegion.objects.values_list("name", flat=True)) == set(REGION_COUNTIES)
    areas = LocalPoliceArea.objects.all()
    assert 90 <= areas.count() <= 110
    assert areas.values("code").distinct().count() == areas.count()
    assert all(area.code and area.region_id for area in areas)


def test_every_municipality_is_in_exactly_one_area_but_the_three_big_cities(db):
    counts = dict(
        Municipality.objects.annotate(n=Count("local_police_areas")).values_list("name", "n")
    )
    assert len(counts) == 290
    assert {name for name, n in counts.items() if n == 0} == set()
    assert {name for name, n in counts.items() if n > 1} == SPLIT


def test_every_area_lies_in_its_regions_counties(db):
    for area in LocalPoliceArea.objects.prefetch_related("municipalities").select_related("region"):
        counties = {m.county_code for m in area.municipalities.all()}
        assert counties <= REGION_COUNTIES[area.region.name], area


def test_pitea_is_in_pitea_alvdal_in_region_nord(db):
    pitea = Municipality.objects.get(code="2581")
    (area,) = pitea.local_police_areas.all()
    assert (area.name, area.region.name) == ("Piteå älvdal", "Nord")
    assert set(area.municipalities.values_list("name", flat=True)) == {
        "Piteå",
        "Älvsbyn",
        "Arvidsjaur",
        "Arjeplog",
    }
    # Checked against polisen.se: Norra Lappland is Kiruna, Gällivare and Jokkmokk.
    assert set(
        LocalPoliceArea.objects.get(name="Norra Lappland").municipalities.values_list(
            "name", flat=True
        )
    ) == {"Kiruna", "Gällivare", "Jokkmokk"}


def test_every_municipality_has_its_own_valid_organisation_number(db):
    # Piteå's own pages give 212000-2759; 212000-2742 is Luleå's (an earlier file mixed them up).
    assert Municipality.objects.get(code="2581").organisation_number == "212000-2759"
    assert Municipality.objects.get(code="2580").organisation_number == "212000-2742"
    numbers = list(Municipality.objects.values_list("organisation_number", flat=True))
    assert len(numbers) == 290
    assert len(set(numbers)) == 290
    for number in numbers:
        validate_organisation_number(number)
        assert number.startswith("212000-")


@pytest.fixture
def operator(client, db):
    user = make_user(username="operator", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _start(client, **fields):
    data = {
        "title": "Överenskommelse Piteå",
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


def test_the_operator_starts_an_agreement_with_a_municipality_and_its_police_area(client, operator):
    pitea = Municipality.objects.get(code="2581")
    area = LocalPoliceArea.objects.get(code="nord-pitea-alvdal")
    response = _start(client, from_register=pitea.pk, police_area_from_register=area.pk)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    agreement = Agreement.objects.get(title="Överenskommelse Piteå")
    police = agreement.police_area
    assert (police.name, police.kind) == ("Lokalpolisområde Piteå älvdal", "police")
    assert police.organisation_number == "202100-0076"  # Polismyndigheten
    # The next agreement in the area finds the same party.
    response = _start(
        client,
        title="Överenskommelse Älvsbyn",
        from_register=Municipality.objects.get(code="2560").pk,
        police_area_from_register=area.pk,
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Agreement.objects.get(title="Överenskommelse Älvsbyn").police_area == police
    assert Organisation.objects.filter(name="Lokalpolisområde Piteå älvdal").count() == 1


def test_a_police_area_that_does_not_cover_the_municipality_is_refused(client, operator):
    response = _start(
        client,
        from_register=Municipality.objects.get(code="2581").pk,
        police_area_from_register=LocalPoliceArea.objects.get(name="Norra Lappland").pk,
    )
    assert response.status_code == HTTPStatus.OK
    assert not Agreement.objects.filter(title="Överenskommelse Piteå").exists()
    assert "Norra Lappland" in response.content.decode()


def test_an_agreement_without_a_police_area_is_refused(client, operator):
    response = _start(client, from_register=Municipality.objects.get(code="2581").pk)
    assert response.status_code == HTTPStatus.OK
    assert not Agreement.objects.filter(title="Överenskommelse Piteå").exists()
    assert "Välj lokalpolisområdet" in response.content.decode()


def test_the_register_is_read_only_in_the_admin(client, operator):
    area = LocalPoliceArea.objects.get(code="nord-pitea-alvdal")
    assert client.get(reverse("admin:pitebra_localpolicearea_changelist")).status_code == 200
    response = client.post(
        reverse("admin:pitebra_localpolicearea_change", args=[area.pk]), {"name": "X"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    area.refresh_from_db()
    assert area.name == "Piteå älvdal"


def test_loading_the_file_again_brings_an_installation_to_it(db):
    """A later migration re-reads the file: an area it no longer has goes, a changed one is
    updated, and loading twice changes nothing."""
    from pitebra.register import load_police_areas

    before = LocalPoliceArea.objects.count()
    stale = LocalPoliceArea.objects.create(
        code="nord-gammalt-omrade",
        name="Gammalt område",
        region=PoliceRegion.objects.get(name="Nord"),
        police_district="Norrbotten",
    )
    pitea = LocalPoliceArea.objects.get(code="nord-pitea-alvdal")
    pitea.name = "Fel namn"
    pitea.save()
    pitea.municipalities.clear()
    load_police_areas(PoliceRegion, LocalPoliceArea, Municipality)
    load_police_areas(PoliceRegion, LocalPoliceArea, Municipality)
    assert not LocalPoliceArea.objects.filter(pk=stale.pk).exists()
    assert LocalPoliceArea.objects.count() == before
    assert PoliceRegion.objects.count() == 7
    pitea.refresh_from_db()
    assert pitea.name == "Piteå älvdal"
    assert set(pitea.municipalities.values_list("code", flat=True)) == {
        "2581",
        "2560",
        "2505",
        "2506",
    }

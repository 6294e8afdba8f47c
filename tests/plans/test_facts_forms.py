"""Entering facts by hand: indicators, the compact table of values, the source register."""

from decimal import Decimal
from http import HTTPStatus

from django.urls import reverse

from plans.models import Indicator, Observation, Source

from ..factories import make_indicator, make_observation, make_source


def _rows(*rows, initial=0):
    data = {
        "obs-TOTAL_FORMS": str(len(rows)),
        "obs-INITIAL_FORMS": str(initial),
        "obs-MIN_NUM_FORMS": "0",
        "obs-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"obs-{n}-{key}": value for key, value in row.items()})
    return data


def _row(year, value, **kw):
    return {
        "year": str(year),
        "subperiod": "",
        "scope": "municipality",
        "gender": "T",
        "value": value,
        "note": "",
        **kw,
    }


def test_member_creates_an_indicator_and_a_duplicate_name_is_refused(client_for, agreement, member):
    area = agreement.priority_areas.create(name="Barn och unga")
    source = make_source(agreement, name="Kolada")
    client = client_for(member)
    url = reverse("plans:indicator-create", args=[agreement.pk])
    data = {
        "name": "Trygga elever",
        "unit": "%",
        "source": str(source.pk),
        "kolada_kpi": "N15643",
        "better": "higher",
        "priority_areas": [str(area.pk)],
        "position": "0",
    }
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    indicator = Indicator.objects.get()
    assert (indicator.agreement, indicator.source, indicator.better) == (
        agreement,
        source,
        "higher",
    )
    assert list(indicator.priority_areas.all()) == [area]

    page = client.post(url, data)
    assert page.status_code == HTTPStatus.OK
    assert "Det finns redan ett nyckeltal med det namnet." in page.content.decode()
    assert Indicator.objects.count() == 1


def test_values_are_entered_in_the_table_with_decimal_commas(client_for, agreement, member):
    indicator = make_indicator(agreement)
    url = reverse("plans:indicator-detail", args=[agreement.pk, indicator.pk])
    response = client_for(member).post(
        url,
        _rows(_row(2023, "12,5"), _row(2023, "20,25", scope="country"), _row("", "")),
    )
    assert response.status_code == HTTPStatus.FOUND
    assert sorted(Observation.objects.values_list("year", "scope", "value")) == [
        (2023, "country", Decimal("20.250")),
        (2023, "municipality", Decimal("12.500")),
    ]


def test_bad_rows_are_shown_next_to_the_field_and_nothing_is_saved(client_for, agreement, member):
    indicator = make_indicator(agreement)
    url = reverse("plans:indicator-detail", args=[agreement.pk, indicator.pk])
    page = client_for(member).post(url, _rows(_row(2023, "tolv"), _row(2023, "1"), _row(2023, "2")))
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Värdena kunde inte sparas" in text
    assert "Fyll i ett tal." in text
    assert "En annan rad har samma år, del av år, omfattning och kön." in text
    assert 'value="tolv"' in text  # nothing typed is lost
    assert not Observation.objects.exists()


def test_values_are_corrected_and_deleted_in_the_table(client_for, agreement, member):
    indicator = make_indicator(agreement)
    first = make_observation(indicator, 2024, 1)
    second = make_observation(indicator, 2023, 2)
    url = reverse("plans:indicator-detail", args=[agreement.pk, indicator.pk])
    data = _rows(
        {**_row(2024, "1,5"), "id": str(first.pk), "indicator": str(indicator.pk)},
        {**_row(2023, "2"), "id": str(second.pk), "indicator": str(indicator.pk), "DELETE": "on"},
        initial=2,
    )
    assert client_for(member).post(url, data).status_code == HTTPStatus.FOUND
    assert list(Observation.objects.values_list("year", "value")) == [(2024, Decimal("1.500"))]


def test_the_source_register_records_used_and_left_out_sources(client_for, agreement, member):
    client = client_for(member)
    url = reverse("plans:source-list", args=[agreement.pk])
    client.post(
        url,
        {
            "name": "Sjukvårdens skadedata",
            "covers": "Skador efter våld",
            "limitations": "Finns inte per kommun",
            "url": "",
        },
    )
    source = Source.objects.get()
    assert not source.used
    page = client.get(url).content.decode()
    assert "Sjukvårdens skadedata" in page
    assert "Bortvald" in page
    assert "Finns inte per kommun" in page
    duplicate = client.post(url, {"name": "Sjukvårdens skadedata", "used": "on"})
    assert "Det finns redan en källa med det namnet." in duplicate.content.decode()
    assert Source.objects.count() == 1


def test_a_personal_number_in_a_values_note_is_refused(client_for, agreement, member):
    indicator = make_indicator(agreement)
    url = reverse("plans:indicator-detail", args=[agreement.pk, indicator.pk])
    page = client_for(member).post(url, _rows(_row(2023, "1", note="Gäller 811218-9876")))
    assert "personnummer" in page.content.decode()
    assert not Observation.objects.exists()

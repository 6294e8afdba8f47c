"""Facts tables and Kolada files: good files, numbered errors, all or nothing, no duplicates.

One module past 300 lines: the facts files share the builders at the top.
"""

import json
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from plans.imports.facts import FactsPreview
from plans.imports.save import facts_import_save
from plans.models import Observation
from plans.services.imports import parse_kolada

from ..factories import make_indicator, make_observation

GOOD_CSV = (
    "indikator;period;omfattning;värde\n"
    "Anmälda brott;2023;kommun;8 120,5\n"
    "Anmälda brott;2023;riket;13410\n"
    "Anmälda brott;2024-H1;kommun;3 900\n"
    "N15643;2024;Län;86,25\n"
)


def _indicators(agreement):
    return (
        make_indicator(agreement, name="Anmälda brott"),
        make_indicator(agreement, name="Trygga elever", kolada_kpi="N15643"),
    )


def _values():
    return sorted(
        (o.indicator.name, o.year, o.subperiod, o.scope, o.value)
        for o in Observation.objects.select_related("indicator")
    )


def _preview(agreement, text, **kw):
    return FactsPreview(agreement=agreement, data=text.encode("utf-8"), **kw)


def test_good_csv_is_parsed_with_swedish_decimal_commas(agreement):
    _indicators(agreement)
    preview = _preview(agreement, GOOD_CSV)
    assert preview.errors == [] and preview.questions == []
    assert [(r.line, r.year, r.subperiod, r.scope, r.value) for r in preview.rows] == [
        (2, 2023, "", "municipality", Decimal("8120.500")),
        (3, 2023, "", "country", Decimal("13410.000")),
        (4, 2024, "H1", "municipality", Decimal("3900.000")),
        (5, 2024, "", "county", Decimal("86.250")),
    ]


def test_malformed_csv_names_each_bad_line_in_swedish(agreement):
    _indicators(agreement)
    text = (
        "Indikator;Period;Område;Värde\n"
        "Anmälda brott;2023;kommun;10\n"
        "Anmälda brott;tjugotjugo;kommun;10\n"
        "Anmälda brott;2022;kommun;tio\n"
        "Anmälda brott;2023;kommun;11\n"
    )
    preview = _preview(agreement, text)
    assert preview.errors == [
        "Rad 3: perioden ”tjugotjugo” är inte ett år som 2024, 2024-H1 eller Q2 2024.",
        "Rad 4: värdet ”tio” är inte ett tal.",
        "Rad 5: samma nyckeltal, period och omfattning som rad 2.",
    ]


def test_unknown_indicators_and_areas_are_asked_about_once(agreement):
    _indicators(agreement)
    text = (
        "Indikator;Period;Område;Värde\n"
        "Anmälda brot;2023;kommun;10\n"
        "Anmälda brot;2024;kommun;11\n"
        "Okänt nyckeltal;2023;stan;10\n"
    )
    preview = _preview(agreement, text)
    asked = {(q.kind, q.text): q for q in preview.questions}
    assert set(asked) == {
        ("indicator", "Anmälda brot"),
        ("indicator", "Okänt nyckeltal"),
        ("scope", "stan"),
    }
    assert asked[("indicator", "Anmälda brot")].lines == [2, 3]
    assert asked[("indicator", "Anmälda brot")].default.startswith("use:")  # nearest match
    assert asked[("indicator", "Okänt nyckeltal")].default == "create"
    assert asked[("scope", "stan")].default == "skip"
    assert len(preview.rows) == 2 and preview.skipped_by_choice == 1


def test_reimporting_the_same_csv_creates_no_duplicates(agreement):
    _indicators(agreement)
    results = [facts_import_save(preview=_preview(agreement, GOOD_CSV)) for _ in range(2)]
    assert results == [(4, 0), (0, 0)]
    assert Observation.objects.count() == 4
    changed = GOOD_CSV.replace("13410", "13500")
    assert _preview(agreement, changed).counts() == {"new": 0, "changed": 1, "unchanged": 3}
    assert facts_import_save(preview=_preview(agreement, changed)) == (0, 1)
    assert Observation.objects.count() == 4
    assert Observation.objects.get(scope="country").value == Decimal("13500")


def test_csv_upload_previews_then_imports_on_confirmation(client_for, agreement, member):
    _indicators(agreement)
    client = client_for(member)
    url = reverse("plans:import-csv", args=[agreement.pk])
    upload = SimpleUploadedFile("varden.csv", GOOD_CSV.encode("utf-8"), "text/csv")
    preview = client.post(url, {"file": upload})
    text = preview.content.decode()
    assert preview.status_code == HTTPStatus.OK
    assert "Förhandsgranskning" in text
    assert "4 värden kommer att importeras" in text
    assert not Observation.objects.exists()  # nothing saved before confirming

    response = client.post(url, {"confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert Observation.objects.count() == 4


def test_csv_in_windows_1252_as_excel_saves_it(client_for, agreement, member):
    _indicators(agreement)
    upload = SimpleUploadedFile("varden.csv", GOOD_CSV.encode("cp1252"), "text/csv")
    page = client_for(member).post(
        reverse("plans:import-csv", args=[agreement.pk]), {"file": upload}
    )
    assert "4 värden kommer att importeras" in page.content.decode()


def test_csv_upload_with_errors_saves_nothing_and_lists_lines(client_for, agreement, member):
    indicator, _other = _indicators(agreement)
    make_observation(indicator, 2020, 1)
    text = "Nyckeltal;År;Värde\nAnmälda brott;2023;1\nAnmälda brott;2024;fel\n"
    client = client_for(member)
    url = reverse("plans:import-csv", args=[agreement.pk])
    page = client.post(url, {"file": SimpleUploadedFile("f.csv", text.encode())})
    assert page.status_code == HTTPStatus.OK
    assert "Rad 3: värdet ”fel” är inte ett tal." in page.content.decode()
    # A confirmation of a file with errors is read again and refused as well: all or nothing.
    page = client.post(url, {"columns": "3", "confirm": "1"})
    assert page.status_code == HTTPStatus.OK
    assert Observation.objects.count() == 1


def test_csv_names_from_another_agreement_are_unknown(agreement, other_agreement):
    foreign = make_indicator(other_agreement, name="Främmande")
    preview = _preview(agreement, "Nyckeltal;År;Värde\nFrämmande;2023;1\n")
    (question,) = preview.questions
    assert f"use:{foreign.pk}" not in dict(question.options)
    assert question.default == "create"


def _kolada(*records):
    return {"values": list(records), "count": len(records)}


def _record(kpi, municipality, period, *values):
    return {
        "kpi": kpi,
        "municipality": municipality,
        "period": period,
        "values": [
            {"gender": gender, "value": value, "count": 1, "status": ""} for gender, value in values
        ],
    }


def test_kolada_data_maps_the_country_and_skips_nulls(agreement):
    agreement.municipality.kolada_id = "2581"
    agreement.municipality.save()
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    data = _kolada(
        _record("N07540", "2581", 2023, ("T", 8120.4), ("K", None), ("M", 8300)),
        _record("N07540", "0000", 2023, ("T", 13410.0)),
        _record("N07540", "0025", 2023, ("T", None)),
    )
    result = parse_kolada(agreement=agreement, data=data)
    assert result.errors == []
    assert result.skipped == 2
    assert sorted((r.scope, r.gender, r.value) for r in result.rows) == [
        ("country", "T", Decimal("13410.000")),
        ("municipality", "M", Decimal("8300.000")),
        ("municipality", "T", Decimal("8120.400")),
    ]


def test_kolada_data_with_unknown_kpi_or_other_municipality_is_refused(agreement):
    agreement.municipality.kolada_id = "2581"
    agreement.municipality.save()
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    data = _kolada(
        _record("N07540", "2581", 2023, ("T", 1)),
        _record("N99999", "2581", 2023, ("T", 1)),
        _record("N07540", "2580", 2023, ("T", 1)),
    )
    result = parse_kolada(agreement=agreement, data=data)
    assert result.rows == []
    assert result.errors == [
        "Post 2: inget nyckeltal har Kolada-id N99999.",
        "Post 3: kommun 2580 är inte överenskommelsens kommun.",
    ]


def test_kolada_file_upload_imports_all_and_again_without_duplicates(client_for, agreement, member):
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    data = _kolada(
        _record("N07540", "2581", 2022, ("T", 8470)),
        _record("N07540", "2581", 2023, ("T", 8120.5)),
        _record("N07540", "0000", 2023, ("T", 13410)),
    )
    client = client_for(member)
    url = reverse("plans:import-kolada", args=[agreement.pk])
    for _ in range(2):
        upload = SimpleUploadedFile("kolada.json", json.dumps(data).encode(), "application/json")
        response = _kolada_import(client, url, [upload])
        assert "Importerade" in response.content.decode()
    assert Observation.objects.count() == 3


def test_bad_kolada_files_save_nothing_and_say_why(client_for, agreement, member):
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    client = client_for(member)
    url = reverse("plans:import-kolada", args=[agreement.pk])
    cases = [
        (b"{not json", "k.json: Filen är inte giltig JSON."),
        (b'{"rows": []}', "Det här är inte data från Kolada"),
        (
            json.dumps(_kolada(_record("N07540", "2581", 2023, ("T", "mycket")))).encode(),
            "Post 1: värdet mycket är inte ett tal.",
        ),
    ]
    for content, message in cases:
        page = client.post(url, {"file": SimpleUploadedFile("k.json", content)})
        assert page.status_code == HTTPStatus.OK
        assert message in page.content.decode()
    assert not Observation.objects.exists()


def test_a_failure_midway_rolls_back_the_whole_import(agreement, monkeypatch):
    indicator, _other = _indicators(agreement)
    make_observation(indicator, 2023, 1)  # will be updated after the new rows are inserted
    preview = _preview(agreement, GOOD_CSV)

    def failing_update(*args, **kwargs):
        raise IntegrityError("simulated failure after the inserts")

    monkeypatch.setattr(Observation.objects, "bulk_update", failing_update)
    with pytest.raises(IntegrityError):
        facts_import_save(preview=preview)
    assert list(Observation.objects.values_list("year", "value")) == [(2023, Decimal("1"))]


def _kolada_import(client, url, files):
    """Upload Kolada files, see the preview (nothing saved yet), then import."""
    before = Observation.objects.count()
    preview = client.post(url, {"file": files})
    assert preview.status_code == HTTPStatus.OK
    assert "Förhandsgranskning" in preview.content.decode()
    assert Observation.objects.count() == before
    return client.post(url, {"confirm": "1"}, follow=True)


def _page(records, next_page=None, previous_page=None):
    data = _kolada(*records)
    if next_page:
        data["next_page"] = next_page
    if previous_page:
        data["previous_page"] = previous_page
    return SimpleUploadedFile("k.json", json.dumps(data).encode(), "application/json")


def test_kolada_pages_in_one_upload_carry_source_and_date(client_for, agreement, member):
    indicator = make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    make_observation(indicator, 2022, 8000, note="Exempeldata")
    base = "https://api.kolada.se/v3/data/kpi/N07540/year/2022,2023"
    first = _page([_record("N07540", "2581", 2022, ("T", 8470))], next_page=f"{base}?page=2")
    second = _page([_record("N07540", "2581", 2023, ("T", 8120.5))], previous_page=f"{base}?page=1")
    response = _kolada_import(
        client_for(member), reverse("plans:import-kolada", args=[agreement.pk]), [first, second]
    )
    html = response.content.decode()
    assert "Importerade 1 nya och 1 uppdaterade värden från Kolada" in html
    assert "inte laddades upp" not in html
    notes = set(Observation.objects.values_list("note", flat=True))
    assert len(notes) == 1 and next(iter(notes)).startswith("Kolada, hämtad ")  # no "Exempeldata"


def test_kolada_warns_of_a_next_page_that_was_not_uploaded(client_for, agreement, member):
    make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    first = _page(
        [_record("N07540", "2581", 2022, ("T", 8470))],
        next_page="https://api.kolada.se/v3/data/kpi/N07540/year/2022?page=2",
    )
    response = _kolada_import(
        client_for(member), reverse("plans:import-kolada", args=[agreement.pk]), [first]
    )
    html = response.content.decode()
    assert "k.json har en nästa sida (sida 2) som inte laddades upp" in html
    assert Observation.objects.count() == 1


def test_kolada_null_keeps_an_older_value_only_with_a_visible_note(client_for, agreement, member):
    indicator = make_indicator(agreement, name="Anmälda brott", kolada_kpi="N07540")
    make_observation(indicator, 2023, 8000)
    upload = _page(
        [_record("N07540", "2581", 2023, ("T", None)), _record("N07540", "2581", 2024, ("T", None))]
    )
    response = _kolada_import(
        client_for(member), reverse("plans:import-kolada", args=[agreement.pk]), [upload]
    )
    html = response.content.decode()
    assert "Kolada gav inget värde för 1 perioder som redan hade ett" in html
    kept = Observation.objects.get()
    assert kept.value == Decimal("8000")
    assert kept.note.startswith("Äldre värde behållet: Kolada gav inget värde")


def test_a_headerless_file_in_the_older_layout_still_imports(agreement):
    _indicators(agreement)
    preview = _preview(agreement, "Anmälda brott;2024;kommun;7 700,5\nN15643;2024;riket;..\n")
    assert preview.errors == []
    assert [(r.line, r.value) for r in preview.rows] == [(1, Decimal("7700.500"))]
    assert preview.missing == 1

"""Input limits, each attack from issue 9 as a test: Swedish error, 4xx, nothing saved."""

import io
import json
import re
import zipfile
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from pitebra.limits import cap_errors, check_workbook, load_json, open_workbook, sheet_rows
from plans import excel
from plans.imports.plan import PlanPreview
from plans.imports.table import TableError
from plans.models import Activity, Goal, Observation

from ..factories import make_indicator, make_plan, make_plan_tree

TOO_LARGE = "Arbetsboken är för stor för att importeras"


def _xlsx(build) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(excel.HEADERS)
    build(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with the first sheet's XML changed."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(item, body)
    return out.getvalue()


def dimension_bomb() -> bytes:
    """A few kilobytes that declare A1:XFD1048576, with cells in column XFD."""
    return _xlsx(lambda sheet: sheet.cell(row=1_048_576, column=16_384, value="x"))


def test_the_dimension_bomb_is_small_and_declares_the_whole_sheet():
    data = dimension_bomb()
    assert len(data) < 10_000
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )


def test_plan_import_refuses_the_dimension_bomb_with_a_swedish_error(client_for, agreement, member):
    make_plan(agreement, 2024)
    response = client_for(member).post(
        reverse("plans:plan-import", args=[agreement.pk, 2024]),
        {"file": SimpleUploadedFile("plan.xlsx", dimension_bomb())},
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert TOO_LARGE in page and "1048576 rader, högst 60000" in page
    assert not Goal.objects.exists() and not Activity.objects.exists()


def test_the_bomb_is_refused_before_openpyxl_loads_it(monkeypatch):
    def must_not_load(*args, **kwargs):
        raise AssertionError("loaded a workbook that should have been refused")

    monkeypatch.setattr("pitebra.limits.load_workbook", must_not_load)
    with pytest.raises(ValidationError) as refused:
        open_workbook(dimension_bomb())
    assert refused.value.code == "too_large"


def test_too_many_declared_columns_are_refused():
    data = _xlsx(lambda sheet: sheet.cell(row=2, column=500, value="x"))
    with pytest.raises(ValidationError) as refused:
        check_workbook(data)
    assert "500 kolumner, högst 60" in refused.value.messages[0]


def test_a_workbook_that_unpacks_too_large_is_refused(settings):
    settings.PITEBRA_XLSX_MAX_UNCOMPRESSED_MB = 1
    data = _xlsx(lambda sheet: sheet.append(["x" * 30_000] * 40))  # 1.2 MB of text, zipped small
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as refused:
        open_workbook(data)
    assert "uppackad, högst 1 MB" in refused.value.messages[0]


def test_a_sheet_without_a_dimension_is_capped_while_read(settings):
    """openpyxl pads every missing row up to the last one; the cap stops it at the limit."""
    settings.PITEBRA_IMPORT_MAX_ROWS = 100
    data = _xlsx(lambda sheet: sheet.cell(row=1_048_576, column=1, value="x"))
    data = _rewrite_sheet(data, lambda body: re.sub(rb"<dimension [^>]*/>", b"", body))
    check_workbook(data)  # nothing declared, nothing to refuse up front
    sheet = open_workbook(data).worksheets[0]
    read = []
    with pytest.raises(ValidationError) as refused:
        for row in sheet_rows(sheet):
            read.append(row)
    assert len(read) == 101  # the header and 100 rows, not a million
    assert "mer än 100 rader" in refused.value.messages[0]


def test_a_lying_dimension_is_capped_too(settings, agreement):
    settings.PITEBRA_IMPORT_MAX_ROWS = 100
    data = _xlsx(lambda sheet: sheet.cell(row=50_000, column=20, value="x"))
    data = _rewrite_sheet(data, lambda body: re.sub(rb'ref="A1:T50000"', b'ref="A1:T2"', body))
    with pytest.raises(TableError, match="mer än 100 rader"):
        PlanPreview(plan=make_plan(agreement, 2024), data=data)


def test_a_broken_file_is_a_swedish_error():
    with pytest.raises(ValidationError) as refused:
        open_workbook(b"PK\x03\x04 not really a zip")
    assert refused.value.messages == ["Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)."]


# JSON ------------------------------------------------------------------------------------


def test_kolada_upload_of_400_kb_nested_brackets_is_a_swedish_error(client_for, agreement, member):
    make_indicator(agreement, kolada_kpi="N07540")
    response = client_for(member).post(
        reverse("plans:import-kolada", args=[agreement.pk]),
        {"file": SimpleUploadedFile("kolada.json", b"[" * 400_000)},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Filen är nästlad djupare än 20 nivåer" in response.content.decode()
    assert not Observation.objects.exists()


def test_valid_but_deep_json_is_refused_and_brackets_in_strings_do_not_count():
    with pytest.raises(ValidationError) as refused:
        load_json(json.dumps(json.loads("[" * 25 + "]" * 25)).encode())
    assert refused.value.code == "too_deep"
    assert load_json(b'{"values": [], "note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"["}') == {
        "values": [],
        "note": '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["[',
    }


def test_json_larger_than_the_limit_is_refused(settings):
    settings.PITEBRA_JSON_MAX_KB = 1
    with pytest.raises(ValidationError) as refused:
        load_json(b" " * 2000 + b"{}")
    assert refused.value.messages == ["Filen är större än 1 kB."]


# Error lists ----------------------------------------------------------------------------


def test_a_50000_line_invalid_csv_answers_with_50_errors_and_a_count(client_for, agreement, member):
    upload = SimpleUploadedFile(
        "values.csv", b"Indikator;Period;Omr\xe5de;V\xe4rde\n" + b"x;2024;kommun;fel\n" * 50_000
    )
    response = client_for(member).post(
        reverse("plans:import-csv", args=[agreement.pk]), {"file": upload}
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert len(page) < 100_000  # not megabytes
    assert page.count("<li>Rad ") == 50
    assert "Rad 51:" in page and "Rad 52:" not in page  # row 1 holds the column names
    assert "Och 49950 fel till, som inte visas." in page
    assert not Observation.objects.exists()


def test_a_200000_line_file_is_refused_before_it_is_read_through(client_for, agreement, member):
    upload = SimpleUploadedFile(
        "values.csv", b"Indikator;Period;Omr\xe5de;V\xe4rde\n" + b"x;2024;kommun;1\n" * 200_000
    )
    page = (
        client_for(member)
        .post(reverse("plans:import-csv", args=[agreement.pk]), {"file": upload})
        .content.decode()
    )
    assert "Filen har fler än 60000 rader." in page
    assert not Observation.objects.exists()


def test_cap_errors_keeps_short_lists_whole():
    assert cap_errors(["a", "b"]).shown == ["a", "b"]
    assert cap_errors(["a", "b"]).hidden == 0
    capped = cap_errors(str(n) for n in range(120))
    assert (len(capped.shown), capped.hidden, len(capped)) == (50, 70, 120)


# Control characters ---------------------------------------------------------------------


def test_a_title_with_a_vertical_tab_is_refused_and_nothing_saved(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    response = client_for(member).post(
        reverse("plans:activity-create", args=[agreement.pk, strategy.pk]),
        {
            "strategy": strategy.pk,
            "title": "Trygghetsvandring\x0bÖjebyn",
            "responsible_organisation": agreement.municipality_id,
            "contact_name": "Anna Andersson",
            "status": "planned",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Texten innehåller ett osynligt styrtecken" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("char", ["\x01", "\x0b", "\x0c", "\x1b", "\x1f", "\r"])
def test_every_text_field_refuses_control_characters(agreement, char):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = Activity.objects.get()
    for name in ("title", "description", "contact_name", "places"):
        setattr(activity, name, f"före{char}efter")
        with pytest.raises(ValidationError) as refused:
            activity.full_clean()
        assert refused.value.error_dict[name][0].code == "control_character"
        setattr(activity, name, "")
        activity.title = "Aktivitet"


def test_tab_newline_and_crlf_are_kept_with_one_line_ending(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    response = client_for(member).post(
        reverse("plans:activity-create", args=[agreement.pk, strategy.pk]),
        {
            "strategy": strategy.pk,
            "title": "Nattvandring",
            "description": "Rad ett\r\nRad\ttvå\nRad tre",
            "responsible_organisation": agreement.municipality_id,
            "contact_name": "Anna Andersson",
            "status": "planned",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Activity.objects.get().description == "Rad ett\nRad\ttvå\nRad tre"


def test_an_excel_import_with_a_vertical_tab_names_the_row_and_column(agreement):
    """However a reader comes by it (here a CSV file), the row is refused by name."""
    row = ["Område", "Mål", "Strategi", "", "Trygghets\x0bvandring"]
    row += [""] * (len(excel.HEADERS) - len(row))
    data = "\n".join(";".join(r) for r in (excel.HEADERS, row)).encode()
    errors = PlanPreview(plan=make_plan(agreement, 2024), data=data).errors
    assert "Rad 2: kolumnen ”Åtgärd (aktivitet)”: Texten innehåller ett osynligt styrtecken" in (
        " ".join(errors)
    )

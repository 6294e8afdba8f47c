"""Reading the file a user has: formats, encodings, separators, the header row, synonyms."""

import datetime
import io

import pytest
import xlwt

from plans.imports.columns import FACT_FIELDS, PLAN_FIELDS, map_columns
from plans.imports.table import TableError, read_table

ROWS = [["Indikator", "Period", "Område", "Värde"], ["Anmälda brott", "2024", "Piteå", "8 120,5"]]


def _csv(delimiter, encoding, rows=ROWS):
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), (";", "utf-8"), (";", "cp1252"), (",", "utf-8"), ("\t", "cp1252")],
)
def test_csv_in_either_encoding_with_any_usual_separator(delimiter, encoding):
    table = read_table(_csv(delimiter, encoding), FACT_FIELDS)
    assert table.headers == ROWS[0]
    assert table.rows == [(2, ROWS[1])]


def test_csv_with_lone_carriage_returns_from_old_mac_excel_is_read():
    text = "\r".join(";".join(r) for r in ROWS)
    table = read_table(text.encode("cp1252"), FACT_FIELDS)
    assert table.headers == ROWS[0]
    assert table.rows == [(2, ROWS[1])]


def test_a_broken_csv_is_refused_with_its_line_not_a_crash():
    # Found by the property test (tests/test_forms_property.py): an upload of b"\r\x01".
    with pytest.raises(TableError):
        read_table(b"\r\x01", FACT_FIELDS)
    with pytest.raises(TableError):
        read_table(b"\r\x01", PLAN_FIELDS)


def test_xls_from_old_excel_is_read_with_real_dates():
    book = xlwt.Workbook()
    sheet = book.add_sheet("Plan")
    sheet.write(0, 0, "Genomförandeplan 2025")
    for column, header in enumerate(["Aktivitet", "Ansvarig", "Startdatum"]):
        sheet.write(2, column, header)
    sheet.write(3, 0, "Nattvandring")
    sheet.write(3, 1, "Polisen")
    sheet.write(3, 2, datetime.datetime(2025, 3, 7), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), PLAN_FIELDS)
    assert table.header_line == 3
    assert table.skipped == [(1, "title"), (2, "blank")]
    assert table.rows == [(4, ["Nattvandring", "Polisen", datetime.datetime(2025, 3, 7)])]


def test_title_note_blank_and_total_rows_are_skipped_and_named():
    rows = [
        ["Brottsstatistik Piteå"],
        ["Källa: Kolada, uttag 2025-01-15"],
        [],
        *ROWS,
        [],
        ["Totalt", "", "", "8 120,5"],
        ["Källa: BRÅ"],
    ]
    table = read_table(_csv(";", "utf-8", rows), FACT_FIELDS)
    assert table.header_line == 4
    assert table.skipped == [(1, "title"), (2, "title"), (3, "blank"), (7, "total"), (8, "note")]
    assert [line for line, _cells in table.rows] == [5]
    assert table.blank == 1


def test_a_file_that_is_neither_refuses_clearly():
    with pytest.raises(TableError):
        read_table(b"\x00\x01\x02", FACT_FIELDS)
    with pytest.raises(TableError):
        read_table(b"PK\x03\x04 not really a workbook", FACT_FIELDS)


@pytest.mark.parametrize(
    ("fields", "field"),
    [(PLAN_FIELDS, f) for f in PLAN_FIELDS] + [(FACT_FIELDS, f) for f in FACT_FIELDS],
    ids=lambda v: getattr(v, "key", ""),
)
def test_every_synonym_of_every_column_is_recognised(fields, field):
    for synonym in field.synonyms:
        assert map_columns([synonym.upper(), "Något helt annat"], fields) == [field.key, ""], (
            synonym
        )


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ansvarig organistion", "responsible_organisation"),  # a typo
        ("Aktivitet/ åtgärd", "title"),
        ("Samverkans parter", "partners"),
        ("Kontakt person", "contact"),
        ("Mål grupp", "target_group"),
    ],
)
def test_near_spellings_match_by_fuzzy_comparison(header, field):
    assert map_columns([header], PLAN_FIELDS) == [field]


def test_each_field_is_taken_by_one_column_only():
    assert map_columns(["Aktivitet", "Åtgärd", "Insats"], PLAN_FIELDS) == ["title", "", ""]

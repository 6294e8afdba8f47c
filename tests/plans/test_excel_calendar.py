"""The plan in Excel (export, import, round trip, bad files) and the iCal feed."""

import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from plans import excel
from plans.imports.plan import PlanPreview
from plans.imports.save import plan_import_save
from plans.imports.table import TableError
from plans.models import Activity, Goal, Strategy

from ..factories import (
    make_activity,
    make_cause,
    make_organisation,
    make_picture,
    make_plan,
    make_plan_tree,
    make_priority_area,
    make_problem,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def full_plan(agreement, member):
    make_priority_area(agreement, name="Barn och unga")
    make_priority_area(agreement, name="Trygga miljöer")
    plan, strategy = make_plan_tree(agreement, activities=0)
    partner = make_organisation(name="Strömbackaskolan", agreement=agreement)
    make_activity(
        strategy,
        title="Föräldraträffar",
        description="Om droger, åk 7",
        operational_goal="Tre träffar",
        start=datetime.date(2024, 9, 1),
        end=datetime.date(2024, 11, 30),
        contact_user=member,
        partners=[partner],
        status="ongoing",
        traffic_light="yellow",
        traffic_light_comment="Svårt att nå alla",
        target_group="Föräldrar",
        places="Centrum, Öjebyn",
        estimated_hours="12.5",
        estimated_cost="1500.00",
        follow_up="Räkna deltagare",
    )
    night = make_activity(
        strategy, title="Nattvandring", contact_name="Lisa i föreningen", status="planned"
    )
    problem = make_problem(make_picture(agreement, 2024), title="Otrygghet i centrum")
    night.causes.set([make_cause(problem, description="Få vuxna ute på kvällarna")])
    return plan


def _snapshot(plan):
    return list(excel.plan_rows(plan))


def test_export_xlsx_has_bra_columns_and_a_row_per_activity(
    client_for, agreement, member, full_plan
):
    response = client_for(member).get(reverse("plans:plan-export-xlsx", args=[agreement.pk, 2024]))
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert list(rows[0]) == excel.HEADERS
    for column in [
        "Åtgärd (aktivitet)",
        "Operativa mål",
        "Start",
        "Ansvarig organisation",
        "Uppföljning",
    ]:
        assert column in rows[0]
    title = rows[0].index("Åtgärd (aktivitet)")
    assert [r[title] for r in rows[1:]] == ["Föräldraträffar", "Nattvandring"]


def test_export_csv_is_semicolon_separated_with_swedish_decimals(
    client_for, agreement, member, full_plan
):
    response = client_for(member).get(reverse("plans:plan-export-csv", args=[agreement.pk, 2024]))
    text = response.content.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Prioriterat område;Mål;Strategi;Orsak;Åtgärd (aktivitet)")
    assert ";12,5;1500,00;" in first


def _import(plan, data):
    preview = PlanPreview(plan=plan, data=data)
    assert preview.errors == []
    return preview, plan_import_save(preview=preview)


def test_xlsx_round_trip_gives_the_same_plan(agreement, full_plan):
    data = excel.to_xlsx(full_plan)
    target = make_plan(agreement, 2025)
    preview, _counts = _import(target, data)
    assert preview.questions == []  # every name in PiteBra's own export is known
    assert _snapshot(target) == _snapshot(full_plan)
    # Importing the same file again changes nothing and duplicates nothing.
    preview, counts = _import(target, data)
    assert counts == {"created": 0, "updated": 0, "unchanged": 2}
    assert _snapshot(target) == _snapshot(full_plan)
    assert Activity.objects.in_plan(target).count() == 2
    night = Activity.objects.in_plan(target).get(title="Nattvandring")
    assert [c.description for c in night.causes.all()] == ["Få vuxna ute på kvällarna"]


def _workbook(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or excel.HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(**kw):
    values = {
        "priority_area": "Barn och unga",
        "goal": "Mål A",
        "strategy": "Strategi A",
        "title": "Aktivitet A",
        "responsible_organisation": "Kommun X",
        "status": "Planerad",
    }
    values.update(kw)
    return [values.get(key, "") for key, _h in excel.COLUMNS]


def test_bad_rows_give_line_numbered_errors_and_save_nothing(agreement, member):
    make_priority_area(agreement, name="Barn och unga")
    plan = make_plan(agreement, 2024)
    data = _workbook(
        [
            _row(),
            _row(title="", goal="Mål utan aktivitet"),
            _row(title="C", estimated_hours="tio"),
            _row(title="D", description="Kontakt 19121212-1212"),
            _row(title="B", start="2024-13-01"),
        ]
    )
    preview = PlanPreview(plan=plan, data=data)
    assert preview.errors == [
        "Rad 3: aktiviteten saknar namn.",
        "Rad 4: ”tio” är inte ett tal.",
        "Rad 5: texten innehåller ett personnummer.",
    ]
    # A date it cannot read is kept as text and flagged, not refused.
    row = next(r for r in preview.rows if r.title == "B")
    assert "Start: 2024-13-01" in row.values["description"]
    assert row.warnings == [
        "”2024-13-01” är inget datum som PiteBra kan läsa; det sparas i beskrivningen."
    ]


def test_a_file_without_column_names_is_refused(agreement):
    plan = make_plan(agreement, 2024)
    with pytest.raises(TableError, match="Ingen rad med kolumnnamn hittades"):
        PlanPreview(plan=plan, data=_workbook([["Eva", 42]], headers=["Namn", "Ålder"]))


def test_import_page_previews_then_commits_all_or_nothing(client_for, agreement, member):
    make_priority_area(agreement, name="Barn och unga")
    agreement.municipality.name = "Kommun X"
    agreement.municipality.save()
    plan = make_plan(agreement, 2024)
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2024])

    bad = _workbook([_row(), _row(title="", goal="B")])
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", bad)}).content.decode()
    assert "Ingenting importerades" in page and "Rad 3:" in page
    assert client.post(url, {"columns": "20", "confirm": "1"}).status_code == HTTPStatus.OK
    assert not Goal.objects.exists()

    good = _workbook([_row(), _row(title="B", strategy="Strategi B")])
    preview = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", good)})
    assert "Förhandsgranskning: 2 nya, 0 ändrade, 0 oförändrade" in preview.content.decode()
    assert not Activity.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert Activity.objects.in_plan(plan).count() == 2
    assert Strategy.objects.filter(goal__plan=plan).count() == 2


def test_import_refuses_a_file_that_is_neither_a_workbook_nor_text(client_for, agreement, member):
    make_plan(agreement, 2024)
    url = reverse("plans:plan-import", args=[agreement.pk, 2024])
    client = client_for(member)
    for content, message in (
        (b"\x00\x01binary\x00", "Filen är ingen Excel-arbetsbok (.xlsx, .xls) eller CSV-textfil."),
        (b"PK\x03\x04broken", "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)."),
    ):
        page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", content)})
        assert page.status_code == HTTPStatus.OK
        assert message in page.content.decode()


def test_calendar_feed_needs_the_secret_and_lists_activities(
    client, client_for, agreement, member, other_agreement
):
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(
        strategy,
        title="Trygghetsvandring, Öjebyn",
        start=datetime.date(2024, 10, 8),
        end=datetime.date(2024, 10, 8),
    )
    make_activity(strategy, title="Utan datum")
    _, foreign = make_plan_tree(other_agreement, activities=0)
    make_activity(foreign, title="Annan kommuns aktivitet", start=datetime.date(2024, 1, 1))

    logged_in = client_for(member)
    logged_in.post(reverse("calendar-reset"))
    page = logged_in.get(reverse("calendar")).content.decode()
    token = re.search(r"/calendar/([\w-]+)\.ics", page).group(1)
    assert len(token) >= 40
    member.refresh_from_db()
    assert token not in member.calendar_token_hash  # only its SHA-256 is stored
    # Shown once: the next visit no longer shows the link.
    assert token not in logged_in.get(reverse("calendar")).content.decode()
    logged_in.logout()

    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Trygghetsvandring\\, Öjebyn" in body
    assert "DTSTART;VALUE=DATE:20241008" in body and "DTEND;VALUE=DATE:20241009" in body
    assert "Utan datum" not in body and "Annan kommuns" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))

    assert client.get("/calendar/wrong-token.ics").status_code == HTTPStatus.NOT_FOUND
    client_for(member).post(reverse("calendar-reset"))
    assert client.get(f"/calendar/{token}.ics").status_code == HTTPStatus.NOT_FOUND


def test_an_export_with_a_goal_without_activities_imports_back(agreement, full_plan):
    """The export lists goals and strategies without activities; the import skips those rows
    (saying so) instead of refusing the whole file."""
    from ..factories import make_goal, make_strategy

    empty_goal = make_goal(full_plan, title="Mål utan aktiviteter än")
    make_strategy(empty_goal, title="Strategi som väntar")
    data = excel.to_xlsx(full_plan)
    target = make_plan(agreement, 2025)
    preview, counts = _import(target, data)
    assert counts["created"] == 2
    assert any("utan aktiviteter" in str(message) for message in preview.messages)
    assert Activity.objects.in_plan(target).count() == 2

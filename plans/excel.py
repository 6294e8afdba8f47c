"""The plan as a spreadsheet: one row per activity with Brå's columns and every field.

Export to .xlsx and .csv. Importing (this layout or a group's own) lives in `plans.imports`.
"""

import csv
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from pitebra.spreadsheets import csv_value, xlsx_append

from .models import Activity

# (key, header): the headers are the workbook's contract and stay Swedish in any language.
COLUMNS = [
    ("priority_area", "Prioriterat område"),
    ("goal", "Mål"),
    ("strategy", "Strategi"),
    ("causes", "Orsak"),
    ("title", "Åtgärd (aktivitet)"),
    ("description", "Beskrivning"),
    ("operational_goal", "Operativa mål"),
    ("start", "Start"),
    ("end", "Slut"),
    ("responsible_organisation", "Ansvarig organisation"),
    ("contact", "Kontaktperson"),
    ("partners", "Samverkansparter"),
    ("status", "Status"),
    ("traffic_light", "Trafikljus"),
    ("traffic_light_comment", "Kommentar till bedömning"),
    ("target_group", "Målgrupp"),
    ("places", "Platser"),
    ("estimated_hours", "Beräknade timmar"),
    ("estimated_cost", "Beräknad kostnad (kr)"),
    ("follow_up", "Uppföljning"),
]
HEADERS = [header for _key, header in COLUMNS]
STATUS_BY_LABEL = {
    "planerad": "planned",
    "pågår": "ongoing",
    "klar": "done",  # older exports said "Klar"; the app says "Klart"
    "klart": "done",
    "uppskjuten": "postponed",
    "inställd": "cancelled",
}
LABEL_BY_STATUS = {v: k.capitalize() for k, v in STATUS_BY_LABEL.items()}
LIGHT_BY_LABEL = {"grön": "green", "gul": "yellow", "röd": "red", "": ""}
LABEL_BY_LIGHT = {v: k.capitalize() for k, v in LIGHT_BY_LABEL.items()}


def plan_rows(plan):
    """The plan's activities as rows of plain values, in tree order."""
    activities = Activity.objects.in_plan(plan).with_tree().in_plan_order()
    by_strategy = {}
    for a in activities:
        by_strategy.setdefault(a.strategy_id, []).append(a)
    # Goals and strategies without activities get a row of their own, so nothing of the plan
    # is left out of the file (and importing it again recreates them).
    goals = plan.goals.select_related("priority_area").prefetch_related("strategies")
    for goal in goals.order_by("priority_area__position", "position", "pk"):
        strategies = sorted(goal.strategies.all(), key=lambda s: (s.position, s.pk))
        if not strategies:
            yield [goal.priority_area.name, goal.title] + [None] * (len(COLUMNS) - 2)
        for strategy in strategies:
            rows = by_strategy.get(strategy.pk, [])
            if not rows:
                yield [goal.priority_area.name, goal.title, strategy.title] + [None] * (
                    len(COLUMNS) - 3
                )
            yield from (_activity_row(a) for a in rows)


def _activity_row(a):
    goal = a.strategy.goal
    return [
        goal.priority_area.name,
        goal.title,
        a.strategy.title,
        "; ".join(c.description for c in a.causes.all()),
        a.title,
        a.description,
        a.operational_goal,
        a.start,
        a.end,
        a.responsible_organisation.name,
        a.contact,
        ", ".join(sorted(p.name for p in a.partners.all())),
        LABEL_BY_STATUS[a.status],
        LABEL_BY_LIGHT[a.traffic_light],
        a.traffic_light_comment,
        a.target_group,
        a.places,
        a.estimated_hours,
        a.estimated_cost,
        a.follow_up,
    ]


def to_xlsx(plan) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Genomförandeplan {plan.year}"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in plan_rows(plan):
        xlsx_append(sheet, row)
    for column in ("H", "I"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_csv(plan) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with å, ä, ö only with the byte-order mark
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for row in plan_rows(plan):
        writer.writerow(
            [
                v.isoformat()
                if isinstance(v, datetime.date)
                else str(v).replace(".", ",")
                if isinstance(v, Decimal)
                else ("" if v is None else csv_value(v))
                for v in row
            ]
        )
    return out.getvalue()

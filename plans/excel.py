"""The plan as a spreadsheet: one row per activity with Brå's columns and every field.

Export to .xlsx and .csv; import an .xlsx of the same layout, all-or-nothing, with errors that
name the row. Re-importing the same file updates the same activities instead of duplicating.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pitebra.limits import open_workbook, sheet_rows
from pitebra.models import Organisation, User
from pitebra.spreadsheets import csv_value, imported_text, xlsx_append
from pitebra.validators import find_personal_identity_numbers, validate_free_text
from pitebra.versioning import StaleVersion
from pitebra.versioning.history import one_entry_per_save

from .models import Activity, Cause, Goal, Strategy

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
    activities = (
        Activity.objects.in_plan(plan)
        .with_tree()
        .order_by(
            "strategy__goal__priority_area__position",
            "strategy__goal__position",
            "strategy__goal__pk",
            "strategy__position",
            "strategy__pk",
            "position",
            "pk",
        )
    )
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


@dataclass
class ImportRow:
    line: int
    values: dict


def parse_xlsx(data: bytes, plan):
    """(rows, errors): every row checked; errors are 'Rad N: …' messages, in Swedish."""
    try:
        workbook = open_workbook(data)
    except ValidationError as error:
        return [], list(error.messages)
    try:
        return _parse_sheet(workbook.worksheets[0], plan)
    except ValidationError as error:
        return [], list(error.messages)
    finally:
        workbook.close()


def _parse_sheet(sheet, plan):
    rows_iter = sheet_rows(sheet)
    header = [str(v).strip() if v is not None else "" for v in next(rows_iter, [])]
    header = header[: len(HEADERS)]
    if header != HEADERS:
        missing = [h for h in HEADERS if h not in header]
        return [], [
            _("Row 1: the columns do not match the plan's layout. Expected: %(expected)s.")
            % {"expected": "; ".join(HEADERS)}
            + (
                " " + _("Missing: %(missing)s.") % {"missing": "; ".join(missing)}
                if missing
                else ""
            )
        ]
    areas = {a.name.casefold(): a for a in plan.agreement.priority_areas.all()}
    orgs = {o.name.casefold(): o for o in Organisation.objects.of_agreement(plan.agreement)}
    members = {
        str(u).casefold(): u
        for u in User.objects.filter(memberships__agreement=plan.agreement).distinct()
    }
    causes = {
        c.description.casefold(): c
        for c in Cause.objects.filter(problem__picture__agreement=plan.agreement).order_by("pk")
    }
    rows, errors = [], []
    for line, raw in enumerate(rows_iter, start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        cells = dict(zip([k for k, _h in COLUMNS], list(raw) + [None] * len(COLUMNS), strict=False))
        row_errors = []
        values = _clean_row(cells, areas, orgs, members, causes, row_errors)
        errors.extend(_("Row %(line)s: %(error)s") % {"line": line, "error": e} for e in row_errors)
        rows.append(ImportRow(line, values))
    if not rows and not errors:
        errors.append(_("The file has no activities below the header row."))
    return rows, errors


def _text(value):
    return "" if value is None else imported_text(str(value).strip())


def _clean_row(cells, areas, orgs, members, causes, errors):
    v = {key: _text(cells[key]) for key, _h in COLUMNS}
    if v["goal"] and not any(v[key] for key, _h in COLUMNS[3:]):
        # A goal or strategy without activities (as the export writes them).
        area = areas.get(v["priority_area"].casefold())
        if area is None:
            errors.append(_("unknown priority area “%(name)s”.") % {"name": v["priority_area"]})
        return {"priority_area": area, "goal": v["goal"], "strategy": v["strategy"], "fields": None}
    for key in ("goal", "strategy", "title"):
        if not v[key]:
            errors.append(_("the column “%(column)s” is empty.") % {"column": dict(COLUMNS)[key]})
    area = areas.get(v["priority_area"].casefold())
    if area is None:
        errors.append(_("unknown priority area “%(name)s”.") % {"name": v["priority_area"]})
    org = orgs.get(v["responsible_organisation"].casefold())
    if org is None:
        errors.append(
            _("unknown organisation “%(name)s”.") % {"name": v["responsible_organisation"]}
        )
    partners = []
    for name in filter(None, (p.strip() for p in v["partners"].split(","))):
        partner = orgs.get(name.casefold())
        if partner is None:
            errors.append(_("unknown organisation “%(name)s”.") % {"name": name})
        else:
            partners.append(partner)
    linked_causes = []
    for text in filter(None, (c.strip() for c in v["causes"].split(";"))):
        cause = causes.get(text.casefold())
        if cause is None:
            errors.append(_("unknown cause “%(name)s”.") % {"name": text})
        else:
            linked_causes.append(cause)
    status = STATUS_BY_LABEL.get(v["status"].casefold()) if v["status"] else "planned"
    if status is None:
        errors.append(
            _("unknown status “%(value)s” (use %(choices)s).")
            % {"value": v["status"], "choices": ", ".join(LABEL_BY_STATUS.values())}
        )
    light = LIGHT_BY_LABEL.get(v["traffic_light"].casefold())
    if light is None:
        errors.append(_("unknown traffic light “%(value)s”.") % {"value": v["traffic_light"]})
    start = _date(cells["start"], "Start", errors)
    end = _date(cells["end"], "Slut", errors)
    if start and end and start > end:
        errors.append(_("the start is after the end."))
    hours = _decimal(cells["estimated_hours"], "Beräknade timmar", errors)
    cost = _decimal(cells["estimated_cost"], "Beräknad kostnad (kr)", errors)
    for key in (
        "title",
        "description",
        "operational_goal",
        "traffic_light_comment",
        "target_group",
        "follow_up",
    ):
        try:
            validate_free_text(v[key])
        except ValidationError as error:
            errors.append(
                _("the column “%(column)s”: %(error)s")
                % {"column": dict(COLUMNS)[key], "error": error.messages[0]}
            )
        if find_personal_identity_numbers(v[key]):
            errors.append(
                _("the column “%(column)s” contains a personal identity number.")
                % {"column": dict(COLUMNS)[key]}
            )
    contact_user = members.get(v["contact"].casefold())
    return {
        "priority_area": area,
        "goal": v["goal"],
        "strategy": v["strategy"],
        "fields": {
            "title": v["title"],
            "description": v["description"],
            "operational_goal": v["operational_goal"],
            "start": start,
            "end": end,
            "responsible_organisation": org,
            "contact_user": contact_user,
            "contact_name": "" if contact_user else v["contact"],
            "status": status,
            "traffic_light": light,
            "traffic_light_comment": v["traffic_light_comment"],
            "target_group": v["target_group"],
            "places": v["places"],
            "estimated_hours": hours,
            "estimated_cost": cost,
            "follow_up": v["follow_up"],
        },
        "partners": partners,
        "causes": linked_causes,
    }


def _date(value, column, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(
            _("“%(value)s” in the column “%(column)s” is not a date (YYYY-MM-DD).")
            % {"value": value, "column": column}
        )
        return None


def _decimal(value, column, errors):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors.append(
            _("“%(value)s” in the column “%(column)s” is not a number.")
            % {"value": value, "column": column}
        )
        return None


def seen_versions(plan) -> dict[str, int]:
    """The version of every activity of the plan as the preview saw it, for `import_rows`."""
    return {str(pk): v for pk, v in Activity.objects.in_plan(plan).values_list("pk", "version")}


@transaction.atomic
def import_rows(*, plan, rows, seen: dict[str, int] | None = None) -> dict:
    """Create or update goals, strategies and activities from checked rows, all or nothing.

    `seen` (from `seen_versions` at the preview) makes each update check that the activity
    is still as it was previewed; without it, the version loaded here is checked, so a save
    by someone else during the import is never overwritten.
    """
    with one_entry_per_save():
        return _import_rows(plan, rows, seen)


def _import_rows(plan, rows, seen):
    counts = {"created": 0, "updated": 0}
    goals = {(g.priority_area_id, g.title.casefold()): g for g in plan.goals.all()}
    strategies = {
        (s.goal_id, s.title.casefold()): s for s in Strategy.objects.filter(goal__plan=plan)
    }
    for row in rows:
        v = row.values
        area = v["priority_area"]
        goal = goals.get((area.pk, v["goal"].casefold()))
        if goal is None:
            goal = Goal.objects.create(
                plan=plan, priority_area=area, title=v["goal"], position=len(goals) + 1
            )
            goals[(area.pk, v["goal"].casefold())] = goal
        if not v["strategy"]:
            continue
        strategy = strategies.get((goal.pk, v["strategy"].casefold()))
        if strategy is None:
            strategy = Strategy.objects.create(goal=goal, title=v["strategy"], position=row.line)
            strategies[(goal.pk, v["strategy"].casefold())] = strategy
        if v["fields"] is None:
            continue
        activity = strategy.activities.filter(title=v["fields"]["title"]).first()
        if activity is None:
            activity = Activity(strategy=strategy, position=row.line)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        for name, value in v["fields"].items():
            setattr(activity, name, value)
        activity.full_clean(exclude=["strategy"])
        if seen is not None and activity.pk is not None:
            activity.version = seen.get(str(activity.pk), 0)
        try:
            activity.save()
        except StaleVersion as stale:
            raise ValidationError(
                _(
                    "Row %(line)s: “%(title)s” was changed by someone else after the preview. "
                    "Nothing was imported: upload the file again to see the plan as it is now."
                )
                % {"line": row.line, "title": stale.current.title},
                code="stale",
            ) from stale
        activity.partners.set(v["partners"])
        activity.causes.set(v["causes"])
    return counts

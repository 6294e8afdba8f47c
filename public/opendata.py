"""Open data: every public table as rows, from `content` only, with its columns described in
Swedish and English (the README). CSV comes in two variants: UTF-8 with a BOM and `;` (what
Swedish Excel opens as columns) and plain UTF-8 with `,`."""

import csv
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pitebra.links import row_link
from plans.models import Goal

from . import content


@dataclass(frozen=True)
class Column:
    name: str
    sv: str
    en: str


@dataclass(frozen=True)
class Table:
    name: str
    title_sv: str
    title_en: str
    columns: tuple


def col(name, sv, en):
    return Column(name, sv, en)


AGREEMENT = col("agreement_id", "Överenskommelsens id", "The agreement's id")
YEAR = col("year", "Verksamhetsår", "Operating year")
URL = col("url", "Stabil adress till posten", "Stable address of the record")

TABLES = {
    t.name: t
    for t in [
        Table(
            "agreements",
            "Överenskommelser",
            "Agreements",
            (
                AGREEMENT,
                col("title", "Titel", "Title"),
                col("municipality", "Kommun", "Municipality"),
                col("municipality_org_number", "Kommunens organisationsnummer", "Its org. no."),
                col("police_area", "Lokalpolisområde", "Local police area"),
                col("first_year", "Första verksamhetsår", "First operating year"),
                col("last_year", "Sista verksamhetsår", "Last operating year"),
                col("revise_by", "Revideras senast", "Revise by"),
                col("contact", "Kontaktadress", "Contact address"),
                URL,
            ),
        ),
        Table(
            "goals",
            "Prioriterade områden och mål",
            "Priority areas and goals",
            (
                AGREEMENT,
                YEAR,
                col("goal_id", "Målets id", "The goal's id"),
                col("priority_area", "Prioriterat område", "Priority area"),
                col("overarching_goal", "Övergripande mål", "Overarching goal"),
                col("goal", "Mål", "Goal"),
                col("target_value", "Målvärde", "Target value"),
                col("target_year", "Målår", "Target year"),
            ),
        ),
        Table(
            "promises",
            "Medborgarlöften och hur de går",
            "Citizen promises and their progress",
            (
                AGREEMENT,
                YEAR,
                col("promise_id", "Löftets id", "The promise's id"),
                col("promise", "Medborgarlöfte", "Citizen promise"),
                col("responsible", "Ansvarig part", "Responsible party"),
                col("target_count", "Mål (antal)", "Target (count)"),
                col("target_period", "Per (week/month/year)", "Per (week/month/year)"),
                col("unit", "Vad som räknas", "What is counted"),
                col("counted", "Räknat hittills under året", "Counted so far this year"),
                col("periods_completed", "Avslutade perioder", "Periods completed"),
                col("periods_met", "Perioder där målet nåddes", "Periods where the target was met"),
                col("counted_on", "Räknat per dag", "Counted as of"),
                URL,
            ),
        ),
        Table(
            "activities",
            "Offentliga aktiviteter",
            "Public activities",
            (
                AGREEMENT,
                YEAR,
                col("activity_id", "Aktivitetens id", "The activity's id"),
                col("priority_area", "Prioriterat område", "Priority area"),
                col("goal", "Mål", "Goal"),
                col("title", "Aktivitet", "Activity"),
                col("description", "Beskrivning", "Description"),
                col("operational_goal", "Verksamhetsmål", "Operational goal"),
                col("target_group", "Målgrupp", "Target group"),
                col("responsible", "Ansvarig organisation", "Responsible organisation"),
                col("start", "Start", "Start"),
                col("end", "Slut", "End"),
                col("status", "Status (planned/ongoing/done/postponed/cancelled)", "Status"),
                col("districts", "Stadsdelar (kommatecken)", "Districts (comma-separated)"),
                URL,
            ),
        ),
        Table(
            "reports",
            "Publicerade årsrapporter",
            "Published year-end reports",
            (
                AGREEMENT,
                YEAR,
                col("version", "Version (en rättelse är en ny version)", "Version"),
                col("published_at", "Publicerad", "Published at"),
                col("correction_reason", "Skäl till rättelse", "Reason for the correction"),
                col("size_bytes", "Storlek i byte", "Size in bytes"),
                col("sha256", "SHA-256", "SHA-256"),
                URL,
            ),
        ),
    ]
}


def absolute(path):
    return settings.SITE_URL + path


def rows(table, agreements=None, today=None):
    """The table's rows (dicts keyed by column name) for the public agreements given."""
    today = today or timezone.localdate()
    agreements = list(agreements if agreements is not None else content.public_agreements())
    builder = globals()[f"_{table}"]
    return [row for agreement in agreements for row in builder(agreement, today)]


def _agreements(agreement, today):
    yield {
        "agreement_id": agreement.pk,
        "title": agreement.title,
        "municipality": agreement.municipality.name,
        "municipality_org_number": agreement.municipality.organisation_number,
        "police_area": agreement.police_area.name,
        "first_year": agreement.first_year,
        "last_year": agreement.last_year,
        "revise_by": agreement.revise_by.isoformat(),
        "contact": agreement.public_contact,
        "url": absolute(reverse("public:agreement", args=[agreement.pk])),
    }


def _goals(agreement, today):
    goals = (
        Goal.objects.filter(plan__in=content.public_plans(agreement))
        .select_related("priority_area", "plan")
        .order_by("plan__year", "priority_area__position", "position", "pk")
    )
    for goal in goals:
        yield {
            "agreement_id": agreement.pk,
            "year": goal.plan.year,
            "goal_id": goal.pk,
            "priority_area": goal.priority_area.name,
            "overarching_goal": goal.priority_area.overarching_goal,
            "goal": content.clean_text(goal.title),
            "target_value": "" if goal.target_value is None else str(goal.target_value),
            "target_year": goal.target_year or "",
        }


def _promises(agreement, today):
    from followup.overview import promises_with_progress

    link = row_link("public:promise", key="promise_pk", pk=agreement.pk)
    for plan in content.public_plans(agreement):
        as_of = min(today, timezone.datetime(plan.year, 12, 31).date())
        for promise, progress in promises_with_progress(plan, as_of):
            yield {
                "agreement_id": agreement.pk,
                "year": plan.year,
                "promise_id": promise.pk,
                "promise": content.clean_text(promise.promise),
                "responsible": promise.responsible_organisation.name,
                "target_count": promise.target_count,
                "target_period": promise.target_period,
                "unit": content.clean_text(promise.unit),
                "counted": progress.total,
                "periods_completed": len(progress.completed),
                "periods_met": progress.completed_met,
                "counted_on": as_of.isoformat(),
                "url": absolute(link(promise.pk)),
            }


def _activities(agreement, today):
    allowed = content.districts(agreement)
    link = row_link("public:activity", key="activity_pk", pk=agreement.pk)
    for plan in content.public_plans(agreement):
        for activity in content.public_activities(plan):
            goal = activity.strategy.goal
            yield {
                "agreement_id": agreement.pk,
                "year": plan.year,
                "activity_id": activity.pk,
                "priority_area": goal.priority_area.name,
                "goal": content.clean_text(goal.title),
                "title": content.clean_text(activity.title),
                "description": content.clean_text(activity.description),
                "operational_goal": content.clean_text(activity.operational_goal),
                "target_group": content.clean_text(activity.target_group),
                "responsible": activity.responsible_organisation.name,
                "start": activity.start.isoformat() if activity.start else "",
                "end": activity.end.isoformat() if activity.end else "",
                "status": activity.status,
                "districts": ", ".join(content.district_list(activity, allowed)),
                "url": absolute(link(activity.pk)),
            }


def _reports(agreement, today):
    for report in content.published_reports(agreement).order_by("report__year", "version"):
        year = report.report.year
        yield {
            "agreement_id": agreement.pk,
            "year": year,
            "version": report.version,
            "published_at": report.published_at.isoformat(),
            "correction_reason": content.clean_text(report.correction_reason),
            "size_bytes": report.size,
            "sha256": report.sha256,
            "url": absolute(reverse("public:report", args=[agreement.pk, year, report.version])),
        }


def to_csv(table, data, *, swedish):
    """CSV text: with a BOM and `;` for Swedish Excel, or plain with `,`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if swedish else ",", lineterminator="\r\n")
    names = [c.name for c in TABLES[table].columns]
    writer.writerow(names)
    for row in data:
        writer.writerow([_csv_safe(row.get(name, "")) for name in names])
    return ("\ufeff" if swedish else "") + out.getvalue()


def _csv_safe(value):
    """A cell a spreadsheet will not run as a formula (=, +, -, @ first)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_json(data):
    return json.dumps(data, ensure_ascii=False, indent=1)


def readme():
    """The columns of every table, in Swedish and English (Markdown)."""
    lines = [
        "# PiteBra – öppna data / open data",
        "",
        "Varje tabell finns som CSV (UTF-8 med BOM och `;`, för svensk Excel), som CSV (UTF-8 "
        "och `,`) och som JSON. Each table comes as CSV (UTF-8 with a BOM and `;`, for Swedish "
        "Excel), as CSV (UTF-8 and `,`) and as JSON. API: `/public/api/v1/<tabell>/` "
        '(`{"values": [...], "count": n, "next_page": url}`, `?agreement=<id>`, `?page=`, '
        "`?per_page=` ≤ 500).",
        "",
        "Inga personuppgifter: inga namn, e-postadresser till personer eller telefonnummer; "
        "platser som mest på stadsdelsnivå. No personal data: no names, personal e-mail "
        "addresses or phone numbers; places at most at district level.",
    ]
    for table in TABLES.values():
        lines += ["", f"## {table.name}: {table.title_sv} / {table.title_en}", ""]
        lines += ["| kolumn / column | svenska | English |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.sv} | {c.en} |" for c in table.columns]
    return "\n".join(lines) + "\n"

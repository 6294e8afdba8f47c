"""Imports of observations: CSV (indicator;period;scope;value) and Kolada's v3 JSON shape.

Parsing never writes; `observations_import` writes all rows or none, and re-importing the same
rows updates them in place (one row per indicator, period, scope and gender).
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from pitebra.models import Agreement

from ..models import Indicator, Observation

Scope = Observation.Scope
MAX_ABS_VALUE = Decimal(10) ** 11
SCOPE_WORDS = {
    "municipality": Scope.MUNICIPALITY,
    "kommun": Scope.MUNICIPALITY,
    "kommunen": Scope.MUNICIPALITY,
    "county": Scope.COUNTY,
    "län": Scope.COUNTY,
    "länet": Scope.COUNTY,
    "region": Scope.COUNTY,
    "country": Scope.COUNTRY,
    "riket": Scope.COUNTRY,
    "hela riket": Scope.COUNTRY,
    "landet": Scope.COUNTRY,
    "sverige": Scope.COUNTRY,
}
HEADER_WORDS = {"indicator", "indikator", "nyckeltal"}
PERIOD = re.compile(r"^(?P<year>\d{4})(?:\s*[-:/ ]\s*(?P<sub>[0-9A-Za-zÅÄÖåäö]{1,20}))?$")
COUNTRY_CODE = "0000"


@dataclass(frozen=True)
class ObservationRow:
    """One parsed row, ready to save; `line` is where it came from (line or record number)."""

    line: int
    indicator: Indicator
    year: int
    subperiod: str
    scope: str
    gender: str
    value: Decimal

    @property
    def key(self):
        return (self.indicator.pk, self.year, self.subperiod, self.scope, self.gender)

    def get_scope_display(self):
        return Scope(self.scope).label


@dataclass
class ParseResult:
    rows: list[ObservationRow]
    errors: list[str]
    skipped: int = 0


def decode_upload(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel saves it in Sweden."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_decimal(text: str) -> Decimal:
    """A number with a decimal comma or point and optional spaces between thousands."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    value = Decimal(cleaned)
    if abs(value) >= MAX_ABS_VALUE:
        raise ValueError(text)
    return value.quantize(Decimal("0.001"))


def _indicator_lookup(agreement: Agreement):
    by_key = {}
    for indicator in Indicator.objects.filter(agreement=agreement):
        by_key[indicator.name.casefold()] = indicator
        if indicator.kolada_kpi:
            by_key.setdefault(indicator.kolada_kpi.casefold(), indicator)
    return by_key


def _check_duplicates(rows, errors, seen):
    for row in rows:
        first = seen.setdefault(row.key, row.line)
        if first != row.line:
            errors.append(
                _("Line %(line)s: the same indicator, period and scope as line %(first)s.")
                % {"line": row.line, "first": first}
            )


def parse_observations_csv(*, agreement: Agreement, text: str) -> ParseResult:
    """Rows `indicator;period;scope;value`; a header line is allowed; errors name the line."""
    indicators = _indicator_lookup(agreement)
    rows, errors = [], []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    for number, cells in enumerate(reader, start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in HEADER_WORDS:
            continue
        if len(cells) != 4:
            errors.append(
                _(
                    "Line %(line)s: expected 4 columns separated by semicolons "
                    "(indicator;period;scope;value), found %(count)s."
                )
                % {"line": number, "count": len(cells)}
            )
            continue
        name, period, scope_text, value_text = cells
        problems = []
        indicator = indicators.get(name.casefold())
        if indicator is None:
            problems.append(_("there is no indicator named “%(name)s”") % {"name": name})
        match = PERIOD.match(period)
        if not match:
            problems.append(
                _("the period “%(period)s” is not a year such as 2024 or 2024-H1")
                % {"period": period}
            )
        scope = SCOPE_WORDS.get(scope_text.casefold())
        if scope is None:
            problems.append(
                _("the scope “%(scope)s” is not one of kommun, län or riket")
                % {"scope": scope_text}
            )
        try:
            value = parse_decimal(value_text)
        except ValueError:
            problems.append(_("the value “%(value)s” is not a number") % {"value": value_text})
        if problems:
            errors.append(
                _("Line %(line)s: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        rows.append(
            ObservationRow(
                line=number,
                indicator=indicator,
                year=int(match["year"]),
                subperiod=(match["sub"] or "").upper(),
                scope=scope,
                gender=Observation.Gender.TOTAL,
                value=value,
            )
        )
    _check_duplicates(rows, errors, {})
    if not rows and not errors:
        errors.append(_("The file holds no rows to import."))
    return ParseResult(rows=rows if not errors else [], errors=errors)


def kolada_scope(municipality_code: str, own_code: str) -> str | None:
    """The scope of a Kolada area: 0000 is the country, 00NN a county, else a municipality."""
    if municipality_code == COUNTRY_CODE:
        return Scope.COUNTRY
    if municipality_code.startswith("00"):
        return Scope.COUNTY
    if not own_code or municipality_code == own_code:
        return Scope.MUNICIPALITY
    return None


def parse_kolada(*, agreement: Agreement, data) -> ParseResult:
    """Kolada v3 data: {"values": [{"kpi", "municipality", "period", "values": [...]}, ...]}."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        return ParseResult([], [_("This is not Kolada data: a list called “values” is missing.")])
    by_kpi = {
        i.kolada_kpi.casefold(): i
        for i in Indicator.objects.filter(agreement=agreement).exclude(kolada_kpi="")
    }
    own_code = agreement.municipality.kolada_id
    rows, errors, skipped = [], [], 0
    for number, item in enumerate(data["values"], start=1):
        try:
            kpi = str(item["kpi"])
            code = str(item["municipality"])
            year = int(item["period"])
            values = list(item["values"])
        except (KeyError, TypeError, ValueError):
            errors.append(
                _("Record %(n)s: kpi, municipality, period or values is missing.") % {"n": number}
            )
            continue
        indicator = by_kpi.get(kpi.casefold())
        if indicator is None:
            errors.append(
                _("Record %(n)s: no indicator has the Kolada KPI id %(kpi)s.")
                % {"n": number, "kpi": kpi}
            )
            continue
        scope = kolada_scope(code, own_code)
        if scope is None:
            errors.append(
                _("Record %(n)s: municipality %(code)s is not this agreement's municipality.")
                % {"n": number, "code": code}
            )
            continue
        for entry in values:
            if not isinstance(entry, dict):
                errors.append(_("Record %(n)s: a value is not an object.") % {"n": number})
                break
            gender = str(entry.get("gender") or "T").upper()
            if gender not in Observation.Gender.values:
                errors.append(
                    _("Record %(n)s: unknown gender %(gender)s.") % {"n": number, "gender": gender}
                )
                continue
            raw = entry.get("value")
            if raw is None:
                skipped += 1  # Kolada gives null where a value is missing or withheld.
                continue
            try:
                value = parse_decimal(str(raw))
            except (ValueError, InvalidOperation):
                errors.append(
                    _("Record %(n)s: the value %(value)s is not a number.")
                    % {"n": number, "value": raw}
                )
                continue
            rows.append(
                ObservationRow(
                    line=number,
                    indicator=indicator,
                    year=year,
                    subperiod="",
                    scope=scope,
                    gender=gender,
                    value=value,
                )
            )
    keys = {}
    for row in rows:
        if row.key in keys:
            errors.append(
                _("Record %(n)s repeats a value of record %(first)s.")
                % {"n": row.line, "first": keys[row.key]}
            )
        keys.setdefault(row.key, row.line)
    return ParseResult(rows=rows if not errors else [], errors=errors, skipped=skipped)


def observations_import(*, rows: list[ObservationRow], note: str = "") -> tuple[int, int]:
    """Save every row or none; returns (created, updated); unchanged values are left alone.

    One query finds the values already there; new ones are inserted and existing ones updated
    in bulk, so a Kolada series of many years imports in a fraction of a second.
    """
    if not rows:
        return 0, 0
    with transaction.atomic():
        existing = {
            (o.indicator_id, o.year, o.subperiod, o.scope, o.gender): o
            for o in Observation.objects.select_for_update().filter(
                indicator__in={row.indicator.pk for row in rows},
                year__in={row.year for row in rows},
            )
        }
        new, changed = [], []
        for row in rows:
            observation = existing.get(row.key)
            if observation is None:
                new.append(
                    Observation(
                        indicator=row.indicator,
                        year=row.year,
                        subperiod=row.subperiod,
                        scope=row.scope,
                        gender=row.gender,
                        value=row.value,
                        note=note,
                    )
                )
                continue
            if observation.value == row.value and (not note or observation.note == note):
                continue  # already up to date: re-importing the same data changes nothing
            observation.value = row.value
            if note:
                observation.note = note
            changed.append(observation)
        Observation.objects.bulk_create(new, batch_size=500)
        Observation.objects.bulk_update(changed, ["value", "note"], batch_size=500)
    return len(new), len(changed)

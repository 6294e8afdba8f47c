"""Imports of observations from Kolada's v3 JSON shape (tables from files: `plans.imports`).

Parsing never writes; `observations_import` writes all rows or none, and re-importing the same
rows updates them in place (one row per indicator, period, scope and gender).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from pitebra import pagecache
from pitebra.models import Agreement

from ..models import Indicator, Observation

Scope = Observation.Scope
MAX_ABS_VALUE = Decimal(10) ** 11
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
    nulls: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def kolada_note(day: datetime.date) -> str:
    # Data, not interface: the note is shown beside the value in the Swedish facts and report.
    return f"Kolada, hämtad {day.isoformat()}"


def kolada_kept_note(day: datetime.date) -> str:
    return f"Äldre värde behållet: Kolada gav inget värde vid hämtningen {day.isoformat()}"


def parse_decimal(text: str) -> Decimal:
    """A number with a decimal comma or point and optional spaces between thousands."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    value = Decimal(cleaned)
    if abs(value) >= MAX_ABS_VALUE:
        raise ValueError(text)
    return value.quantize(Decimal("0.001"))


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
        for i in Indicator.objects.of_municipality(agreement).exclude(kolada_kpi="")
    }
    own_code = agreement.municipality.kolada_id
    rows, errors, skipped, nulls = [], [], 0, []
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
                nulls.append((indicator.pk, year, "", scope, gender))
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
    return ParseResult(rows=rows if not errors else [], errors=errors, skipped=skipped, nulls=nulls)


def _page(url):
    try:
        return int(parse_qs(urlsplit(str(url)).query).get("page", ["1"])[0])
    except ValueError:
        return None


def parse_kolada_files(*, agreement: Agreement, documents) -> ParseResult:
    """Several Kolada pages or files [(name, data)] as one import; warns of a missing next page."""
    total = ParseResult([], [])
    present, wanted = set(), {}
    for name, data in documents:
        result = parse_kolada(agreement=agreement, data=data)
        prefix = f"{name}: " if len(documents) > 1 else ""
        total.errors += [prefix + error for error in result.errors]
        total.rows += result.rows
        total.nulls += result.nulls
        total.skipped += result.skipped
        if not isinstance(data, dict):
            continue
        next_page, previous = data.get("next_page"), data.get("previous_page")
        own = (
            (_page(next_page) or 2) - 1
            if next_page
            else ((_page(previous) or 0) + 1 if previous else 1)
        )
        present.add(own)
        if next_page:
            wanted[own + 1] = name
    for page, name in sorted(wanted.items()):
        if page not in present:
            total.warnings.append(
                _(
                    "%(name)s has a next page (page %(page)s) that was not uploaded: the values "
                    "on it are not imported. Download it from Kolada and upload it with the rest."
                )
                % {"name": name, "page": page}
            )
    keys = {}
    for row in total.rows:
        if row.key in keys and not total.errors:
            total.errors.append(
                _("A value appears twice in the uploaded files (%(indicator)s, %(year)s).")
                % {"indicator": row.indicator.name, "year": row.year}
            )
        keys.setdefault(row.key, row.line)
    if total.errors:
        total.rows = []
    return total


def observations_keep_older(*, nulls, note: str) -> int:
    """Where Kolada gave null but an older value is there, keep it with a visible note."""
    kept = 0
    for indicator, year, subperiod, scope, gender in nulls:
        kept += (
            Observation.objects.filter(
                indicator_id=indicator, year=year, subperiod=subperiod, scope=scope, gender=gender
            )
            .exclude(note=note)
            .update(note=note)
        )
    pagecache.bump_rows(Indicator, {indicator for indicator, *_rest in nulls})  # .update()
    return kept


def observations_import(*, rows: list[ObservationRow], note: str = "") -> tuple[int, int]:
    """Save every row or none; returns (created, updated); unchanged values are left alone.

    One query finds the values already there; new ones are inserted and existing ones updated
    in bulk, so a Kolada series of many years imports in a fraction of a second.
    """
    if not rows:
        return 0, 0
    with transaction.atomic():
        # Plain tuples, not model instances: a 50,000-value file stays small in memory.
        existing = {
            (indicator, year, subperiod, scope, gender): (pk, value, old_note)
            for pk, indicator, year, subperiod, scope, gender, value, old_note in (
                Observation.objects.select_for_update()
                .filter(
                    indicator__in={row.indicator.pk for row in rows},
                    year__in={row.year for row in rows},
                )
                .values_list(
                    "pk", "indicator", "year", "subperiod", "scope", "gender", "value", "note"
                )
            )
        }
        new, changed = [], []
        for row in rows:
            found = existing.get(row.key)
            if found is None:
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
            pk, value, old_note = found
            if value == row.value and (not note or old_note == note):
                continue  # already up to date: re-importing the same data changes nothing
            changed.append(Observation(pk=pk, value=row.value, note=note or old_note))
        Observation.objects.bulk_create(new, batch_size=500)
        Observation.objects.bulk_update(changed, ["value", "note"], batch_size=500)
        pagecache.bump_for(*{row.indicator for row in rows})  # bulk writes send no signal
    return len(new), len(changed)

"""Facts from the user's own table (CSV from Excel, .xlsx, .xls): indicator, period, area, value.

Like the plan import: the header is found, columns and unknown values are mapped once, missing
marks ('..', '–', empty) are counted and skipped, and nothing is written here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Indicator, Observation
from ..services.imports import ObservationRow, observations_import
from .choices import save_choices, saved_choices
from .columns import FACT_FIELDS, map_columns
from .dates import read_fact_period
from .matching import IndicatorMatcher, ScopeMatcher, resolve
from .table import read_table, skipped_messages, with_repeats
from .values import GENDER_BY_WORD, MISSING, clean, key, read_number

PLAIN_LAYOUT = ["Indikator", "Period", "Område", "Värde"]  # the older headerless CSV


@dataclass(slots=True)
class FactRow:
    line: int
    indicator: tuple
    year: int
    subperiod: str
    scope: str
    gender: str
    value: object
    indicator_name: str = ""
    state: str = "new"
    written: str = ""  # the value as the file writes it, shown in the preview

    @property
    def scope_label(self):
        return Observation.Scope(self.scope).label


def _fact_ident(row):
    """What a fact row names: one indicator's value for a period, scope and gender."""
    return (row.indicator, row.year, row.subperiod, row.scope, row.gender)


class FactsPreview:
    def __init__(self, *, agreement, data, columns=None, answers=None):
        self.agreement = agreement
        self.table = read_table(data, FACT_FIELDS, plain=PLAIN_LAYOUT)
        self.saved = saved_choices(agreement)
        self.columns = columns or map_columns(
            self.table.headers, FACT_FIELDS, self.saved.get("column-facts")
        )
        self.answers = answers or {}
        self.errors, self.rows = [], []
        self.missing = self.skipped_by_choice = 0
        self.messages = skipped_messages(self.table)
        self.matchers = {
            "indicator": IndicatorMatcher(agreement, self.saved),
            "scope": ScopeMatcher(agreement, self.saved),
        }
        self.labels = {str(t): lb for t, lb in self.matchers["indicator"].names.values()}
        absent = [f.label for f in FACT_FIELDS if f.key in ("indicator", "period", "value")
                  and f.key not in self.columns]  # fmt: skip
        if absent:
            self.errors.append(
                _("No column holds: %(fields)s.") % {"fields": ", ".join(map(str, absent))}
            )
            return
        for line, cells in self.table.rows:
            self._row(line, cells)
        self.table.rows = []  # read: only the checked rows are kept
        self._compare()

    def error(self, line, text):
        # All are kept (the page shows the first ones and counts the rest).
        self.errors.append(_("Row %(line)s: %(error)s") % {"line": line, "error": text})

    def ref(self, kind, text, line):
        return resolve(self, kind, text, line)

    def _row(self, line, cells):
        get = lambda name: cells[self.columns.index(name)] if name in self.columns else None  # noqa: E731
        try:
            value = read_number(get("value"))
        except ValueError:
            self.error(
                line, _("the value “%(value)s” is not a number.") % {"value": clean(get("value"))}
            )
            return
        if value is MISSING:
            self.missing += 1
            return
        name = clean(get("indicator"))
        if not name:
            self.error(line, _("the indicator is empty."))
            return
        indicator = self.ref("indicator", name, line)
        scope = self.ref("scope", clean(get("scope")) or "kommun", line)
        period = read_fact_period(get("period"))
        if period is None:
            self.error(
                line,
                _("the period “%(period)s” is not a year such as 2024, 2024-H1 or Q2 2024.")
                % {"period": clean(get("period"))},
            )  # noqa: E501
            return
        gender = GENDER_BY_WORD.get(key(get("gender")))
        if gender is None:
            self.error(
                line,
                _("the gender “%(value)s” is not totalt, kvinnor or män.")
                % {"value": clean(get("gender"))},
            )  # noqa: E501
            return
        if indicator[0] == "skip" or scope[0] == "skip":
            self.skipped_by_choice += 1
            return
        label = self.labels.get(str(indicator[1]), "") if indicator[0] == "use" else name
        self.rows.append(
            FactRow(
                line, indicator, period[0], period[1], scope[1], gender, value, label,
                written=clean(get("value")),
            )
        )  # fmt: skip

    def _compare(self):
        existing = {
            key[:5]: key[5]
            for key in Observation.objects.of_municipality(self.agreement).values_list(
                "indicator", "year", "subperiod", "scope", "gender", "value"
            )
        }
        for row, first in with_repeats(self.rows, _fact_ident):
            if first is not None:
                self.error(
                    row.line,
                    _("the same indicator, period and scope as row %(first)s.") % {"first": first},
                )
            if row.indicator[0] == "use":
                old = existing.get((int(row.indicator[1]), *_fact_ident(row)[1:]))
                if old is not None:
                    row.state = "unchanged" if old == row.value else "changed"

    @property
    def questions(self):
        return [q for m in self.matchers.values() for q in m.questions.values()]

    def counts(self):
        states = [row.state for row in self.rows]
        return {s: states.count(s) for s in ("new", "changed", "unchanged")}

    def remember(self, made):
        choices = [
            ("column-facts", header, field)
            for header, field in zip(self.table.headers, self.columns, strict=True)
            if header
        ]
        for question in self.questions:
            answer = self.answers.get(question.name, question.default)
            if answer == "create" and key(question.text) in made:
                answer = f"use:{made[key(question.text)].pk}"
            choices.append((question.kind, question.text, answer))
        save_choices(self.agreement, choices)


def observations_write(preview, made):
    indicators = {i.pk: i for i in Indicator.objects.of_municipality(preview.agreement)}
    rows = []
    for row in preview.rows:
        action, value = row.indicator
        indicator = indicators[int(value)] if action == "use" else made[key(value)]
        rows.append(
            ObservationRow(
                row.line, indicator, row.year, row.subperiod, row.scope, row.gender, row.value
            )
        )
    return observations_import(rows=rows)

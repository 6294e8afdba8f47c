"""The date and number cells of a plan row (a helper of `plan.PlanPreview`)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Activity
from .columns import PLAN_FIELDS
from .dates import read_period
from .values import MISSING, clean, read_number


def read_dates(self, get, values, extras, warnings):
    """Start and end from a period column or start/end columns; flags what it cannot read."""
    year = self.plan.year
    if "when" in self.columns:
        period = read_period(get("when"), year)
        values["start"], values["end"] = period.start, period.end
        if not period.ok:
            extras.append(_("When: %(text)s") % {"text": period.text})
            warnings.append(
                _("“%(text)s” is not a date PiteBra can read; kept in the description.")
                % {"text": period.text}
            )  # noqa: E501
        elif period.note:
            warnings.append(
                _("The week runs over the new year; the dates are kept within %(year)s.")
                % {"year": year}
            )  # noqa: E501
    for name, pick in (("start", "start"), ("end", "end")):
        if name in self.columns and clean(get(name)):
            period = read_period(get(name), year)
            if period.ok:
                values[name] = getattr(period, pick)
            else:
                extras.append(
                    f"{ {f.key: str(f.label) for f in PLAN_FIELDS}[name] }: {period.text}"
                )
                warnings.append(
                    _("“%(text)s” is not a date PiteBra can read; kept in the description.")
                    % {"text": period.text}
                )  # noqa: E501
    start, end = values.get("start"), values.get("end")
    if start and end and start > end:
        values["start"], values["end"] = end, start
    for day in (values.get("start"), values.get("end")):
        if day and day.year != year:
            warnings.append(_("A date lies outside the plan year %(year)s.") % {"year": year})
            break


def read_numbers(self, get, values, line):
    """Hours and cost, rounded to the field's decimals; a missing mark is empty."""
    for name in ("estimated_hours", "estimated_cost"):
        if name in self.columns:
            try:
                number = read_number(get(name))
            except ValueError:
                self.errors.append(
                    _("Row %(line)s: “%(value)s” is not a number.")
                    % {"line": line, "value": clean(get(name))}
                )
                continue
            places = Decimal(1).scaleb(-Activity._meta.get_field(name).decimal_places)
            values[name] = None if number is MISSING else number.quantize(places)

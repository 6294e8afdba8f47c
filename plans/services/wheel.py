"""The annual wheel's risk periods carry over to an agreement started from a previous one."""

from ..models import RiskPeriod, RiskPeriodDates

# A period's rule and wording; its agreement and edit version are the new agreement's own.
COPIED = [
    f.name for f in RiskPeriod._meta.concrete_fields if f.name not in {"id", "agreement", "version"}
]


def risk_periods_copy(*, source, agreement):
    """Copy the source agreement's risk periods, rules and entered dates, to `agreement`."""
    for period in RiskPeriod.objects.filter(agreement=source).prefetch_related("entered_dates"):
        copy = RiskPeriod.objects.create(
            agreement=agreement, **{name: getattr(period, name) for name in COPIED}
        )
        RiskPeriodDates.objects.bulk_create(
            RiskPeriodDates(period=copy, year=d.year, start=d.start, end=d.end)
            for d in period.entered_dates.all()
        )


def risk_periods_copied(sender, *, source, agreement, **kwargs):
    """Receiver of `pitebra.signals.agreement_copied`."""
    risk_periods_copy(source=source, agreement=agreement)

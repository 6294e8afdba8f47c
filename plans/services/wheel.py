"""The annual wheel's risk periods carry over to an agreement started from a previous one."""

from pitebra.copying import copied_values, copy_row

from ..models import RiskPeriod, RiskPeriodDates


def risk_periods_copy(*, source, agreement):
    """Copy the source agreement's risk periods, rules and entered dates, to `agreement`."""
    for period in RiskPeriod.objects.filter(agreement=source).prefetch_related("entered_dates"):
        copy = copy_row(period, agreement=agreement)
        RiskPeriodDates.objects.bulk_create(
            RiskPeriodDates(**copied_values(d, period=copy)) for d in period.entered_dates.all()
        )


def risk_periods_copied(sender, *, source, agreement, **kwargs):
    """Receiver of `pitebra.signals.agreement_copied`."""
    risk_periods_copy(source=source, agreement=agreement)

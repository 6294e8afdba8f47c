"""Writes of steps 4–5 and the year-end report that span several records."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import PublishedReport, YearEndReport
from .report.render import report_pdf


def report_publish(*, agreement, year: int, by) -> PublishedReport:
    """Render the year's report and store it as the next published version, never to change."""
    with transaction.atomic():
        report, _created = YearEndReport.objects.select_for_update().get_or_create(
            agreement=agreement, year=year
        )
        version = (report.published.aggregate(v=Max("version"))["v"] or 0) + 1
        pdf = report_pdf(agreement, year, published_version=version, today=timezone.localdate())
        return PublishedReport.objects.create(
            report=report, version=version, pdf=pdf, published_by=by
        )

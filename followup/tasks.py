"""Background work (django-tasks, run by `manage.py db_worker`): the report's PDFs."""

import logging

from django.utils import timezone
from django_tasks import task

from security.audit import Action, record

from . import services
from .models import ReportRendering
from .report.isolation import worker_rendering
from .report.pdf import render_pdf

logger = logging.getLogger(__name__)
# Drafts kept per agreement and year besides the newest: enough for a page someone still has
# open, not a growing pile of PDFs.
KEEP_DRAFTS = 3


@task()
def render_report_draft(rendering_id: int) -> None:
    """Render the HTML stored with a queued draft; the same bytes `yearend_report` writes."""
    rendering = ReportRendering.objects.filter(pk=rendering_id).first()
    if rendering is None or rendering.status == ReportRendering.Status.DONE:
        return
    try:
        with worker_rendering():
            pdf = render_pdf(rendering.html)
    except Exception as error:
        _fail(rendering, error)
        raise
    rendering.pdf, rendering.html = pdf, ""
    rendering.status, rendering.finished_at = ReportRendering.Status.DONE, timezone.now()
    rendering.save(update_fields=["pdf", "html", "status", "finished_at"])
    older = (
        ReportRendering.objects.drafts()
        .filter(agreement_id=rendering.agreement_id, year=rendering.year)
        .exclude(status=ReportRendering.Status.QUEUED)
        .order_by("-finished_at")
        .values_list("pk", flat=True)[KEEP_DRAFTS:]
    )
    ReportRendering.objects.filter(pk__in=list(older)).delete()


@task()
def publish_report(rendering_id: int) -> None:
    """Render and publish the next version (services.report_publish) for a queued request."""
    rendering = ReportRendering.objects.select_related("agreement").get(pk=rendering_id)
    if rendering.status == ReportRendering.Status.DONE:
        return
    try:
        # No transaction around it: report_publish renders first and locks only to store.
        with worker_rendering():
            published = services.report_publish(
                agreement=rendering.agreement,
                year=rendering.year,
                by=rendering.requested_by,
                **rendering.options,
            )
    except Exception as error:
        _fail(rendering, error)
        raise
    record(
        Action.REPORT_PUBLISHED,
        user=rendering.requested_by,
        agreement=rendering.agreement,
        obj=published,
        summary=f"{rendering.year} v{published.version}",
    )
    rendering.published = published
    rendering.status, rendering.finished_at = ReportRendering.Status.DONE, timezone.now()
    rendering.save(update_fields=["published", "status", "finished_at"])


def _fail(rendering, error):
    logger.exception("Report rendering %s failed", rendering.pk)
    rendering.status, rendering.finished_at = ReportRendering.Status.FAILED, timezone.now()
    rendering.error = f"{type(error).__name__}: {error}"[:2000]
    rendering.save(update_fields=["status", "finished_at", "error"])

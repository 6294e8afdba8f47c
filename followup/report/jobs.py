"""Asking the background worker for the report's PDFs, from any app server.

A draft is keyed by the SHA-256 of the HTML it is made from: unchanged content is served from
the last rendering, changed content queues a new one. Publishing is queued as it is.
"""

import hashlib

from ..models import ReportRendering
from .content import build_report
from .render import report_html

# Bump when the PDF would differ for the same HTML (WeasyPrint options, fonts, print CSS).
RENDERING_VERSION = "1"


def draft_html_and_key(agreement, year, *, today=None):
    html = report_html(build_report(agreement, year, today=today), for_pdf=True)
    key = hashlib.sha256(f"{RENDERING_VERSION}\n{html}".encode()).hexdigest()
    return html, key


def request_draft(*, agreement, year: int, by) -> ReportRendering:
    """The draft rendering of the report as it stands now: done, or queued for the worker."""
    from ..tasks import render_report_draft

    html, key = draft_html_and_key(agreement, year)
    rendering, created = ReportRendering.objects.drafts().get_or_create(
        agreement=agreement,
        year=year,
        kind=ReportRendering.Kind.DRAFT,
        content_sha256=key,
        defaults={"html": html, "requested_by": by},
    )
    if rendering.status == ReportRendering.Status.FAILED:
        rendering.status, rendering.html, rendering.error = ReportRendering.Status.QUEUED, html, ""
        rendering.save(update_fields=["status", "html", "error"])
        created = True
    if created:
        # The database backend queues in the same transaction as the row above.
        render_report_draft.enqueue(rendering.pk)
        rendering.refresh_from_db()  # the immediate backend (tests) has rendered it already
    return rendering


def request_publish(*, agreement, year: int, by, **options) -> ReportRendering:
    """Queue the publishing of the next version; `options` go to services.report_publish."""
    from ..tasks import publish_report

    rendering = ReportRendering.objects.create(
        agreement=agreement,
        year=year,
        kind=ReportRendering.Kind.PUBLISH,
        requested_by=by,
        options=options,
    )
    publish_report.enqueue(rendering.pk)
    rendering.refresh_from_db()
    return rendering

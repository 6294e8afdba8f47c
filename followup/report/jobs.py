"""Asking the background worker for the report's PDFs, from any app server.

A draft is keyed by the SHA-256 of the HTML it is made from: unchanged content is served from
the last rendering, changed content queues a new one. Publishing is queued as it is.

The HTML and its key are cached under the agreement's data version and the day (the report
prints the day), so a click on an unchanged draft reads one version row and one cache entry
instead of building the whole report (a second at 5,000 activities) to learn its key.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone

from pitebra import pagecache

from ..models import ReportRendering
from .content import build_report
from .render import report_html

# Bump when the PDF would differ for the same HTML (WeasyPrint options, fonts, print CSS).
RENDERING_VERSION = "2"


def _build(agreement, year, today):
    html = report_html(build_report(agreement, year, today=today), for_pdf=True)
    key = hashlib.sha256(f"{RENDERING_VERSION}\n{html}".encode()).hexdigest()
    return html, key


def _cache_key(agreement, year, today, what):
    version = pagecache.versions([agreement])
    if version is None:  # uncommitted writes on this connection: build, never cache
        return None
    parts = f"{RENDERING_VERSION}\x1f{version}\x1f{agreement.pk}\x1f{year}\x1f{today}"
    return f"pitebra:report-draft:{what}:" + hashlib.sha256(parts.encode()).hexdigest()


def draft_key(agreement, year, *, today=None) -> str:
    """The key of the draft as it stands, from the cache while the data is unchanged."""
    return draft_html_and_key(agreement, year, today=today, html_needed=False)[1]


def draft_html_and_key(agreement, year, *, today=None, html_needed=True):
    """(HTML, key) of the draft; the HTML is None when not needed and the key was cached."""
    today = today or timezone.localdate()
    name = _cache_key(agreement, year, today, "key")
    if name is None:
        return _build(agreement, year, today)
    key = cache.get(name)
    html = cache.get(name.replace(":key:", ":html:")) if key and html_needed else None
    if key is None or (html_needed and html is None):
        html, key = _build(agreement, year, today)
        cache.set_many({name: key, name.replace(":key:", ":html:"): html}, pagecache.TIMEOUT)
    return html, key


def request_draft(*, agreement, year: int, by) -> ReportRendering:
    """The draft rendering of the report as it stands now: done, or queued for the worker."""
    from ..tasks import render_report_draft

    key = draft_key(agreement, year)
    drafts = ReportRendering.objects.drafts().filter(
        agreement=agreement, year=year, kind=ReportRendering.Kind.DRAFT, content_sha256=key
    )
    rendering = drafts.first()
    if rendering is not None and rendering.status != ReportRendering.Status.FAILED:
        return rendering  # unchanged since its rendering: no report is built to say so
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

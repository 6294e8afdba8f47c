"""The year-end report: preview, draft PDF, narrative, publishing and published downloads."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from pitebra import pagecache
from pitebra.concurrency import SAVED_MEANWHILE, SavedMeanwhile, first_save
from pitebra.downloads import private_download
from pitebra.lookups import operating_year
from pitebra.paging import page_of
from pitebra.permissions import COORDINATOR, MEMBER, READER, agreement_view, can_edit, can_manage
from pitebra.versioning.forms import save_versioned
from security.audit import Action, record

from .. import services
from ..forms.report import PublishForm, ReportNarrativeForm
from ..models import PublishedReport, ReportRendering, YearEndReport
from ..report import jobs
from ..report.archive import archive_package
from ..report.content import build_report
from ..report.readiness import publish_readiness
from ..report.render import report_html


def _pdf_response(data, filename):
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@agreement_view(required=READER)
def report_list(request, agreement):
    published = (
        PublishedReport.objects.without_pdf()
        .filter(report__agreement=agreement)
        .select_related("report", "published_by")
        .order_by("-report__year", "-version")
    )
    by_year = {}
    for item in published:
        by_year.setdefault(item.report.year, []).append(item)
    years = [(year, by_year.get(year, [])) for year in reversed(agreement.years)]
    publishing = set(
        ReportRendering.objects.pending()
        .filter(agreement=agreement, kind=ReportRendering.Kind.PUBLISH)
        .values_list("year", flat=True)
    )
    return render(
        request,
        "followup/report_list.html",
        {
            "agreement": agreement,
            "years": years,
            "publishing": publishing,
            "can_edit": can_edit(request.role),
            "can_manage": can_manage(request.role),
        },
    )


@agreement_view(required=MEMBER)
def report_preview(request, agreement, year):
    """The draft inside the agreement's pages, with the way back, the PDF and publishing."""
    operating_year(agreement, year)
    return render(
        request,
        "followup/report_preview.html",
        {"agreement": agreement, "year": year, "can_manage": can_manage(request.role)},
    )


# The one page another of ours may frame: the preview page shows the report in a frame.
@csp_replace({"frame-ancestors": [SELF]})
@xframe_options_sameorigin
@agreement_view(required=MEMBER)
def report_preview_document(request, agreement, year):
    """The draft report itself, as the PDF will read, shown in the preview page's frame."""
    operating_year(agreement, year)

    def build():
        content = build_report(agreement, year)
        # On screen a long plan's activity rows come a page at a time; the PDF lists them all.
        content.activity_page = page_of(request, content.activities)
        return report_html(content, for_pdf=False)

    html = pagecache.cached_text(
        request, f"report-preview:{agreement.pk}:{year}", build, agreements=[agreement]
    )
    return HttpResponse(html)


def _draft_filename(agreement, year):
    return f"arsrapport-{agreement.file_slug}-{year}-utkast.pdf"


@private_download
@agreement_view(required=MEMBER)
def report_draft_pdf(request, agreement, year):
    """The draft as it stands: at once if unchanged since its last rendering, else queued."""
    operating_year(agreement, year)
    rendering = jobs.request_draft(agreement=agreement, year=year, by=request.user)
    if rendering.status == ReportRendering.Status.DONE:
        record(Action.REPORT_DOWNLOADED, agreement=agreement, summary=f"{year} draft")
        return _pdf_response(rendering.pdf, _draft_filename(agreement, year))
    return redirect("followup:report-draft", agreement_pk=agreement.pk, year=year, pk=rendering.pk)


def _draft_rendering(agreement, year, pk):
    return get_object_or_404(
        ReportRendering.objects.drafts().defer("pdf", "html"),
        agreement=agreement,
        year=year,
        pk=pk,
    )


@agreement_view(required=MEMBER)
def report_draft(request, agreement, year, pk):
    """Says the draft PDF is being made (reloading itself, no script) and offers it when done."""
    operating_year(agreement, year)
    rendering = _draft_rendering(agreement, year, pk)
    return render(
        request,
        "followup/report_draft.html",
        {"agreement": agreement, "year": year, "rendering": rendering},
    )


@private_download
@agreement_view(required=MEMBER)
def report_draft_file(request, agreement, year, pk):
    operating_year(agreement, year)
    rendering = get_object_or_404(
        ReportRendering.objects.drafts(),
        agreement=agreement,
        year=year,
        pk=pk,
        status=ReportRendering.Status.DONE,
    )
    record(Action.REPORT_DOWNLOADED, agreement=agreement, summary=f"{year} draft")
    return _pdf_response(rendering.pdf, _draft_filename(agreement, year))


@private_download
@agreement_view(required=READER)
def report_download(request, agreement, year, version):
    published = get_object_or_404(
        PublishedReport.objects.select_related("report__agreement__municipality"),
        report__agreement=agreement,
        report__year=year,
        version=version,
    )
    response = _pdf_response(published.pdf, published.filename)
    response["ETag"] = f'"{published.sha256}"'
    record(
        Action.REPORT_DOWNLOADED, agreement=agreement, obj=published, summary=f"{year} v{version}"
    )
    return response


@private_download
@agreement_view(required=READER)
def report_archive_package(request, agreement, year, version):
    """The archive package of a published version: PDF/A copy, the PDF, metadata, checksums."""
    published = get_object_or_404(
        PublishedReport.objects.select_related(
            "report__agreement__municipality", "report__agreement__police_area"
        ),
        report__agreement=agreement,
        report__year=year,
        version=version,
    )
    response = HttpResponse(archive_package(published), content_type="application/zip")
    name = published.filename.removesuffix(".pdf") + "-arkiv.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    record(
        Action.REPORT_DOWNLOADED,
        agreement=agreement,
        obj=published,
        summary=f"{year} v{version} archive",
    )
    return response


@agreement_view(required=COORDINATOR)
def report_edit(request, agreement, year):
    operating_year(agreement, year)
    report = YearEndReport.objects.filter(agreement=agreement, year=year).first()
    report = report or YearEndReport(agreement=agreement, year=year)
    form = ReportNarrativeForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            with first_save():
                saved = save_versioned(form)
        except SavedMeanwhile:
            messages.warning(request, SAVED_MEANWHILE)
            return redirect("followup:report-edit", agreement_pk=agreement.pk, year=year)
        if saved:
            messages.success(request, _("The report's texts were saved."))
            return redirect("followup:report-list", agreement_pk=agreement.pk)
    return render(
        request,
        "followup/report_edit.html",
        {"agreement": agreement, "year": year, "form": form},
    )


@agreement_view(required=COORDINATOR)
def report_publish(request, agreement, year):
    """Publishing, one page: what is still incomplete, then the confirmation (and, for a
    correction, its reason)."""
    operating_year(agreement, year)
    published = PublishedReport.objects.filter(report__agreement=agreement, report__year=year)
    correction = published.exists()
    form = PublishForm(request.POST if request.method == "POST" else None, correction=correction)
    if request.method == "POST" and form.is_valid():
        # The worker renders and stores it (followup/tasks.py); the request only queues it.
        rendering = jobs.request_publish(
            agreement=agreement,
            year=year,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
        if rendering.status != ReportRendering.Status.FAILED:
            _publish_message(request, year, rendering)
            return redirect("followup:report-list", agreement_pk=agreement.pk)
        if rendering.error.startswith("ValidationError"):
            # Someone published first: this is now a correction, and a correction needs a reason.
            correction = True
            form = PublishForm(request.POST, correction=True)
            form.is_valid()
            form.add_error(None, services.CORRECTION_REASON_NEEDED)
        else:
            _publish_message(request, year, rendering)
            return redirect("followup:report-list", agreement_pk=agreement.pk)
    return render(
        request,
        "followup/report_publish.html",
        {
            "agreement": agreement,
            "year": year,
            "form": form,
            "correction": correction,
            "readiness": publish_readiness(agreement, year),
        },
        status=400 if request.method == "POST" else 200,
    )


def _publish_message(request, year, rendering):
    if rendering.status == ReportRendering.Status.DONE:
        messages.success(
            request,
            _("The report for %(year)s was published as version %(version)s.")
            % {"year": year, "version": rendering.published.version},
        )
    elif rendering.status == ReportRendering.Status.FAILED:
        if rendering.error.startswith("VersionTaken"):
            messages.error(
                request,
                _(
                    "Others published this report at the same moment; nothing new was stored. "
                    "Try again."
                ),
            )
        else:
            messages.error(request, _("The report could not be published. Try again."))
    else:
        messages.info(
            request,
            _(
                "The report for %(year)s is being published. It appears in the list below "
                "within a minute; reload the page."
            )
            % {"year": year},
        )

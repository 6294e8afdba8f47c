"""URLs of steps 4–5 and the year-end report, all under /agreements/<agreement_pk>/."""

from django.urls import path

from .views import reports

app_name = "followup"

urlpatterns = [
    # The year-end report
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<int:year>/preview/", reports.report_preview, name="report-preview"),
    path("reports/<int:year>/draft.pdf", reports.report_draft_pdf, name="report-draft-pdf"),
    path("reports/<int:year>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:year>/publish/", reports.report_publish, name="report-publish"),
    path(
        "reports/<int:year>/v<int:version>.pdf",
        reports.report_download,
        name="report-download",
    ),
]

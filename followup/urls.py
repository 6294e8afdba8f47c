"""URLs of steps 4–5 and the year-end report, all under /agreements/<agreement_pk>/."""

from django.urls import path

from .views import council, followup, meetings, reports, wheel, work

app_name = "followup"

urlpatterns = [
    # Step 4: operational work
    path("log/new/", work.log_create, name="log-create"),
    path("log/entries/<int:pk>/delete/", work.log_delete, name="log-delete"),
    path("activities/<int:pk>/followup/", work.activity_followup, name="activity-followup"),
    path("activities/<int:pk>/status/", work.activity_status, name="activity-status"),
    # Step 5: follow-up and evaluation
    path("followup/", followup.followup_index, name="followup-index"),
    path("followup/<int:year>/", followup.followup_year, name="followup-year"),
    path("followup/<int:year>/evaluations/", followup.evaluation_list, name="evaluation-list"),
    path("activities/<int:pk>/evaluation/", followup.evaluation_edit, name="evaluation-edit"),
    # Meetings
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_form, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_form, name="meeting-edit"),
    path("decisions/<int:pk>/activity/", meetings.decision_activity, name="decision-activity"),
    path("decisions/<int:pk>/delete/", meetings.decision_delete, name="decision-delete"),
    # The annual wheel
    path("wheel/<int:year>/", wheel.wheel_year, name="wheel"),
    path("wheel/<int:year>/periods/<int:pk>/", wheel.debrief, name="debrief"),
    path(
        "wheel/<int:year>/periods/<int:pk>/proposals/<int:number>/",
        wheel.debrief_proposal,
        name="debrief-proposal",
    ),
    # How the council worked
    path("council/<int:year>/", council.council_year, name="council-year"),
    path("council/<int:year>/start/", council.council_start, name="council-start"),
    path("council/<int:year>/state/", council.council_state, name="council-state"),
    path("council/<int:year>/answer/", council.council_answer, name="council-answer"),
    path(
        "council/<int:year>/questions/new/",
        council.council_question_edit,
        name="council-question-create",
    ),
    path(
        "council/<int:year>/questions/<int:pk>/",
        council.council_question_edit,
        name="council-question-edit",
    ),
    # The year-end report
    path("reports/", reports.report_list, name="report-list"),
    path("reports/<int:year>/preview/", reports.report_preview, name="report-preview"),
    path(
        "reports/<int:year>/preview/document/",
        reports.report_preview_document,
        name="report-preview-document",
    ),
    path("reports/<int:year>/draft.pdf", reports.report_draft_pdf, name="report-draft-pdf"),
    path("reports/<int:year>/drafts/<int:pk>/", reports.report_draft, name="report-draft"),
    path(
        "reports/<int:year>/drafts/<int:pk>.pdf",
        reports.report_draft_file,
        name="report-draft-file",
    ),
    path("reports/<int:year>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:year>/publish/", reports.report_publish, name="report-publish"),
    path(
        "reports/<int:year>/v<int:version>.pdf",
        reports.report_download,
        name="report-download",
    ),
    path(
        "reports/<int:year>/v<int:version>-archive.zip",
        reports.report_archive_package,
        name="report-archive",
    ),
]

"""URLs of steps 1–3, all under /agreements/<agreement_pk>/."""

from django.urls import path

from .views import documents, facts, situation

app_name = "plans"

urlpatterns = [
    # Step 1: facts
    path("facts/", facts.indicator_list, name="indicator-list"),
    path("facts/indicators/new/", facts.indicator_create, name="indicator-create"),
    path("facts/indicators/<int:pk>/", facts.indicator_detail, name="indicator-detail"),
    path("facts/indicators/<int:pk>/edit/", facts.indicator_edit, name="indicator-edit"),
    path("facts/import/csv/", facts.import_csv, name="import-csv"),
    path("facts/import/kolada/", facts.import_kolada_file, name="import-kolada"),
    path("facts/documents/", documents.document_list, name="document-list"),
    path(
        "facts/documents/<int:pk>/download/",
        documents.document_download,
        name="document-download",
    ),
    path("facts/sources/", documents.source_list, name="source-list"),
    path("facts/sources/<int:pk>/edit/", documents.source_edit, name="source-edit"),
    # Step 2: the joint situation picture
    path("situation/", situation.situation_list, name="situation-list"),
    path("situation/start/<int:year>/", situation.situation_start, name="situation-start"),
    path("situation/<int:pk>/", situation.situation_detail, name="situation-detail"),
    path("situation/<int:pk>/edit/", situation.situation_edit, name="situation-edit"),
    path("situation/<int:pk>/approve/", situation.situation_approve, name="situation-approve"),
    path(
        "situation/<int:pk>/new-version/",
        situation.situation_new_version,
        name="situation-new-version",
    ),
    path(
        "situation/<int:picture_pk>/problems/new/",
        situation.problem_create,
        name="problem-create",
    ),
    path("situation/problems/<int:pk>/edit/", situation.problem_edit, name="problem-edit"),
    path("situation/problems/<int:pk>/delete/", situation.problem_delete, name="problem-delete"),
]

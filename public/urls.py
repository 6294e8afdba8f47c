"""The public pages and open data, mounted at /public/ (and /offentligt/)."""

from django.urls import path

from . import data_views, views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.agreement_page, name="agreement"),
    path("<int:pk>/<int:year>/", views.agreement_page, name="agreement-year"),
    path("<int:pk>/promises/<int:promise_pk>/", views.promise_page, name="promise"),
    path("<int:pk>/activities/<int:activity_pk>/", views.activity_page, name="activity"),
    path("<int:pk>/reports/<int:year>/v<int:version>.pdf", views.report_pdf, name="report"),
]

urlpatterns += [
    path("data/", data_views.data_index, name="data"),
    path("data/README.md", data_views.data_readme, name="data-readme"),
    path("data/<slug:table>-comma.csv", data_views.table_csv_comma, name="csv-comma"),
    path("data/<slug:table>.csv", data_views.table_csv, name="csv"),
    path("data/<slug:table>.json", data_views.table_json, name="json"),
    path(
        "<int:pk>/data/<slug:table>-comma.csv",
        data_views.table_csv_comma,
        name="agreement-csv-comma",
    ),
    path("<int:pk>/data/<slug:table>.csv", data_views.table_csv, name="agreement-csv"),
    path("<int:pk>/data/<slug:table>.json", data_views.table_json, name="agreement-json"),
    path("api/v1/", data_views.api_index, name="api-index"),
    path("api/v1/<slug:table>/", data_views.api_table, name="api"),
    path("reports.atom", data_views.reports_feed, name="reports-feed"),
    path("dcat.rdf", data_views.dcat_catalogue, name="dcat"),
]

"""The core app's pages: the home page, an agreement's dashboard and its management (mounted
by the root URLconf, `pitebra/urls.py`)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<int:agreement_pk>/", views.agreement_detail, name="agreement-detail"),
    path(
        "agreements/<int:agreement_pk>/cycle/<int:year>/",
        views.step_states_edit,
        name="agreement-cycle-edit",
    ),
    path("agreements/<int:agreement_pk>/copy/", views.agreement_copy, name="agreement-copy"),
    path(
        "agreements/<int:agreement_pk>/export.zip", views.agreement_export, name="agreement-export"
    ),
    path("data-protection/", include("pitebra.dataprotection.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]

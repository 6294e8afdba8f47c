"""The root URLconf: mounts every app, so it is the one module of the project package that
names the apps above the core app (tests/test_architecture.py exempts it by name)."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from followup.views import reminders as followup_reminders
from followup.views import work as followup_work
from plans.views import calendar
from public import publishing as public_publishing
from security.views import account as security_account
from security.views import sign_on as security_sign_on

urlpatterns = [
    path("", include("pitebra.site_urls")),
    path("agreements/<int:agreement_pk>/", include("plans.urls")),
    path("agreements/<int:agreement_pk>/", include("followup.urls")),
    path(
        "agreements/<int:agreement_pk>/public/",
        public_publishing.public_settings,
        name="public-settings",
    ),
    path("calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/reset/", calendar.calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("log/", followup_work.log_work, name="log-work"),
    path("reminders/", followup_reminders.reminder_settings, name="reminder-settings"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("security/", include("security.urls")),
    path("public/", include("public.urls")),
    # The Swedish address of the same pages (the canonical links say /public/).
    path("offentligt/", include(("public.urls", "public"), namespace="offentligt")),
    # Passkeys: django-otp-webauthn's own views, which its scripts call by these names.
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path(
        "accounts/password_change/",
        security_account.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        security_account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # The login page leads on to organisations' providers, and logging out also ends the
    # session there (security/views/sign_on).
    path("accounts/login/", security_sign_on.LoginView.as_view(), name="login"),
    path("accounts/logout/", security_sign_on.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from django.contrib import admin

        from . import admin_audit, signals  # noqa: F401

        admin.site.add_action(admin_audit.audited_delete_selected, "delete_selected")

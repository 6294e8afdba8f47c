from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from django.contrib import admin

        from pitebra.permissions import SHARED_SCOPES

        from . import admin_audit, checks, signals  # noqa: F401
        from .models import AuditEvent, ExternalAccount, IdentityProvider

        # Events name an agreement or a person: the admin's one scope asks the events' own rule.
        SHARED_SCOPES[AuditEvent] = lambda queryset, agreements, user: queryset.for_coordinator(
            user
        )

        # Identity providers and their links are the operator's alone: no coordinator scope.
        for model in (IdentityProvider, ExternalAccount):
            SHARED_SCOPES[model] = lambda queryset, agreements, user: queryset.none()

        admin.site.add_action(admin_audit.audited_delete_selected, "delete_selected")

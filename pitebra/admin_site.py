"""The admin site: open to coordinators (and superusers), never to members or readers."""

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .permissions import is_coordinator_anywhere


class PiteBraAdminSite(admin.AdminSite):
    site_header = _("PiteBra administration")
    site_title = _("PiteBra administration")
    index_title = _("Administration for coordinators")

    def has_permission(self, request):
        # With two-factor login required, the admin also needs a verified second factor.
        if settings.PITEBRA_REQUIRE_2FA and not request.user.is_verified():
            return False
        return is_coordinator_anywhere(request.user)

    def check(self, app_configs):
        """Every registered admin and inline must be scoped (pitebra.admin_scoping)."""
        from .admin_scoping import OperatorOnlyAdmin, ScopedAdminMixin
        from .permissions import SHARED_SCOPES, agreement_path

        errors = super().check(app_configs)
        for model, model_admin in self._registry.items():
            if app_configs is not None and model._meta.app_config not in app_configs:
                continue
            label = f"{model._meta.label}: {type(model_admin).__name__}"
            if not isinstance(model_admin, ScopedAdminMixin):
                errors.append(
                    checks.Error(
                        f"{label} does not build on pitebra.admin_scoping.ScopedModelAdmin.",
                        id="pitebra.E001",
                    )
                )
            errors += [
                checks.Error(
                    f"{label}: inline {inline.__name__} is not a scoped inline.", id="pitebra.E002"
                )
                for inline in model_admin.inlines
                if not issubclass(inline, ScopedAdminMixin)
            ]
            if isinstance(model_admin, OperatorOnlyAdmin) or model in SHARED_SCOPES:
                continue
            for scoped in [model, *(inline.model for inline in model_admin.inlines)]:
                try:
                    agreement_path(scoped)
                except ImproperlyConfigured as error:
                    errors.append(checks.Error(f"{label}: {error}", id="pitebra.E003"))
        return errors

"""The admin site: open to coordinators (and superusers), never to members or readers."""

from django.conf import settings
from django.contrib import admin
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

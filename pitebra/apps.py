from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PiteBraConfig(AppConfig):
    name = "pitebra"
    verbose_name = _("PiteBra")

    def ready(self):
        from .versioning import history

        history.connect()


class PiteBraAdminConfig(AdminConfig):
    """Django's admin, with a site that lets coordinators in (not only staff)."""

    default_site = "pitebra.admin_site.PiteBraAdminSite"

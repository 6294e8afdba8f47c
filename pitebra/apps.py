from django.apps import AppConfig, apps
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class PiteBraConfig(AppConfig):
    name = "pitebra"
    verbose_name = _("PiteBra")

    def ready(self):
        from .validators import FREE_TEXT_APPS, install_free_text_validation, normalise_text

        configs = [apps.get_app_config(label) for label in FREE_TEXT_APPS]
        install_free_text_validation(configs)
        for config in configs:
            for model in config.get_models():
                pre_save.connect(normalise_text, sender=model, dispatch_uid=f"crlf-{model}")

        from .versioning import history

        history.connect()

        from . import pagecache

        pagecache.connect()

        from django.core import checks

        from .dataprotection.checks import check_declarations

        checks.register(check_declarations, "pitebra")


class PiteBraAdminConfig(AdminConfig):
    """Django's admin, with a site that lets coordinators in (not only staff)."""

    default_site = "pitebra.admin_site.PiteBraAdminSite"

from django.apps import AppConfig, apps
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate, pre_save
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

        from . import pagecache, rowsecurity

        pagecache.connect()
        rowsecurity.connect()
        # After every migrate, every agreement-owned table has its policy (PostgreSQL only):
        # a table added tomorrow is covered without a migration of its own.
        post_migrate.connect(_row_security, dispatch_uid="pitebra-row-security")

        from django.core import checks

        from .dataprotection.checks import check_declarations

        checks.register(check_declarations, "pitebra")


def _row_security(sender, app_config, using, apps=None, **kwargs):
    from django.db import connections

    from . import rowsecurity

    if app_config.label != "pitebra" or apps is None:
        return
    rowsecurity.install(apps, connections[using].schema_editor(atomic=False))


class PiteBraAdminConfig(AdminConfig):
    """Django's admin, with a site that lets coordinators in (not only staff)."""

    default_site = "pitebra.admin_site.PiteBraAdminSite"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public pages and open data: what anyone may read without logging in."""

    name = "public"
    verbose_name = _("Public page and open data")

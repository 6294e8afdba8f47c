from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Steps 1–3: facts, the joint situation picture and the implementation plan."""

    name = "plans"
    verbose_name = _("Facts, situation picture and plan")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Steps 4–5: operational work, follow-up and evaluation, meetings, the year-end report."""

    name = "followup"
    verbose_name = _("Follow-up")

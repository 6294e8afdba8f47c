from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Steps 4–5: operational work, follow-up and evaluation, meetings, the year-end report."""

    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from pitebra.cycle import register_step_deriver
        from pitebra.dashboard import register_glance

        from .glance import glance, published_year
        from .steps import follow_up_step_states, operations_step_states

        register_step_deriver(4, operations_step_states)
        register_step_deriver(5, follow_up_step_states)
        register_glance(glance=glance, published_year=published_year)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Steps 1–3: facts, the joint situation picture and the implementation plan."""

    name = "plans"
    verbose_name = _("Facts, situation picture and plan")

    def ready(self):
        from pitebra.cycle import register_step_deriver

        from .steps import plan_step_states

        register_step_deriver(3, plan_step_states)

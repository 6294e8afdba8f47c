from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Steps 1–3: facts, the joint situation picture and the implementation plan."""

    name = "plans"
    verbose_name = _("Facts, situation picture and plan")

    def ready(self):
        from pitebra.cycle import register_step_deriver
        from pitebra.models import StepStatus
        from pitebra.signals import agreement_copied

        from .cycle import facts_states, plan_states, situation_states
        from .services.wheel import risk_periods_copied

        register_step_deriver(StepStatus.Step.FACTS, facts_states)
        register_step_deriver(StepStatus.Step.SITUATION, situation_states)
        register_step_deriver(StepStatus.Step.PLAN, plan_states)
        agreement_copied.connect(risk_periods_copied, dispatch_uid="plans-risk-periods")

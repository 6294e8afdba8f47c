"""Follow-up's reactions to what the plan announces (`plans.signals`), connected in `ready`."""

from django.dispatch import receiver

from plans.signals import traffic_light_changed

from . import services


@receiver(traffic_light_changed, dispatch_uid="followup-status-history")
def record_status_update(sender, *, activity, previous_light, comment, by, **kwargs):
    """A light changed in the plan's activity form joins the activity's status history."""
    services.status_update_record(
        activity=activity, previous_light=previous_light, comment=comment, by=by
    )

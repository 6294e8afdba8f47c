"""An activity's status history: one row per change of its status or traffic light.

It lives beside the activity whose status it records, so that the one service that saves a
status (`plans/services/status.py`) writes its history too, whichever page the change comes
from. The table keeps its first name (`followup_statusupdate`): the model moved, the data did
not.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Created, created_at_field, created_by_field
from pitebra.validators import NO_PIN

from .plan import Activity


class StatusUpdate(Created):
    """A change of an activity's traffic light or status, with the reason given."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="status_updates",
    )
    traffic_light = models.CharField(
        _("traffic light"), max_length=10, choices=Activity.TrafficLight.choices, blank=True
    )
    previous_traffic_light = models.CharField(
        _("previous traffic light"),
        max_length=10,
        choices=Activity.TrafficLight.choices,
        blank=True,
    )
    status = models.CharField(_("status"), max_length=20, choices=Activity.Status.choices)
    comment = models.TextField(
        _("comment"),
        validators=NO_PIN,
        help_text=_("Why the status changed, in a sentence or two."),
    )
    created_by = created_by_field(_("changed by"))
    created_at = created_at_field(_("changed at"))

    class Meta:
        db_table = "followup_statusupdate"
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.activity}: {self.get_traffic_light_display() or '–'}"

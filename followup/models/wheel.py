"""The annual wheel's memory: a short debrief after each risk period, read again next year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Created
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned
from plans.models import RiskPeriod


class Debrief(Created, Versioned):
    """What worked and what to change after a risk period (erfarenhetsåterföring)."""

    period = models.ForeignKey(
        RiskPeriod,
        verbose_name=_("risk period"),
        on_delete=models.CASCADE,
        related_name="debriefs",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    what_worked = models.TextField(_("what worked"), blank=True, validators=NO_PIN)
    what_to_change = models.TextField(_("what to change"), blank=True, validators=NO_PIN)
    proposals = models.TextField(
        _("proposals for next year"),
        blank=True,
        validators=NO_PIN,
        help_text=_("One per line; each can become an activity in next year's plan."),
    )

    class Meta:
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["period", "year"], name="debrief_one_per_period_year")
        ]

    def __str__(self):
        return f"{self.period} {self.year}"

    @property
    def proposal_list(self):
        return [line.strip() for line in self.proposals.splitlines() if line.strip()]

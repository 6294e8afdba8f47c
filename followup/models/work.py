"""Step 4 and the activity side of step 5: log entries, status updates and evaluations.

Brå's three kinds of follow-up: production (what was done, how often, how many were reached:
the log), process (how the work went, resources used) and effect (indicators before and after).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pitebra.models import Created, Organisation, created_at_field, created_by_field
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned
from plans.models import Activity, CitizenPromise

AGREEMENT = "activity__strategy__goal__plan__agreement"
PLAN_YEAR = "activity__strategy__goal__plan__year"


class LogEntryQuerySet(models.QuerySet):
    def for_agreement(self, agreement):
        return self.filter(**{AGREEMENT: agreement})

    def in_own_plan_year(self):
        """Entries dated within their activity's plan year: the only ones any figure counts."""
        return self.filter(date__year=models.F(PLAN_YEAR))

    def outside_own_plan_year(self):
        return self.exclude(date__year=models.F(PLAN_YEAR))


class LogEntry(Created):
    """What was actually done on one day for an activity (operational work)."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="log_entries",
    )
    date = models.DateField(_("date"), help_text=_("The day the work was done."))
    description = models.TextField(_("what was done"), validators=NO_PIN)
    occasions = models.PositiveIntegerField(
        _("how many times"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("E.g. 3 for three patrols or three lessons on the same day."),
    )
    people_reached = models.PositiveIntegerField(
        _("people reached"),
        null=True,
        blank=True,
        help_text=_("Roughly how many people were reached; leave empty if not known."),
    )
    hours = models.DecimalField(
        _("hours spent"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Working hours in total, for everyone taking part."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="log_entries",
        help_text=_("The organisation that did the work."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True, validators=NO_PIN)
    citizen_promise = models.ForeignKey(
        CitizenPromise,
        verbose_name=_("citizen promise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
        help_text=_("Choose a promise if the work counts toward it."),
    )
    note = models.TextField(_("note"), blank=True, validators=NO_PIN)
    created_by = created_by_field(_("logged by"), related_name="log_entries")
    created_at = created_at_field(_("logged at"))

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["activity", "date"], name="logentry_activity_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.activity}"

    def clean(self):
        super().clean()
        if self.date is None or self.activity_id is None:
            return
        year = self.activity.strategy.goal.plan.year
        if self.date.year != year:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _(
                            "The date must fall within the activity's plan year %(year)s: "
                            "work in another year is logged on that year's activity."
                        ),
                        code="outside_plan_year",
                        params={"year": year},
                    )
                }
            )


class Evaluation(Versioned):
    """The follow-up of one activity in one operating year: production, process, effect."""

    class Delivery(models.TextChoices):
        YES = "yes", _("Yes, as planned")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class Verdict(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        CHANGE = "change", _("Change")
        STOP = "stop", _("Stop")

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    # Production: was it done? The counts themselves come from the log.
    done_as_planned = models.CharField(
        _("done as planned?"), max_length=10, choices=Delivery.choices
    )
    production_comment = models.TextField(
        _("production"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What was delivered against the plan; the log's totals are shown beside."),
    )
    # Process: how the work and the collaboration went.
    what_worked = models.TextField(_("what worked"), blank=True, validators=NO_PIN)
    what_did_not_work = models.TextField(_("what did not work"), blank=True, validators=NO_PIN)
    hours_used = models.DecimalField(
        _("hours used"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the hours from the log."),
    )
    cost_used = models.DecimalField(
        _("cost (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Effect: the linked indicators before and after, against a comparison.
    effect_assessment = models.TextField(
        _("effect"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What the indicators show before and after, and how sure the link is."),
    )
    comparison_scope = models.CharField(
        _("compared with"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the county, the whole country or a similar municipality."),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    lessons = models.TextField(_("lessons learned"), blank=True, validators=NO_PIN)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["year", "activity__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year"], name="evaluation_one_per_year"),
            models.CheckConstraint(
                condition=Q(hours_used__isnull=True) | Q(hours_used__gte=0),
                name="evaluation_hours_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.activity} ({self.year})"

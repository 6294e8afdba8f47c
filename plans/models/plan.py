"""Step 3: the implementation plan (genomförandeplan) of an operating year.

A map of goals, strategies, activities, responsibility and a timeline: priority area → goal →
strategy → activity, with the year's citizen promises beside it. One module past 300 lines
on purpose: the tree reads top to bottom, each level pointing at the one above.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pitebra.models import Agreement, Organisation, PriorityArea
from pitebra.personal_data import personal_data_errors, refuse_if_personal
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned


class ImplementationPlan(Versioned):
    """One agreement's plan for one operating year; draft until a coordinator adopts it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous year's plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plans",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="plan_one_per_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False),
                name="plan_adopted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.agreement.title} – {self.year}"

    @property
    def is_adopted(self):
        return self.status == self.Status.ADOPTED


class PlanItem(Versioned):
    """What goals, strategies and activities share: a title, a place in order, a history."""

    title = models.CharField(_("title"), max_length=300, validators=NO_PIN)
    description = models.TextField(_("description"), blank=True, validators=NO_PIN)
    position = models.PositiveIntegerField(_("position"), default=0)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("the same item the year before"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when the plan is rolled over; the yearly comparison follows it."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Goal(PlanItem):
    """A goal under a priority area, with a measurable target where one fits."""

    plan = models.ForeignKey(
        ImplementationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals"
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        verbose_name=_("priority area"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A measurable target, where one fits: the value the indicator should reach."),
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("target indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        help_text=_("The indicator whose value the target is about."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["priority_area__position", "position", "pk"]


class Strategy(PlanItem):
    """How a goal is pursued."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="strategies"
    )
    history = HistoricalRecords()

    class Meta(PlanItem.Meta):
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")


class ActivityQuerySet(models.QuerySet):
    def in_plan(self, plan):
        return self.filter(strategy__goal__plan=plan)

    def unfinished(self):
        return self.filter(status__in=Activity.UNFINISHED)

    def public(self):
        """Marked public, in an adopted plan of an agreement whose public page is on."""
        return self.filter(
            public=True,
            strategy__goal__plan__status=ImplementationPlan.Status.ADOPTED,
            strategy__goal__plan__agreement__public=True,
        )

    def in_plan_order(self):
        """The order the group gave the plan: priority area, goal, strategy, activity."""
        return self.order_by(
            "strategy__goal__priority_area__position",
            "strategy__goal__position",
            "strategy__goal__pk",
            "strategy__position",
            "strategy__pk",
            "position",
            "pk",
        )

    def with_tree(self):
        return self.select_related(
            "strategy__goal__priority_area", "responsible_organisation", "contact_user"
        ).prefetch_related("partners", "causes__problem", "problems", "indicators")


class StatusWithoutHistory(RuntimeError):
    """An activity's status or traffic light was saved past `plans.services.status`."""


class Activity(PlanItem):
    """Who does what and when: one measure of the plan (Brå's Åtgärd)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class TrafficLight(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    UNFINISHED = [Status.PLANNED, Status.ONGOING, Status.POSTPONED]
    # What the public page and the open data show of a public activity.
    PUBLIC_TEXTS = ["title", "description", "operational_goal", "target_group"]

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="activities"
    )
    operational_goal = models.TextField(
        _("operational goal"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What the activity should achieve, concretely and countably."),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="responsible_activities",
    )
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person (member)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_activities",
    )
    contact_name = models.CharField(
        _("contact person (name)"),
        max_length=200,
        blank=True,
        help_text=_("For a contact person without a login."),
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_activities",
    )
    causes = models.ManyToManyField(
        "plans.Cause",
        verbose_name=_("causes addressed"),
        blank=True,
        related_name="activities",
        help_text=_("The probable causes from the situation picture that the activity targets."),
    )
    problems = models.ManyToManyField(
        "plans.Problem",
        verbose_name=_("problems addressed"),
        blank=True,
        related_name="activities",
    )
    indicators = models.ManyToManyField(
        "plans.Indicator",
        verbose_name=_("indicators of effect"),
        blank=True,
        related_name="activities",
        help_text=_("The indicators that would show whether the activity has an effect."),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    risk_period = models.ForeignKey(
        "plans.RiskPeriod",
        verbose_name=_("risk period"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("The time of year the activity is for; the annual wheel places it there."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    traffic_light = models.CharField(
        _("traffic light"), max_length=10, choices=TrafficLight.choices, blank=True
    )
    traffic_light_comment = models.TextField(_("assessment comment"), blank=True, validators=NO_PIN)
    target_group = models.CharField(
        _("target group"),
        max_length=300,
        blank=True,
        validators=NO_PIN,
    )
    places = models.CharField(
        _("places"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated, e.g. Centrum, Öjebyn, Norrfjärden."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    estimated_cost = models.DecimalField(
        _("estimated cost (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    follow_up = models.TextField(
        _("follow-up"),
        blank=True,
        validators=NO_PIN,
        help_text=_("How the activity will be followed up."),
    )
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Shown on the agreement's public page and in its open data: title, description, "
            "operational goal, target group, responsible organisation, dates, status and "
            "district. Never the contact person, the log or the assessment."
        ),
    )
    history = HistoricalRecords(m2m_fields=[partners, causes, problems, indicators])

    objects = ActivityQuerySet.as_manager()

    class Meta(PlanItem.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="activity_start_before_end",
                violation_error_message=_("The start must not be after the end."),
            ),
        ]

    def clean(self):
        """What every activity needs, wherever it is entered (plan form, decision form, admin):
        an end not before its start, and a contact person."""
        super().clean()
        errors = {}
        if self.start and self.end and self.start > self.end:
            errors["end"] = ValidationError(
                _("The end must not be before the start."), code="order"
            )
        if self.contact_user_id is None and not self.contact_name:
            errors["contact_name"] = ValidationError(
                _("Name a contact person: choose a member or write a name."),
                code="contact_required",
            )
        if self.risk_period_id and self.strategy_id:
            agreement = self.strategy.goal.plan.agreement_id
            if self.risk_period.agreement_id != agreement:
                errors["risk_period"] = ValidationError(
                    _("Choose a risk period of this agreement."), code="other_agreement"
                )
        if self.public:
            errors.update(
                personal_data_errors(
                    {name: getattr(self, name) for name in self.PUBLIC_TEXTS},
                    label=_("The activity"),
                )
            )
        if errors:
            raise ValidationError(errors)

    # (status, traffic light) as loaded from the database; None for a new activity.
    loaded_status = None
    # Set by `plans.services.status` while it saves: only it writes the status history.
    saving_status = False

    @classmethod
    def from_db(cls, db, field_names, values):
        activity = super().from_db(db, field_names, values)
        if "status" in activity.__dict__ and "traffic_light" in activity.__dict__:
            activity.loaded_status = (activity.status, activity.traffic_light)
        return activity

    def save(self, *args, **kwargs):
        """A change of status or traffic light is saved by `plans.services.status`, which
        writes the status history with it; saved any other way it would leave no trace."""
        fields = kwargs.get("update_fields")
        if (
            (fields is None or {"status", "traffic_light"} & set(fields))
            and not self.saving_status
            and self.loaded_status not in (None, (self.status, self.traffic_light))
        ):
            raise StatusWithoutHistory(
                f"Activity {self.pk}: save a status through plans.services.status"
            )
        super().save(*args, **kwargs)
        self._status_loaded()

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        fields = kwargs.get("fields")
        if fields is None or {"status", "traffic_light"} & set(fields):
            self._status_loaded()

    def _status_loaded(self):
        if "status" in self.__dict__ and "traffic_light" in self.__dict__:
            self.loaded_status = (self.status, self.traffic_light)

    @property
    def contact(self):
        return str(self.contact_user) if self.contact_user else self.contact_name

    @property
    def place_list(self):
        return [p.strip() for p in self.places.split(",") if p.strip()]

    @property
    def is_unfinished(self):
        return self.status in self.UNFINISHED

    def is_overdue(self, today: datetime.date):
        return self.is_unfinished and self.end is not None and self.end < today

    def months_in(self, year: int):
        """The months (1–12) of `year` during which the activity runs."""
        if not (self.start or self.end):
            return []
        start = self.start or datetime.date(year, 1, 1)
        end = self.end or datetime.date(year, 12, 31)
        return [
            month
            for month in range(1, 13)
            if start <= _month_end(year, month) and end >= datetime.date(year, month, 1)
        ]


def _month_end(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def quarter_dates(year: int, quarter: int):
    """First and last day of a quarter: an activity may be planned to a quarter."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    return start, _month_end(year, 3 * quarter)


class CitizenPromise(Versioned):
    """A medborgarlöfte of the year with a countable target per period."""

    class Period(models.TextChoices):
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="citizen_promises",
    )
    promise = models.TextField(_("promise"), validators=NO_PIN)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible party"),
        on_delete=models.PROTECT,
        related_name="citizen_promises",
    )
    target_count = models.PositiveIntegerField(
        _("target count"), help_text=_("How many times, e.g. 3 citizen dialogues.")
    )
    target_period = models.CharField(
        _("target period"), max_length=10, choices=Period.choices, default=Period.YEAR
    )
    unit = models.CharField(
        _("what is counted"),
        max_length=100,
        help_text=_("E.g. citizen dialogues, activities, walks."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citizen promise")
        verbose_name_plural = _("citizen promises")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target_count__gt=0), name="promise_target_positive")
        ]

    def __str__(self):
        return self.promise[:80]

    def clean(self):
        """A promise is public with its agreement's page: then it passes the personal-data
        check."""
        super().clean()
        if self.plan_id and self.plan.agreement.public:
            refuse_if_personal(
                {"promise": self.promise, "unit": self.unit}, label=_("The citizen promise")
            )

    @property
    def target_label(self):
        """'Medborgardialoger: 3 per år': the unit as a label, so that a target of 1 does
        not read '1 medborgardialoger'."""
        unit = self.unit[:1].upper() + self.unit[1:]
        return f"{unit}: {self.target_count} {self.get_target_period_display()}"

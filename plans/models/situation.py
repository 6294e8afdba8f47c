"""Step 2: the joint situation picture (lägesbild), its problems, their causes and approvals.

One module past 300 lines on purpose: one picture and what hangs on it, read together; a
change to any of them withdraws the picture's approvals.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement, Created, PriorityArea
from pitebra.validators import NO_PIN
from pitebra.versioning import VersionChecked, Versioned

from .facts import Document, Indicator, Observation, Source


class SituationPictureQuerySet(models.QuerySet):
    def latest_versions(self):
        """Only each year's newest version."""
        newest = (
            SituationPicture.objects.filter(agreement=OuterRef("agreement"), year=OuterRef("year"))
            .order_by("-version")
            .values("version")[:1]
        )
        return self.filter(version=Subquery(newest))

    def agreed(self):
        return self.filter(agreed_at__isnull=False)


class SituationPicture(VersionChecked, Created):
    """One version of an operating year's joint situation picture, as SFS 2023:196 §4 asks."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="situation_pictures",
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # `version` numbers the agreed versions of the picture; edits are checked against this.
    edit_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)
    version_field = "edit_version"
    crime_extent = models.TextField(
        _("crime mapping: extent"),
        blank=True,
        validators=NO_PIN,
        help_text=_("How much crime there is, of which kinds, where and when."),
    )
    crime_consequences = models.TextField(
        _("crime mapping: consequences"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What the crime costs victims, residents and the community, e.g. insecurity."),
    )
    other_information = models.TextField(
        _("other relevant information"),
        blank=True,
        validators=NO_PIN,
        help_text=_("E.g. social conditions, risk and protective factors, events in the year."),
    )
    analysis = models.TextField(
        _("analysis"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What the facts mean together: the problems, their probable causes, trends."),
    )
    agreed_at = models.DateTimeField(
        _("agreed at"),
        null=True,
        blank=True,
        help_text=_("Set when both the police and the municipality have approved."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SituationPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation picture")
        verbose_name_plural = _("situation pictures")
        ordering = ["agreement", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "version"], name="situation_picture_unique_version"
            ),
        ]

    def __str__(self):
        return f"{self.year} v{self.version}"

    @property
    def is_agreed(self):
        return self.agreed_at is not None

    def law_parts(self):
        """The parts SFS 2023:196 §4 requires, each with whether it is written."""
        return [
            (_("Crime mapping: extent"), bool(self.crime_extent.strip())),
            (_("Crime mapping: consequences"), bool(self.crime_consequences.strip())),
            (_("Other relevant information"), bool(self.other_information.strip())),
            (_("Analysis"), bool(self.analysis.strip())),
        ]


class Approval(models.Model):
    """One party's approval of one version of a situation picture: who and when."""

    class Party(models.TextChoices):
        POLICE = "police", _("The police")
        MUNICIPALITY = "municipality", _("The municipality")

    picture = models.ForeignKey(
        SituationPicture,
        verbose_name=_("situation picture"),
        on_delete=models.CASCADE,
        related_name="approvals",
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["picture", "party"]
        constraints = [
            models.UniqueConstraint(fields=["picture", "party"], name="approval_one_per_party"),
        ]

    def __str__(self):
        return f"{self.get_party_display()}: {self.user}"


class Place(models.Model):
    """A place tag of an agreement's municipality, e.g. Centrum, Öjebyn, Norrfjärden."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["agreement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="place_unique_name"),
        ]

    def __str__(self):
        return self.name


class Problem(Versioned):
    """One problem of a situation picture: what, where, when, who, why, evidence and trend."""

    class Trend(models.TextChoices):
        INCREASING = "increasing", _("Increasing")
        STABLE = "stable", _("Stable")
        DECREASING = "decreasing", _("Decreasing")
        UNKNOWN = "unknown", _("Unknown")

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", _("Morning")
        DAYTIME = "daytime", _("Daytime")
        EVENING = "evening", _("Evening")
        NIGHT = "night", _("Night")

    class Weekday(models.TextChoices):
        MONDAY = "mon", _("Monday")
        TUESDAY = "tue", _("Tuesday")
        WEDNESDAY = "wed", _("Wednesday")
        THURSDAY = "thu", _("Thursday")
        FRIDAY = "fri", _("Friday")
        SATURDAY = "sat", _("Saturday")
        SUNDAY = "sun", _("Sunday")

    class Season(models.TextChoices):
        WINTER = "winter", _("Winter")
        SPRING = "spring", _("Spring")
        SUMMER = "summer", _("Summer")
        AUTUMN = "autumn", _("Autumn")

    class Seriousness(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    picture = models.ForeignKey(
        SituationPicture,
        verbose_name=_("situation picture"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    title = models.CharField(_("title"), max_length=200, validators=NO_PIN)
    description = models.TextField(_("description"), blank=True, validators=NO_PIN)
    priority_area = models.ForeignKey(
        PriorityArea,
        verbose_name=_("priority area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="problems"
    )
    where = models.CharField(
        _("where, in other words"),
        max_length=300,
        blank=True,
        validators=NO_PIN,
        help_text=_("Places not in the list, e.g. the bus station or a stretch of road."),
    )
    times_of_day = models.JSONField(_("times of day"), default=list, blank=True)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)
    seasons = models.JSONField(_("seasons"), default=list, blank=True)
    when = models.CharField(
        _("when, in other words"),
        max_length=300,
        blank=True,
        validators=NO_PIN,
        help_text=_("What the choices above do not say, e.g. around pay day, the school holidays."),
    )
    affected = models.TextField(
        _("who is affected"),
        blank=True,
        validators=NO_PIN,
        help_text=_("Groups, never named individuals: e.g. pupils in years 7–9, night travellers."),
    )
    trend = models.CharField(
        _("trend"), max_length=20, choices=Trend.choices, default=Trend.UNKNOWN
    )
    seriousness = models.CharField(
        _("seriousness"), max_length=10, choices=Seriousness.choices, default=Seriousness.MEDIUM
    )
    seriousness_note = models.TextField(
        _("assessment of seriousness"),
        blank=True,
        validators=NO_PIN,
        help_text=_("Why the problem is judged this serious: harm, frequency, insecurity."),
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), blank=True, related_name="problems"
    )
    observations = models.ManyToManyField(
        Observation, verbose_name=_("observations"), blank=True, related_name="problems"
    )
    documents = models.ManyToManyField(
        Document, verbose_name=_("documents"), blank=True, related_name="problems"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="problems"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["picture", "position", "id"]

    def __str__(self):
        return self.title

    def when_display(self):
        """Times of day, weekdays and seasons in words, in their natural order, then the note."""
        parts = []
        for values, choices in [
            (self.times_of_day, self.TimeOfDay),
            (self.weekdays, self.Weekday),
            (self.seasons, self.Season),
        ]:
            chosen = [str(choice.label) for choice in choices if choice.value in (values or [])]
            if chosen:
                parts.append(", ".join(chosen))
        if self.when:
            parts.append(self.when)
        return " · ".join(parts)

    def has_evidence(self):
        """Uses prefetched relations when present."""
        return any(
            rel.all() for rel in (self.indicators, self.observations, self.documents, self.sources)
        )


class Cause(Versioned):
    """A probable cause of a problem: each measure of the plan addresses a cause (Brå)."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="causes"
    )
    description = models.CharField(_("probable cause"), max_length=500, validators=NO_PIN)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("cause")
        verbose_name_plural = _("causes")
        ordering = ["problem", "position", "id"]

    def __str__(self):
        return self.description

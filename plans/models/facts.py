"""Step 1: facts about the state of the municipality (indicators, observations, documents)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Max, Prefetch
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement, PriorityArea
from pitebra.validators import NO_PIN


class MunicipalityFactsQuerySet(models.QuerySet):
    """Facts describe the municipality: every agreement of it sees the same ones."""

    def of_municipality(self, agreement):
        return self.filter(agreement__municipality_id=agreement.municipality_id)


class Source(models.Model):
    """One entry of the source register: what a source covers, if it was used, its limits."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("E.g. Polisen, Brå, Kolada, Skolenkäten.")
    )
    covers = models.TextField(
        _("what it covers"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What the source describes: which crimes, which ages, which places."),
    )
    used = models.BooleanField(
        _("used"),
        default=True,
        help_text=_("Whether the situation picture builds on this source or left it out."),
    )
    limitations = models.TextField(
        _("limitations"),
        blank=True,
        validators=NO_PIN,
        help_text=_("E.g. unreported crime, small numbers, low response rate."),
    )
    url = models.URLField(_("web address"), blank=True)

    objects = MunicipalityFactsQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["agreement", "-used", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="source_unique_name"),
        ]

    def __str__(self):
        return self.name


class IndicatorQuerySet(MunicipalityFactsQuerySet):
    def with_observations(self):
        """Indicators with their observations (oldest first) and source, in three queries."""
        return self.select_related("source").prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.order_by("year", "subperiod", "scope", "gender"),
            ),
            "priority_areas",
        )


class Indicator(models.Model):
    """A measured quantity (nyckeltal) with its unit, source and the direction that is better."""

    class Better(models.TextChoices):
        LOWER = "lower", _("Lower is better")
        HIGHER = "higher", _("Higher is better")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=NO_PIN)
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("E.g. per 100,000 inhabitants, %.")
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("Where the values come from (from the source register)."),
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI id"),
        max_length=20,
        blank=True,
        help_text=_("E.g. N07540; lets values be imported from Kolada."),
    )
    better = models.CharField(
        _("better direction"),
        max_length=10,
        choices=Better.choices,
        default=Better.LOWER,
        help_text=_("Whether a lower or a higher value is the better outcome."),
    )
    priority_areas = models.ManyToManyField(
        PriorityArea, verbose_name=_("priority areas"), blank=True, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["agreement", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="indicator_unique_name"),
        ]

    def __str__(self):
        return self.name

    def series(self):
        """Whole-year totals per scope, from (prefetched) observations: {scope: {year: value}}."""
        series = {scope: {} for scope in Observation.Scope.values}
        for observation in self.observations.all():
            if not observation.subperiod and observation.gender == Observation.Gender.TOTAL:
                series[observation.scope][observation.year] = observation.value
        return series


class ObservationQuerySet(models.QuerySet):
    def of_municipality(self, agreement):
        return self.filter(indicator__agreement__municipality_id=agreement.municipality_id)

    def newest_year_by_indicator(self):
        return dict(self.values("indicator").annotate(y=Max("year")).values_list("indicator", "y"))


class Observation(models.Model):
    """One value of an indicator for a period, a scope and (optionally) a gender."""

    class Scope(models.TextChoices):
        MUNICIPALITY = "municipality", _("The municipality")
        COUNTY = "county", _("The county")
        COUNTRY = "country", _("The whole country")

    class Gender(models.TextChoices):
        TOTAL = "T", _("Total")
        WOMEN = "K", _("Women and girls")
        MEN = "M", _("Men and boys")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    subperiod = models.CharField(
        _("part of year"),
        max_length=20,
        blank=True,
        help_text=_("Empty for the whole year; otherwise e.g. H1, Q3 or a month such as 03."),
    )
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.MUNICIPALITY,
        help_text=_("The municipality itself, or a comparison such as the county or country."),
    )
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3)
    note = models.CharField(_("note"), max_length=300, blank=True, validators=NO_PIN)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "year", "subperiod", "scope", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "subperiod", "scope", "gender"],
                name="observation_unique_period_scope_gender",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period}: {self.value}"

    @property
    def period(self):
        return f"{self.year} {self.subperiod}" if self.subperiod else str(self.year)


def document_upload_to(instance, filename):
    # A random name per file: never the user's name in a path, never a guessable URL.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{instance.agreement_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A supporting document (underlag): a report, a survey, a map, served only to members."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        PNG = "png", _("PNG image")
        JPEG = "jpeg", _("JPEG image")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300, validators=NO_PIN)
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    date = models.DateField(_("date"), help_text=_("When the document was written or published."))
    file = models.FileField(_("file"), upload_to=document_upload_to)
    kind = models.CharField(_("file type"), max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["agreement", "-date", "title"]

    def __str__(self):
        return self.title

    CONTENT_TYPES = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png": "image/png",
        "jpeg": "image/jpeg",
    }

    @property
    def content_type(self):
        return self.CONTENT_TYPES[self.kind]

    @property
    def download_name(self):
        stem = PurePath(self.original_name).stem if self.original_name else "dokument"
        return f"{stem}.{'jpg' if self.kind == 'jpeg' else self.kind}"

"""The year-end report (årsrapport): coordinators' narrative, and the published PDFs."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned


class YearEndReport(Versioned):
    """The narrative parts of one operating year's report, written in the app."""

    class ActivityDetail(models.TextChoices):
        # Both keep every activity in the report; they differ in where the rows stand. A
        # plan of thousands of activities is what made the PDF slow and heavy: either way
        # each activity is a row of few short cells.
        COMPACT = "compact", _("In a compact table in the plan and production sections")
        APPENDIX = "appendix", _("In an annex, with totals per goal in the sections")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    foreword = models.TextField(_("foreword"), blank=True, validators=NO_PIN)
    conclusions = models.TextField(_("conclusions and lessons"), blank=True, validators=NO_PIN)
    proposed_revisions = models.TextField(
        _("proposed revisions of next year's plan"),
        blank=True,
        validators=NO_PIN,
    )
    activity_detail = models.CharField(
        _("activities in detail"),
        max_length=10,
        choices=ActivityDetail.choices,
        default=ActivityDetail.COMPACT,
        help_text=_("Where the report lists each activity of the plan, one row per activity."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("year-end report")
        verbose_name_plural = _("year-end reports")
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="report_one_per_year")
        ]

    def __str__(self):
        return f"{self.agreement.title} – {self.year}"


class PublishedReportQuerySet(models.QuerySet):
    def without_pdf(self):
        """List pages never need the bytes."""
        return self.defer("pdf")


class PublishedReport(models.Model):
    """A published PDF: stored as it was published and never changed.

    A correction is published as a new version; the old one stays available.
    """

    report = models.ForeignKey(
        YearEndReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="published",
    )
    version = models.PositiveIntegerField(_("version"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    correction_reason = models.TextField(
        _("reason for the correction"),
        blank=True,
        validators=NO_PIN,
        help_text=_("What was wrong in the earlier version; printed on the corrected cover."),
    )

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="published_version_unique")
        ]

    def __str__(self):
        return f"{self.report} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(
                _("A published report never changes: publish a new version."), code="immutable"
            )
        self.sha256 = hashlib.sha256(bytes(self.pdf)).hexdigest()
        self.size = len(self.pdf)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("A published report is kept: it cannot be deleted."), code="immutable"
        )

    @property
    def filename(self):
        place = self.report.agreement.file_slug
        return f"arsrapport-{place}-{self.report.year}-v{self.version}.pdf"


class ReportRenderingQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(kind=ReportRendering.Kind.DRAFT)

    def pending(self):
        return self.filter(status=ReportRendering.Status.QUEUED)


class ReportRendering(models.Model):
    """One PDF made by the background worker: a draft (keyed by its HTML) or a publishing.

    A draft whose content has not changed is served from its last rendering; any app server
    can queue one and any worker can make it, because the queue and the bytes live in the
    database.
    """

    class Kind(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISH = "publish", _("publishing")

    class Status(models.TextChoices):
        QUEUED = "queued", _("being made")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    html = models.TextField(_("HTML to render"), blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    published = models.ForeignKey(
        PublishedReport,
        verbose_name=_("published report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ReportRenderingQuerySet.as_manager()

    class Meta:
        verbose_name = _("report rendering")
        verbose_name_plural = _("report renderings")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "content_sha256"],
                condition=models.Q(kind="draft"),
                name="rendering_one_draft_per_content",
            )
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.year} {self.kind} {self.status}"

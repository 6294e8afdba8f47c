"""The year-end report (årsrapport): coordinators' narrative, and the published PDFs."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement
from pitebra.validators import validate_no_personal_identity_number
from pitebra.versioning import Versioned

NO_PIN = [validate_no_personal_identity_number]


class YearEndReport(Versioned):
    """The narrative parts of one operating year's report, written in the app."""

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

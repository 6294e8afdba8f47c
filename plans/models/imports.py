"""Decisions made once on an import, saved per agreement and offered again the next time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement


class ImportChoice(models.Model):
    """How one text in a user's file maps: a column to a field, a value to a record or a code."""

    class Action(models.TextChoices):
        USE = "use", _("Use this")
        CREATE = "create", _("Create new")
        TEXT = "text", _("Keep as text")
        SKIP = "skip", _("Skip these rows")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="import_choices",
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        help_text=_("What the text is: a column of a plan or facts file, an organisation, …"),
    )
    text = models.CharField(_("text in the file"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    target = models.CharField(_("maps to"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["agreement", "kind", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "text"], name="import_choice_unique_text"
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.text} → {self.action} {self.target}".strip()


class ImportJob(models.Model):
    """A confirmed plan import, saved by the background worker: the file and the choices made
    on its preview, and how far the worker has come (the page shows it as a progress bar)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("not imported")

    plan = models.ForeignKey(
        "plans.ImplementationPlan",
        verbose_name=_("implementation plan"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
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
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # What the preview was built from; emptied once the job is finished.
    data = models.BinaryField(_("file"), blank=True, default=b"")
    columns = models.JSONField(_("columns"), null=True, blank=True)
    answers = models.JSONField(_("answers"), null=True, blank=True)
    seen = models.JSONField(_("versions seen at the preview"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows to import"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    counts = models.JSONField(_("result"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.plan} – {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0

"""Decisions made once on an import, saved per agreement and offered again the next time."""

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

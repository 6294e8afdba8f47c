"""How the crime-prevention council and the working group worked: a yearly self-evaluation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement
from pitebra.validators import NO_PIN


class CouncilSurvey(models.Model):
    """One year's self-evaluation round; coordinators edit the questions, open and close it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="council_surveys",
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("council self-evaluation")
        verbose_name_plural = _("council self-evaluations")
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="council_survey_per_year"),
        ]

    def __str__(self):
        return f"{self.agreement.title} – {self.year}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN


class CouncilQuestion(models.Model):
    """A statement members score from 1 (does not agree at all) to 5 (agrees fully)."""

    class Topic(models.TextChoices):
        PARTICIPATION = "participation", _("Participation")
        INFORMATION = "information", _("Information sharing")
        DECISIONS = "decisions", _("Decisions")
        FOLLOW_UP = "follow_up", _("Follow-up")
        OTHER = "other", _("Other")

    survey = models.ForeignKey(
        CouncilSurvey,
        verbose_name=_("self-evaluation"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.CharField(
        _("question"),
        max_length=300,
        validators=NO_PIN,
        help_text=_("A statement to score from 1 (not at all) to 5 (fully)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("self-evaluation question")
        verbose_name_plural = _("self-evaluation questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class CouncilAnswer(models.Model):
    """One member's score and comment on one question; results are shown without names."""

    # The pages promise that no answer is traced to a member: an export (pitebra/transfer)
    # writes no link to a person for such a model, and a restored answer has no respondent.
    ANONYMOUS = True

    question = models.ForeignKey(
        CouncilQuestion,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="council_answers",
        help_text=_("Empty for an answer restored from an archive: it left without its name."),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, validators=NO_PIN)

    class Meta:
        verbose_name = _("self-evaluation answer")
        verbose_name_plural = _("self-evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["question", "respondent"], name="council_answer_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="council_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.score}"

"""Meetings of the working group: who attended, the agenda, the minutes and the decisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement, Organisation, created_by_field
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned
from plans.models import Activity


class MeetingQuerySet(models.QuerySet):
    def for_agreement(self, agreement):
        return self.filter(agreement=agreement)

    def in_year(self, year: int):
        return self.filter(date__year=year)


class Meeting(Versioned):
    """One meeting of the working group (or the council), with agenda and minutes."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="meetings"
    )
    date = models.DateField(_("date"))
    title = models.CharField(
        _("title"),
        max_length=200,
        validators=NO_PIN,
        help_text=_("E.g. Working group meeting or Crime-prevention council."),
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendees"),
        blank=True,
        related_name="meetings_attended",
        help_text=_("Members of the working group who took part."),
    )
    other_attendees = models.TextField(
        _("other attendees"),
        blank=True,
        validators=NO_PIN,
        help_text=_("People without a login, one per line: name and organisation."),
    )
    agenda = models.TextField(_("agenda"), blank=True, validators=NO_PIN)
    minutes = models.TextField(_("minutes"), blank=True, validators=NO_PIN)
    created_by = created_by_field()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.title} {self.date:%Y-%m-%d}"


class Decision(models.Model):
    """A decision taken at a meeting; it can become a new activity in the plan."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision"), validators=NO_PIN)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity in the plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("The activity the decision became, if any."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:80]

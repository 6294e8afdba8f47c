"""The annual wheel's risk periods: the recurring times of the year a working group plans for.

A period carries a rule, so it rolls over to any year by itself (Valborg on 30 April, Easter and
midsummer as the calendar moves them); school terms and local events are entered per year.
"""

import datetime

from dateutil.easter import easter
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pitebra.models import Agreement
from pitebra.validators import NO_PIN
from pitebra.versioning import Versioned


class Rule(models.TextChoices):
    FIXED = "fixed", _("Fixed date")
    EASTER = "easter", _("Relative to Easter Sunday")
    HOLIDAY = "holiday", _("Swedish holiday rule")
    NTH_WEEKDAY = "nth_weekday", _("Nth weekday of a month")
    ISO_WEEK = "iso_week", _("ISO week")
    ENTERED = "entered", _("Dates entered per year")


class Holiday(models.TextChoices):
    MIDSUMMER_EVE = "midsummer_eve", _("Midsummer Eve (the Friday between 19 and 25 June)")
    ALL_SAINTS_DAY = "all_saints_day", _("All Saints' Day (the Saturday 31 October–6 November)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def weekday_between(year, month, first_day, weekday):
    """The `weekday` (0 = Monday) in the seven days from `first_day` of `month`."""
    start = datetime.date(year, month, first_day)
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def midsummer_eve(year: int) -> datetime.date:
    """Midsommarafton: the Friday between 19 and 25 June."""
    return weekday_between(year, 6, 19, Weekday.FRIDAY)


def all_saints_day(year: int) -> datetime.date:
    """Alla helgons dag: the Saturday between 31 October and 6 November."""
    return weekday_between(year, 10, 31, Weekday.SATURDAY)


HOLIDAY_RULES = {Holiday.MIDSUMMER_EVE: midsummer_eve, Holiday.ALL_SAINTS_DAY: all_saints_day}


def nth_weekday(year, month, nth, weekday):
    """The nth (1–5, or -1 for the last) `weekday` of the month; None when there is none."""
    if nth > 0:
        day = weekday_between(year, month, 1, weekday) + datetime.timedelta(weeks=nth - 1)
        return day if day.month == month else None
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


class RiskPeriodQuerySet(models.QuerySet):
    def for_agreement(self, agreement):
        return self.filter(agreement=agreement)


class RiskPeriod(Versioned):
    """A recurring time with more disorder or crime (riskperiod), by a rule that rolls over."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="risk_periods",
    )
    name = models.CharField(_("name"), max_length=200, validators=NO_PIN)
    description = models.TextField(_("description"), blank=True, validators=NO_PIN)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, default=Rule.FIXED)
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        help_text=_("For a fixed date and the nth weekday of a month (1–12)."),
    )
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, help_text=_("For a fixed date (1–31).")
    )
    holiday = models.CharField(_("holiday"), max_length=20, choices=Holiday.choices, blank=True)
    nth = models.SmallIntegerField(
        _("which one"),
        null=True,
        blank=True,
        help_text=_("For the nth weekday of a month: 1 for the first, -1 for the last."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    iso_week = models.PositiveSmallIntegerField(
        _("ISO week"), null=True, blank=True, help_text=_("The period starts on its Monday.")
    )
    offset_days = models.SmallIntegerField(
        _("days after the rule's date"),
        default=0,
        help_text=_("E.g. -2 with Easter for Good Friday; negative for days before."),
    )
    days = models.PositiveSmallIntegerField(
        _("length in days"), default=1, help_text=_("How many days the period lasts.")
    )
    prep_weeks = models.PositiveSmallIntegerField(
        _("preparation meeting, weeks before"),
        default=3,
        help_text=_("A preparation meeting is suggested this many weeks before the period."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = RiskPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk period")
        verbose_name_plural = _("risk periods")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="riskperiod_days_positive"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        needed = {
            Rule.FIXED: ["month", "day"],
            Rule.HOLIDAY: ["holiday"],
            Rule.NTH_WEEKDAY: ["month", "nth", "weekday"],
            Rule.ISO_WEEK: ["iso_week"],
        }.get(self.rule, [])
        errors = {
            name: ValidationError(_("The rule needs this."), code="required_by_rule")
            for name in needed
            if getattr(self, name) in (None, "")
        }
        if errors:
            raise ValidationError(errors)
        if self.rule == Rule.FIXED:
            try:
                datetime.date(2024, self.month, self.day)  # a leap year: 29 February exists
            except ValueError:
                raise ValidationError(
                    {"day": ValidationError(_("No such date."), code="no_such_date")}
                ) from None
        if self.rule == Rule.NTH_WEEKDAY and self.nth not in (-1, 1, 2, 3, 4, 5):
            raise ValidationError({"nth": ValidationError(_("1–5 or -1."), code="nth")})
        if self.rule == Rule.ISO_WEEK and not 1 <= self.iso_week <= 53:
            raise ValidationError({"iso_week": ValidationError(_("1–53."), code="week")})
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError({"month": ValidationError(_("1–12."), code="month")})

    def rule_date(self, year: int) -> datetime.date | None:
        """The date the rule names in `year`, before the offset; None where it names none."""
        try:
            if self.rule == Rule.FIXED:
                return datetime.date(year, self.month, self.day)
            if self.rule == Rule.EASTER:
                return easter(year)
            if self.rule == Rule.HOLIDAY:
                return HOLIDAY_RULES[self.holiday](year)
            if self.rule == Rule.NTH_WEEKDAY:
                return nth_weekday(year, self.month, self.nth, self.weekday)
            if self.rule == Rule.ISO_WEEK:
                return datetime.date.fromisocalendar(year, self.iso_week, 1)
        except (ValueError, TypeError, KeyError):
            return None  # 29 February in a common year, week 53 in a year of 52, a half rule
        return None

    def dates_in(self, year: int, entered=None):
        """(start, end) of the period in `year`, or None. `entered` maps year → (start, end)
        for a period entered per year; without it the entries are read from the database."""
        if self.rule == Rule.ENTERED:
            if entered is None:
                entered = {d.year: (d.start, d.end) for d in self.entered_dates.all()}
            return entered.get(year)
        day = self.rule_date(year)
        if day is None:
            return None
        start = day + datetime.timedelta(days=self.offset_days)
        return start, start + datetime.timedelta(days=self.days - 1)

    def prep_meeting_date(self, year: int, entered=None):
        """The suggested preparation meeting: `prep_weeks` before the start, on its Monday."""
        dates = self.dates_in(year, entered)
        if dates is None or not self.prep_weeks:
            return None
        day = dates[0] - datetime.timedelta(weeks=self.prep_weeks)
        return day - datetime.timedelta(days=day.weekday())


class RiskPeriodDates(models.Model):
    """The dates of a period entered for one year (a school term, a local event)."""

    period = models.ForeignKey(
        RiskPeriod,
        verbose_name=_("risk period"),
        on_delete=models.CASCADE,
        related_name="entered_dates",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("dates of a risk period")
        verbose_name_plural = _("dates of risk periods")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["period", "year"], name="riskperiod_dates_per_year"),
            models.CheckConstraint(
                condition=Q(start__lte=F("end")),
                name="riskperiod_dates_ordered",
                violation_error_message=_("The start must not be after the end."),
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.year}: {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.start and self.year and self.start.year != self.year:
            raise ValidationError(
                {"start": ValidationError(_("The start must fall in the year."), code="year")}
            )

"""Forms of step 4 and the start of step 5: the fast log form, status, evaluation, reminders."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from pitebra.models import Organisation, User
from pitebra.validators import validate_free_text, validate_no_personal_identity_number
from pitebra.versioning.forms import VersionedForm
from plans.models import Activity, CitizenPromise

from ..models import Evaluation, LogEntry

DATE = {"type": "date"}
RECENT = 5


def plan_year_for(agreement, today):
    """The operating year whose plan the log offers: this year's, or the latest before it."""
    latest = agreement.plans.filter(year__lte=today.year).aggregate(y=Max("year"))["y"]
    return latest or today.year


def _label(activity, year):
    """The title, with the plan's year when it is not the year on offer (a recent entry on
    last year's activity of the same name)."""
    plan_year = activity.strategy.goal.plan.year
    return str(activity) if plan_year == year else f"{activity} ({plan_year})"


class LogEntryForm(forms.ModelForm):
    """Fast enough for a phone: today, my organisation, my recent activities first."""

    class Meta:
        model = LogEntry
        fields = [
            "activity",
            "date",
            "description",
            "occasions",
            "people_reached",
            "hours",
            "citizen_promise",
            "place",
            "organisation",
            "note",
        ]
        widgets = {
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "occasions": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "people_reached": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.5"}),
        }

    QUICK = ["activity", "date", "description", "occasions"]

    def __init__(self, *args, agreement, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        year = plan_year_for(agreement, today)
        in_agreement = Activity.objects.filter(strategy__goal__plan__agreement=agreement)
        self.fields["activity"].queryset = in_agreement
        offered = list(
            in_agreement.filter(strategy__goal__plan__year=year)
            .select_related("strategy__goal__plan")
            .order_by("strategy__goal__position", "strategy__position", "position", "pk")
        )
        recent_ids = []
        for activity_id in (
            LogEntry.objects.filter(created_by=user, activity__in=in_agreement)
            .order_by("-created_at", "-pk")
            .values_list("activity_id", flat=True)[:50]
        ):
            if activity_id not in recent_ids:
                recent_ids.append(activity_id)
            if len(recent_ids) == RECENT:
                break
        by_pk = {a.pk: a for a in offered}
        # Opened from an activity of another year: offer it too, at the top.
        chosen = self.initial.get("activity")
        missing = [pk for pk in [chosen, *recent_ids] if pk and pk not in by_pk]
        by_pk.update(
            {
                a.pk: a
                for a in in_agreement.filter(pk__in=missing).select_related("strategy__goal__plan")
            }
        )
        recent = [by_pk[pk] for pk in recent_ids if pk in by_pk]
        mine = [a for a in offered if a.contact_user_id == user.pk and a.pk not in recent_ids]
        shown = set(recent_ids) | {a.pk for a in mine}
        others = [a for a in offered if a.pk not in shown and a.is_unfinished]
        finished = [a for a in offered if a.pk not in shown and not a.is_unfinished]
        # No activity is chosen for the person: a hurried entry must not land on the wrong one.
        choices = [("", _("Choose an activity"))]
        elsewhere = [by_pk[chosen]] if chosen in missing and chosen in by_pk else []
        for label, group in [
            (_("Chosen activity"), elsewhere),
            (_("My activities"), [a for a in mine if a not in elsewhere]),
            (_("My recent activities"), [a for a in recent if a not in elsewhere]),
            (_("Other activities %(year)s") % {"year": year}, others),
            (_("Finished activities %(year)s") % {"year": year}, finished),
        ]:
            if group:
                choices.append((label, [(a.pk, _label(a, year)) for a in group]))
        self.fields["activity"].choices = choices
        self.fields["activity"].help_text = _(
            "Your own activities come first, then the ones you logged recently."
        )
        promises = CitizenPromise.objects.filter(plan__agreement=agreement, plan__year=year)
        self.fields["citizen_promise"].queryset = promises
        self.fields["citizen_promise"].empty_label = _("– does not count toward a promise –")
        self.fields["organisation"].queryset = Organisation.objects.of_agreement(agreement)
        if not self.is_bound:
            self.initial.setdefault("date", today)
            self.initial.setdefault("organisation", user.organisation_id)
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError(
                _("The log records work that has been done: the date cannot be in the future."),
                code="future",
            )
        return day

    def quick_fields(self):
        return [self[name] for name in self.QUICK]

    def more_fields(self):
        return [self[name] for name in self.fields if name not in self.QUICK]


class StatusForm(forms.Form):
    """A status update from the follow-up: the comment is what the group reads later."""

    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    traffic_light = forms.ChoiceField(
        label=_("Traffic light"),
        choices=[("", _("– no assessment –"))] + Activity.TrafficLight.choices,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        validators=[validate_free_text],
        help_text=_("Why the status changed, in a sentence or two."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        validate_no_personal_identity_number(comment)
        return comment


class EvaluationForm(VersionedForm):
    class Meta:
        model = Evaluation
        fields = [
            "done_as_planned",
            "production_comment",
            "what_worked",
            "what_did_not_work",
            "hours_used",
            "cost_used",
            "effect_assessment",
            "comparison_scope",
            "verdict",
            "lessons",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "production_comment",
                "what_worked",
                "what_did_not_work",
                "effect_assessment",
                "lessons",
            ]
        } | {"done_as_planned": forms.RadioSelect, "verdict": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A required choice shown as radio buttons has no "---------" button.
        for name in ("done_as_planned", "verdict"):
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value != ""]


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["receives_reminders"]

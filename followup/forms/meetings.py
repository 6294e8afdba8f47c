"""Forms of the working group's meetings: the meeting, its decisions, a decision's activity."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pitebra.models import Organisation, User
from pitebra.permissions import editors_of
from pitebra.validators import validate_free_text, validate_no_personal_identity_number
from pitebra.versioning.forms import VersionedForm
from plans.models import Activity, Strategy

from ..models import Decision, Meeting
from .work import DATE


class MeetingForm(VersionedForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "attendees", "other_attendees", "agenda", "minutes"]
        widgets = {
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "attendees": forms.CheckboxSelectMultiple,
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 8}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (
            User.objects.filter(memberships__agreement=agreement)
            .select_related("organisation")
            .order_by("first_name", "last_name")
        )
        self.fields["attendees"].label_from_instance = lambda u: (
            f"{u} ({u.organisation})" if u.organisation else str(u)
        )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "responsible_organisation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = Organisation.objects.of_agreement(
            agreement
        )


class DecisionActivityForm(forms.Form):
    """The new activity a decision becomes: where in the plan, who, and when."""

    strategy = forms.ModelChoiceField(label=_("Strategy"), queryset=Strategy.objects.none())
    title = forms.CharField(
        label=_("Title of the activity"), max_length=300, validators=[validate_free_text]
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    contact_user = forms.ModelChoiceField(
        label=_("Contact person (member)"), queryset=User.objects.none(), required=False
    )
    contact_name = forms.CharField(
        label=_("Contact person (name)"),
        max_length=200,
        required=False,
        validators=[validate_free_text],
    )
    start = forms.DateField(label=_("Start"), required=False, widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("End"), required=False, widget=forms.DateInput(attrs=DATE))
    outside_year_ok = forms.BooleanField(
        label=_("Yes, the activity runs outside the plan's year on purpose"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, agreement, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = (
            Strategy.objects.filter(goal__plan__agreement=agreement, goal__plan__year=year)
            .select_related("goal__plan")
            .order_by("goal__position", "position", "pk")
        )
        self.fields["strategy"].label_from_instance = lambda s: f"{s.goal.title} → {s.title}"
        self.fields["contact_user"].queryset = editors_of(agreement)
        self.fields["responsible_organisation"].queryset = Organisation.objects.of_agreement(
            agreement
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title"):
            try:
                validate_no_personal_identity_number(cleaned["title"])
            except ValidationError as error:
                self.add_error("title", error)
        self._check_as_activity(cleaned)
        strategy = cleaned.get("strategy")
        if strategy is not None and not cleaned.get("outside_year_ok"):
            year = strategy.goal.plan.year
            for name in ("start", "end"):
                day = cleaned.get(name)
                if day and day.year != year:
                    self.add_error(
                        name,
                        ValidationError(
                            _(
                                "The date falls outside the plan's year %(year)s. Check it, or "
                                "tick the box below to save it anyway."
                            ),
                            code="outside_plan_year",
                            params={"year": year},
                        ),
                    )
                    self.fields["outside_year_ok"].widget = forms.CheckboxInput()
        return cleaned

    def _check_as_activity(self, cleaned):
        """The rules every activity follows (Activity.clean), on the fields this form has."""
        fields = ("start", "end", "contact_user", "contact_name")
        activity = Activity(**{name: cleaned.get(name) for name in fields})
        activity.contact_name = activity.contact_name or ""
        try:
            activity.clean()
        except ValidationError as error:
            self.add_error(None, error)

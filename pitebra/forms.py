"""Forms for the agreement dashboard, and a choice field the apps' filters share."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import StepStatus
from .validators import validate_free_text


class _ListedChoices(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # One plain query: Django's `.iterator()` declares a server-side cursor on PostgreSQL,
        # three round trips for the few rows a filter lists.
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice of a few rows (a filter's priority areas, organisations), read in one query."""

    iterator = _ListedChoices


class AgreementCopyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_free_text])
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=60,
        required=False,
        validators=[validate_free_text],
        help_text=_("E.g. “Piteå 2026–2028”: the heading of the dashboard and the menus."),
    )
    first_year = forms.IntegerField(label=_("First operating year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Last operating year"), min_value=2000, max_value=2100)
    revise_by = forms.DateField(
        label=_("Revise by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The agreement must be revised at the latest on this date."),
    )
    copy_working_group = forms.BooleanField(
        label=_("Copy the working group and its roles"), required=False, initial=True
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and first > last:
            self.add_error(
                "last_year",
                ValidationError(
                    _("The last year must not be before the first year."), code="period_order"
                ),
            )
        return cleaned


class StepStatesForm(forms.Form):
    """One operating year's five step states."""

    def __init__(self, *args, year, initial_states, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for step in StepStatus.Step:
            self.fields[f"step_{step.value}"] = forms.ChoiceField(
                label=f"{step.value}. {step.label}",
                choices=StepStatus.State.choices,
                initial=initial_states.get(step.value, StepStatus.State.NOT_STARTED),
            )

    def states(self):
        return {step.value: self.cleaned_data[f"step_{step.value}"] for step in StepStatus.Step}

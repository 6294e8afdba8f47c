"""Forms of step 2, the joint situation picture; choices limited to the agreement."""

from django import forms
from django.db.models import Max
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from pitebra.validators import validate_free_text, validate_no_personal_identity_number
from pitebra.versioning.forms import VersionedForm

from ..models import (
    Cause,
    Document,
    Indicator,
    Observation,
    Place,
    Problem,
    SituationPicture,
    Source,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class SituationPictureForm(VersionedForm):
    class Meta:
        model = SituationPicture
        fields = ["crime_extent", "crime_consequences", "other_information", "analysis"]
        widgets = {field: forms.Textarea(attrs={"rows": 5}) for field in fields}


class ObservationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.indicator.name} – {obj.period} – {obj.get_scope_display()}: {obj.value}"


class ProblemForm(VersionedForm):
    add_places = forms.CharField(
        label=_("New place tags"),
        required=False,
        max_length=300,
        validators=[validate_no_personal_identity_number, validate_free_text],
        help_text=_("Places missing from the list above, separated by commas, e.g. Sjulnäs."),
    )
    observations = ObservationChoiceField(
        label=_("Observations"),
        queryset=Observation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The values that show the problem (the municipality's values)."),
    )

    times_of_day = forms.MultipleChoiceField(
        label=_("Times of day"),
        choices=Problem.TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=Problem.Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seasons = forms.MultipleChoiceField(
        label=_("Seasons"),
        choices=Problem.Season.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Problem
        fields = [
            "title",
            "description",
            "priority_area",
            "places",
            "add_places",
            "where",
            "times_of_day",
            "weekdays",
            "seasons",
            "when",
            "affected",
            "trend",
            "seriousness",
            "seriousness_note",
            "indicators",
            "observations",
            "documents",
            "sources",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "affected": forms.Textarea(attrs={"rows": 2}),
            "seriousness_note": forms.Textarea(attrs={"rows": 2}),
            "places": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "documents": forms.CheckboxSelectMultiple,
            "sources": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.Meta.fields)
        if self.instance.pk is None and self.instance.picture_id:
            # The order is internal: a new problem goes last (the form does not ask).
            last = self.instance.picture.problems.aggregate(last=Max("position"))["last"]
            self.instance.position = (last or 0) + 1
        self.fields["priority_area"].queryset = agreement.priority_areas.all()
        self.fields["places"].queryset = Place.objects.filter(agreement=agreement)
        self.fields["indicators"].queryset = Indicator.objects.of_municipality(agreement)
        self.fields["observations"].queryset = (
            Observation.objects.of_municipality(agreement)
            .filter(scope=Observation.Scope.MUNICIPALITY)
            .select_related("indicator")
            .order_by("indicator__position", "indicator__name", "-year", "subperiod", "gender")
        )
        self.fields["documents"].queryset = Document.objects.filter(agreement=agreement)
        self.fields["sources"].queryset = Source.objects.of_municipality(agreement)

    def new_places(self, agreement):
        """The place tags typed in `add_places`, created for the agreement when new."""
        names = {name.strip()[:100] for name in self.cleaned_data["add_places"].split(",")}
        return [
            Place.objects.get_or_create(agreement=agreement, name=name)[0]
            for name in sorted(names)
            if name
        ]


class CauseForm(VersionedForm):
    class Meta:
        model = Cause
        fields = ["description"]


CauseFormSet = inlineformset_factory(
    Problem,
    Cause,
    form=CauseForm,
    fields=["description"],
    extra=2,
    can_delete=True,
    widgets={"description": forms.TextInput},
)

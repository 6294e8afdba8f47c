"""Forms of the implementation plan."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pitebra.forms import ListedModelChoiceField
from pitebra.models import Organisation
from pitebra.permissions import editors_of
from pitebra.versioning.forms import VersionedForm

from ..models import (
    Activity,
    Cause,
    CitizenPromise,
    Goal,
    Indicator,
    Problem,
    RiskPeriod,
    SituationPicture,
    Strategy,
)
from ..models.plan import quarter_dates


class GoalForm(VersionedForm):
    class Meta:
        model = Goal
        fields = [
            "priority_area",
            "title",
            "description",
            "target_indicator",
            "target_value",
            "target_year",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = plan.agreement.priority_areas.all()
        self.fields["target_indicator"].queryset = Indicator.objects.filter(
            agreement=plan.agreement
        )


class StrategyForm(VersionedForm):
    class Meta:
        model = Strategy
        fields = ["goal", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.select_related("priority_area")
        self.fields["goal"].label = _("Goal (move the strategy by choosing another)")


QUARTER_CHOICES = [("", _("– dates below –"))] + [
    (str(q), _("Quarter %d") % q) for q in range(1, 5)
]


class ActivityForm(VersionedForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=QUARTER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Plan to a quarter instead of exact dates: fills in start and end."),
    )

    class Meta:
        model = Activity
        fields = [
            "strategy",
            "title",
            "description",
            "operational_goal",
            "responsible_organisation",
            "contact_user",
            "contact_name",
            "partners",
            "causes",
            "problems",
            "indicators",
            "quarter",
            "start",
            "end",
            "risk_period",
            "status",
            "traffic_light",
            "traffic_light_comment",
            "target_group",
            "places",
            "estimated_hours",
            "estimated_cost",
            "follow_up",
            "public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "operational_goal": forms.Textarea(attrs={"rows": 2}),
            "traffic_light_comment": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "partners": forms.CheckboxSelectMultiple,
            "causes": forms.CheckboxSelectMultiple,
            "problems": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        agreement = plan.agreement
        self.fields["strategy"].queryset = Strategy.objects.filter(goal__plan=plan).select_related(
            "goal"
        )
        self.fields["strategy"].label = _("Strategy (move the activity by choosing another)")
        organisations = Organisation.objects.of_agreement(agreement)
        self.fields["responsible_organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["responsible_organisation"].help_text = _("The parties first: %(parties)s.") % {
            "parties": ", ".join(o.name for o in agreement.parties())
        }
        self.fields["contact_user"].queryset = editors_of(agreement)
        self.fields["risk_period"].queryset = RiskPeriod.objects.for_agreement(agreement)
        self.fields["traffic_light"].required = False
        self._limit_evidence(agreement)

    def _limit_evidence(self, agreement):
        """Causes and problems of the newest situation pictures, and the agreement's indicators.

        Links the activity already has stay choosable even when their picture is superseded.
        """
        newest = SituationPicture.objects.filter(agreement=agreement).latest_versions()
        linked = self.instance.pk is not None
        causes = Q(problem__picture__in=newest)
        problems = Q(picture__in=newest)
        if linked:
            causes |= Q(activities=self.instance)
            problems |= Q(activities=self.instance)
        self.fields["causes"].queryset = (
            Cause.objects.filter(causes, problem__picture__agreement=agreement)
            .select_related("problem__picture")
            .distinct()
            .order_by("-problem__picture__year", "problem__position", "position")
        )
        self.fields["causes"].label_from_instance = lambda c: (
            f"{c.problem.picture.year} · {c.problem.title}: {c.description}"
        )
        self.fields["problems"].queryset = (
            Problem.objects.filter(problems, picture__agreement=agreement)
            .select_related("picture")
            .distinct()
            .order_by("-picture__year", "position")
        )
        self.fields["problems"].label_from_instance = lambda p: f"{p.picture.year} · {p.title}"
        self.fields["indicators"].queryset = Indicator.objects.of_municipality(agreement)

    def clean(self):
        cleaned = super().clean()
        quarter = cleaned.get("quarter")
        if quarter:
            cleaned["start"], cleaned["end"] = quarter_dates(self.plan.year, quarter)
            self.instance.start, self.instance.end = cleaned["start"], cleaned["end"]
        # The order of the dates and the contact person: Activity.clean(), run after this.
        # The status history is only useful if every change of the light says why: a changed
        # light (or a new activity's first one) needs a new, non-empty comment.
        light_changed = "traffic_light" in self.changed_data and (
            self.instance.pk or cleaned.get("traffic_light")
        )
        comment = (cleaned.get("traffic_light_comment") or "").strip()
        if light_changed and (not comment or "traffic_light_comment" not in self.changed_data):
            self.add_error(
                "traffic_light_comment",
                ValidationError(
                    _("The traffic light changed: write a short comment on why."),
                    code="comment_required",
                ),
            )
        return cleaned


class CitizenPromiseForm(VersionedForm):
    class Meta:
        model = CitizenPromise
        fields = ["promise", "responsible_organisation", "target_count", "unit", "target_period"]
        widgets = {"promise": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["responsible_organisation"].queryset = Organisation.objects.of_agreement(
            plan.agreement
        )


class PlanFilterForm(forms.Form):
    """The plan tree's filters; all optional, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words in the titles and descriptions of activities, strategies and goals."),
    )
    priority_area = ListedModelChoiceField(
        label=_("Priority area"), queryset=None, required=False, empty_label=_("All")
    )
    organisation = ListedModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + Activity.Status.choices, required=False
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = agreement.priority_areas.all()
        self.fields["organisation"].queryset = Organisation.objects.of_agreement(agreement)
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "mine"
                else ("form-control" if name in ("place", "q") else "form-select")
            )
            field.widget.attrs["class"] = css

    def filter(self, activities, user):
        """Narrow an Activity queryset by the valid filters."""
        if not self.is_valid():
            return activities
        data = self.cleaned_data
        if data["q"].strip():
            words = data["q"].strip()
            activities = activities.filter(
                Q(title__icontains=words)
                | Q(description__icontains=words)
                | Q(strategy__title__icontains=words)
                | Q(strategy__description__icontains=words)
                | Q(strategy__goal__title__icontains=words)
                | Q(strategy__goal__description__icontains=words)
            )
        if data["priority_area"]:
            activities = activities.filter(strategy__goal__priority_area=data["priority_area"])
        if data["organisation"]:
            org = data["organisation"]
            activities = activities.filter(
                Q(responsible_organisation=org) | Q(partners=org)
            ).distinct()
        if data["status"]:
            activities = activities.filter(status=data["status"])
        if data["place"]:
            activities = activities.filter(places__icontains=data["place"])
        if data["mine"]:
            activities = activities.filter(contact_user=user)
        return activities

    @property
    def active(self):
        return self.is_valid() and any(self.cleaned_data.values())

    @property
    def per_user(self):
        """Whether the result depends on who asks (the "mine" filter): never shared then."""
        return self.asks_for_own(self.data)

    @staticmethod
    def asks_for_own(query):
        """`per_user` from the query string alone, before a form is built."""
        return bool(query.get("mine"))


class RollOverForm(forms.Form):
    to_year = forms.IntegerField(label=_("To operating year"), min_value=2000, max_value=2100)


class PastDateForm(forms.Form):
    on = forms.DateField(
        label=_("Show the plan as it stood on"), widget=forms.DateInput(attrs={"type": "date"})
    )

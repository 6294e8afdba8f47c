"""Forms of the year-end report: the coordinators' text and publishing."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pitebra.validators import validate_no_personal_identity_number
from pitebra.versioning.forms import VersionedForm

from ..models import YearEndReport


class ReportNarrativeForm(VersionedForm):
    class Meta:
        model = YearEndReport
        fields = ["foreword", "conclusions", "proposed_revisions", "activity_detail"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 6}) for name in fields[:3]},
            "activity_detail": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the choice (an older page) keeps the report as it was.
        self.fields["activity_detail"].required = False

    def clean_activity_detail(self):
        return self.cleaned_data["activity_detail"] or self.instance.activity_detail


class PublishForm(forms.Form):
    """Publishing a year's report; a correction says what it corrects."""

    reason = forms.CharField(
        label=_("What does this version correct?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_personal_identity_number],
        help_text=_("Printed on the corrected report's cover and shown in the list of versions."),
    )

    understood = forms.BooleanField(
        label=_("I understand that the report becomes a public document and cannot be changed"),
        error_messages={
            "required": _("Tick the box to publish: a published report cannot be taken back.")
        },
    )

    def __init__(self, *args, correction: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.correction = correction
        self.order_fields(["reason", "understood"])
        if not correction:
            del self.fields["reason"]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.correction and not reason:
            raise ValidationError(
                _("Say what the correction corrects: the reason is printed on its cover."),
                code="required",
            )
        return reason

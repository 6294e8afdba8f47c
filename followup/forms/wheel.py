"""The debrief of a risk period: what worked, what to change, proposals for next year."""

from django import forms

from pitebra.versioning.forms import VersionedForm

from ..models import Debrief


class DebriefForm(VersionedForm):
    class Meta:
        model = Debrief
        fields = ["what_worked", "what_to_change", "proposals"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

"""Forms of steps 4–5 and the year-end report."""

from django import forms

from .models import YearEndReport


class ReportNarrativeForm(forms.ModelForm):
    class Meta:
        model = YearEndReport
        fields = ["foreword", "conclusions", "proposed_revisions"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}

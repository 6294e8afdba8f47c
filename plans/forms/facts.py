"""Forms of step 1, the facts; every choice limited to the agreement the form is for."""

import zipfile
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import (
    Document,
    Indicator,
    Observation,
    Source,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "unit",
            "source",
            "kolada_kpi",
            "better",
            "priority_areas",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "priority_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Facts belong to the municipality: an indicator stays where it was added.
            self.instance.agreement = agreement
            # The order is internal: a new indicator goes last (the form does not ask).
            last = agreement.indicators.aggregate(last=Max("position"))["last"]
            self.instance.position = (last or 0) + 1
        self.fields["source"].queryset = Source.objects.of_municipality(agreement)
        self.fields["priority_areas"].queryset = agreement.priority_areas.all()

    def validate_unique(self):
        # `agreement` is not a form field, so ModelForm would skip the unique name check.
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self._update_errors(
                ValidationError({"name": _("There is already an indicator with this name.")})
            )


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["year", "subperiod", "scope", "gender", "value", "note"]
        localized_fields = ["value"]
        widgets = {"year": forms.NumberInput(attrs={"min": 1990, "max": 2100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.value
        if value is not None:
            # 8120.5 rather than 8120,500 in the input.
            self.initial["value"] = (
                value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
            )
        # Rendered as a compact table, so the Bootstrap classes are set here, not by crispy.
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else ("form-control form-control-sm")
            )


class BaseObservationFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def validate_unique(self):
        # Instead of Django's formset-wide message (which names the fields in English), mark
        # each repeated row next to its year.
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if not data or data.get("year") is None:
                continue
            key = (data["year"], data.get("subperiod", ""), data.get("scope"), data.get("gender"))
            if key in seen:
                form.add_error(
                    "year",
                    ValidationError(
                        _("Another row has the same year, part of year, scope and gender."),
                        code="duplicate",
                    ),
                )
            seen.add(key)


ObservationFormSet = inlineformset_factory(
    Indicator,
    Observation,
    form=ObservationForm,
    formset=BaseObservationFormSet,
    extra=3,
    can_delete=True,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class KoladaFileForm(forms.Form):
    MAX_FILES = 50

    file = MultipleFileField(
        label=_("Kolada files (JSON)"),
        help_text=_(
            "As Kolada's API gives them: documents with a list called “values”. Choose all the "
            "pages of a download at once."
        ),
    )

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        if len(uploads) > self.MAX_FILES:
            raise ValidationError(
                _("At most %(n)s files at a time.") % {"n": self.MAX_FILES}, code="too_many"
            )
        if sum(upload.size for upload in uploads) > MAX_IMPORT_BYTES * 5:
            raise ValidationError(_("The files are larger than 10 MB together."), code="too_large")
        return uploads


def sniff_document_kind(head: bytes, upload) -> str | None:
    """The file's type from its content, never from its name."""
    if head.startswith(b"%PDF-"):
        return Document.Kind.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Document.Kind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return Document.Kind.JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if any(name.startswith("word/") for name in names):
            return Document.Kind.DOCX
        if any(name.startswith("xl/") for name in names):
            return Document.Kind.XLSX
    return None


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "source", "date", "file"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        if self.instance.pk is None:
            # The order is internal: a new indicator goes last (the form does not ask).
            last = agreement.indicators.aggregate(last=Max("position"))["last"]
            self.instance.position = (last or 0) + 1
        self.fields["source"].queryset = Source.objects.of_municipality(agreement)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, at most %(mb)s MB."
        ) % {"mb": settings.PITEBRA_MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.PITEBRA_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is %(mb)s MB.")
                % {
                    "size": round(upload.size / 1024 / 1024, 1),
                    "mb": settings.PITEBRA_MAX_UPLOAD_MB,
                },
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        kind = sniff_document_kind(head, upload)
        if kind is None:
            raise ValidationError(
                _(
                    "The file is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file. The "
                    "type is checked from the file's content, not its name."
                ),
                code="file_type",
            )
        self.instance.kind = kind
        self.instance.size = upload.size
        self.instance.original_name = upload.name[:255]
        return upload


class SourceForm(forms.ModelForm):
    url = Source._meta.get_field("url").formfield(assume_scheme="https")

    class Meta:
        model = Source
        fields = ["name", "covers", "used", "limitations", "url"]
        widgets = {
            "covers": forms.Textarea(attrs={"rows": 3}),
            "limitations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self._update_errors(
                ValidationError({"name": _("There is already a source with this name.")})
            )

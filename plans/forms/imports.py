"""Forms of the import: the upload, and the mapping of columns and values the user can change."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..imports.matching import answer_for

MAX_IMPORT_MB = 10


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx, .xls or .csv)"),
        help_text=_(
            "The file as you have it: the column names may be on any of the first rows and in "
            "your own words. CSV in UTF-8 or Windows-1252, separated by ; , or tab. At most "
            "%(mb)s MB."
        )
        % {"mb": MAX_IMPORT_MB},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_MB}, code="too_large"
            )
        head = upload.read(4096)
        upload.seek(0)
        if not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and b"\x00" in head:
            raise ValidationError(
                _("The file is not an Excel workbook (.xlsx, .xls) or a CSV text file."),
                code="file_type",
            )
        return upload


class MappingForm(forms.Form):
    """One select per column (which field it holds) and one choice per unknown value."""

    def __init__(self, *args, preview, fields, unmapped=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", unmapped or _("— not imported as a field: kept in the description —"))]
        choices += [(f.key, f.label) for f in fields]
        self.column_names = []
        for index, header in enumerate(preview.table.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=preview.columns[index],
            )
            self.column_names.append(name)
        self.question_names = []
        answers = getattr(preview, "answers", None) or {}
        self.answers = answers
        for question in preview.questions:
            # The user's answer survives a refresh: the radio shows what the preview used.
            self.fields[question.name] = forms.ChoiceField(
                label=question.text or _("(empty)"),
                choices=question.options,
                initial=answer_for(question, answers),
                widget=forms.RadioSelect,
            )
            self.fields[question.name].question = question
            self.question_names.append(question.name)

    def column_fields(self):
        return [self[name] for name in self.column_names]

    def _asked(self, name):
        question = self.fields[name].question
        return not question.remembered and len(question.options) > 1

    def question_fields(self):
        return [self[n] for n in self.question_names if self._asked(n)]

    def question_groups(self):
        """[(kind, label, count, can_create_all, fields)] of the asked questions, one per kind."""
        groups = {}
        for field in self.question_fields():
            groups.setdefault(field.field.question.kind, []).append(field)
        result = []
        for kind, fields in groups.items():
            question = fields[0].field.question
            creatable = all("create" in {v for v, _l in f.field.question.options} for f in fields)
            result.append(
                {
                    "kind": kind,
                    "heading": question.group_heading(len(fields)),
                    "fields": fields,
                    "create_all": creatable and len(fields) > 1,
                    "create_label": question.create_all_label(),
                    "all_chosen": self.answers.get(f"g_{kind}") == "create",
                }
            )
        return result

    def remembered_fields(self):
        return [self[n] for n in self.question_names if not self._asked(n)]


def posted_mapping(data, preview_columns_count, valid_keys):
    """(columns, answers) from a posted mapping form; unknown values are ignored."""
    columns = []
    for index in range(preview_columns_count):
        value = data.get(f"col_{index}", "")
        columns.append(value if value in valid_keys else "")
    answers = {k: v for k, v in data.items() if k.startswith(("v_", "g_"))}
    return columns, answers

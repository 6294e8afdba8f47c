"""Forms of the council's self-evaluation: its questions and one member's answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pitebra.validators import validate_free_text, validate_no_personal_identity_number

from ..models import CouncilQuestion


class CouncilQuestionForm(forms.ModelForm):
    class Meta:
        model = CouncilQuestion
        fields = ["topic", "text"]


class CouncilAnswerForm(forms.Form):
    """One member's answers: a score from 1 to 5 and a comment for each question."""

    SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]

    def __init__(self, *args, questions, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        previous = previous or {}
        self.questions = questions
        for question in questions:
            score, comment = previous.get(question.pk, (None, ""))
            self.fields[f"score_{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=self.SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=score,
                help_text=_("1 = not at all, 5 = fully."),
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Comment on: %(question)s") % {"question": question.text},
                required=False,
                max_length=2000,
                validators=[validate_free_text],
                initial=comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if name.startswith("comment_") and value:
                try:
                    validate_no_personal_identity_number(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def answers(self):
        return {
            q: (self.cleaned_data[f"score_{q.pk}"], self.cleaned_data[f"comment_{q.pk}"])
            for q in self.questions
        }

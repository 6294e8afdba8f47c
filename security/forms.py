from django import forms
from django.utils.translation import gettext_lazy as _

from pitebra.models import Membership, Organisation, User
from pitebra.permissions import MEMBER

from .models import AuditEvent


def _code_field(label, help_text, *, max_length, inputmode):
    widget = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": inputmode})
    return forms.CharField(label=label, max_length=max_length, help_text=help_text, widget=widget)


class CodeForm(forms.Form):
    """The second step of signing in: a code from the app or a backup code."""

    code = _code_field(
        _("Code"),
        _("Six digits from your authenticator app, or one of your backup codes."),
        max_length=16,
        inputmode="text",
    )

    def clean_code(self):
        # People copy codes with spaces ("123 456") or hyphens and capitals from paper; the
        # code is the same without them.
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


class EnrolForm(CodeForm):
    """Turning on two-step sign-in: the first code the app shows proves it is set up."""

    code = _code_field(
        _("Code from the app"),
        _("The six digits the app shows now."),
        max_length=8,
        inputmode="numeric",
    )


class ConfirmPasswordForm(forms.Form):
    """Who asks for their data proves it again: the password, when they have no second factor."""

    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AuditFilterForm(forms.Form):
    agreement = forms.TypedChoiceField(label=_("Agreement"), required=False, coerce=int)
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "–"), *AuditEvent.Action.choices]
    )
    origin = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[
            ("", "–"),
            ("own", _("This installation's own")),
            ("imported", _("Imported from an archive")),
        ],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [("", "–"), *((a.pk, str(a)) for a in agreements)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class InviteForm(forms.Form):
    """A coordinator invites a person into the working group by their work e-mail address."""

    email = forms.EmailField(
        label=_("Work e-mail address"),
        help_text=_("The address the person's organisation gives them: it links the first login."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.of_agreement(agreement)
        self.fields["role"].initial = MEMBER

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(
            username__iexact=email
        ):
            raise forms.ValidationError(
                _(
                    "PiteBra already has an account with this address: add it to the group in "
                    "the admin instead."
                ),
                code="exists",
            )
        return email

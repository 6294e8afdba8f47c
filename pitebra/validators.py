"""Validators shared by every app's free-text fields."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ÅÅMMDD-NNNN, ÅÅMMDD+NNNN, ÅÅÅÅMMDDNNNN and ÅÅÅÅMMDD-NNNN, not inside a longer run of digits;
# a space (or a no-break space) as the separator too: "19811218 9876" is written that way.
_PERSONAL_NUMBER = re.compile(
    r"(?<![\d-])(?:(?P<century>18|19|20)(?P<yy12>\d{2})(?P<mm12>\d{2})(?P<dd12>\d{2})"
    r"[-+ \u00a0]?(?P<n12>\d{4})"
    r"|(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})[-+ \u00a0](?P<n>\d{4}))(?!\d)"
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


def find_personal_identity_numbers(text: str) -> list[str]:
    """The Swedish personal (or co-ordination) identity numbers in the text."""
    found = []
    for match in _PERSONAL_NUMBER.finditer(text or ""):
        groups = match.groupdict()
        yy = groups["yy12"] or groups["yy"]
        mm = groups["mm12"] or groups["mm"]
        dd = groups["dd12"] or groups["dd"]
        tail = groups["n12"] or groups["n"]
        day = int(dd)
        # Co-ordination numbers (samordningsnummer) add 60 to the day.
        if not (1 <= int(mm) <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
            continue
        if _luhn_ok(yy + mm + dd + tail):
            found.append(match.group(0))
    return found


def validate_no_personal_identity_number(value):
    """Refuse text holding a Swedish personal identity number: the record is about patterns."""
    if find_personal_identity_numbers(value):
        raise ValidationError(
            _(
                "The text contains what looks like a personal identity number. This record "
                "describes places and patterns, never individuals: remove the number before "
                "saving."
            ),
            code="personal_identity_number",
        )


_ORGANISATION_NUMBER = re.compile(r"^\d{6}-\d{4}$")


def validate_organisation_number(value):
    """NNNNNN-NNNN whose last digit is the Luhn check digit (as in 212000-2742)."""
    if not value:
        return
    if not _ORGANISATION_NUMBER.match(value) or not _luhn_ok(value.replace("-", "")):
        raise ValidationError(
            _("Write the organisation number as NNNNNN-NNNN, e.g. 212000-2742."),
            code="organisation_number",
        )


# The validators of a free-text field about the work (every model's title, description, note…).
NO_PIN = [validate_no_personal_identity_number]


# C0 control characters except tab and newline; a carriage return only as part of CRLF (what
# browsers send from a text area), which `normalise_newlines` turns into a plain newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|\r(?!\n)")
# The apps whose models' text fields all get `validate_free_text` (see pitebra.apps).
FREE_TEXT_APPS = ("pitebra", "plans", "followup")


def validate_free_text(value):
    """Refuse control characters: invisible, they break exports and other programs' files."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(
            _(
                "The text contains an invisible control character (for example a vertical tab "
                "copied from another program). Remove it and save again."
            ),
            code="control_character",
        )


def normalise_newlines(value):
    """CRLF (and stray CR before LF) as a plain newline, so stored text has one line ending."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def free_text_fields(model):
    """The model's concrete text fields that people type into."""
    from django.db import models

    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def install_free_text_validation(app_configs):
    """Give every text field of our models `validate_free_text`, in one place.

    The validator is added to each field's validator list at start-up rather than to every
    field definition: forms, the admin and imports (which call full_clean) all refuse control
    characters, and the migrations stay as they are.
    """
    for config in app_configs:
        for model in config.get_models():
            for field in free_text_fields(model):
                if validate_free_text not in field.validators:
                    field.validators.append(validate_free_text)


def normalise_text(sender, instance, **kwargs):
    """pre_save: every text field stored with plain newlines (browsers send CRLF)."""
    for field in free_text_fields(sender):
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\r\n" in value:
            setattr(instance, field.attname, normalise_newlines(value))

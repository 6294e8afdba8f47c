"""Validators shared by the apps' free-text fields."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ÅÅMMDD-NNNN, ÅÅMMDD+NNNN (over 100), ÅÅÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN; not inside longer numbers.
_PIN = re.compile(r"(?<![\d])((?:19|20)?\d{6})([-+]?)(\d{4})(?![\d])")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(yymmdd: str) -> bool:
    day = int(yymmdd[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    try:
        datetime.date(2000, int(yymmdd[2:4]), day)  # leap year: allows 29 Feb
    except ValueError:
        return False
    return True


def find_personal_identity_numbers(text: str) -> list[str]:
    """The Swedish personal identity numbers (with a valid check digit) in the text."""
    found = []
    for match in _PIN.finditer(text or ""):
        date_part, _sep, tail = match.groups()
        short = date_part[-6:]
        if _valid_date(short) and _luhn_ok(short + tail):
            found.append(match.group(0))
    return found


def no_personal_identity_number(value):
    """Refuse text with a personal identity number: the work is about places and patterns."""
    if find_personal_identity_numbers(value):
        raise ValidationError(
            _(
                "The text contains what looks like a Swedish personal identity number. "
                "PiteBra records places and patterns, never individuals: remove the number."
            ),
            code="personal_identity_number",
        )

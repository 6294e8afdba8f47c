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

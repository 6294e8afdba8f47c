"""The personal-data check a text passes before anyone outside the working group may read it.

A public page is read by the whole town: it names places and patterns, never people. Before a
text is published (an activity marked public, a promise on a public page, the page turned on),
it is searched for Swedish personal identity numbers (with their check digit), phone numbers,
e-mail addresses and the names of the installation's users; a finding refuses the publishing
and says where it is.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validators import find_personal_identity_numbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish numbers: 070-123 45 67, 0911-123 45, 0911/12345, +46 70 123 45 67, 08-123 456 78.
# Seven digits or more in all, beginning with 0 or +46; years ("2024–2025") and sums do not.
PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s\-/()]*\d(?:[\s\-/()]*\d){6,11}(?!\d)")


@dataclass(frozen=True)
class Finding:
    place: str  # where the text is, in the reader's words: "Activity 'Nattfotboll': description"
    kind: str  # what was found, e.g. "a phone number"

    def __str__(self):
        return f"{self.place}: {self.kind}"


def user_names():
    """The full names of the installation's users (first and last name, both present)."""
    from .models import User

    names = set()
    for first, last in User.objects.values_list("first_name", "last_name"):
        if first.strip() and last.strip():
            names.add(f"{first.strip()} {last.strip()}")
    return names


def findings_in(text, *, names=()):
    """What in `text` must not be published: a list of kinds, empty when the text is clean."""
    text = text or ""
    found = []
    if find_personal_identity_numbers(text):
        found.append(_("a personal identity number"))
    if EMAIL.search(text):
        found.append(_("an e-mail address"))
    if PHONE.search(text):
        found.append(_("a phone number"))
    lowered = text.casefold()
    for name in sorted(names):
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", lowered):
            found.append(_("the name of a user (%(name)s)") % {"name": name})
    return found


def check_texts(places, *, names=None):
    """[Finding] for every (place, text) pair holding personal data."""
    names = user_names() if names is None else names
    return [
        Finding(str(place), str(kind))
        for place, text in places
        for kind in findings_in(text, names=names)
    ]


def refuse_if_personal(fields, *, label, names=None):
    """Raise a ValidationError per field (name → text) holding personal data; for `clean()`."""
    errors = personal_data_errors(fields, label=label, names=names)
    if errors:
        raise ValidationError(errors)


def personal_data_errors(fields, *, label, names=None):
    """{field: ValidationError} for each field (name → text) holding personal data."""
    names = user_names() if names is None else names
    errors = {}
    for field, text in fields.items():
        kinds = findings_in(text, names=names)
        if kinds:
            errors[field] = ValidationError(
                _(
                    "%(label)s is public, and this text contains %(kinds)s. A public text "
                    "names places and patterns, never people: remove it, or make it internal."
                ),
                code="personal_data",
                params={"label": label, "kinds": ", ".join(str(k) for k in kinds)},
            )
    return errors

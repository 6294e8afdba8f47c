"""Two people saving the same first record at once: one row is saved, the other is told.

A record that exists at most once (an activity's evaluation for a year, a report's texts) is
looked up when the page loads; two people who both found nothing both insert, and the database's
unique constraint refuses the second. `first_save` turns that refusal into `SavedMeanwhile`,
which views answer with a Swedish message instead of a 500.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

SAVED_MEANWHILE = _(
    "Someone else saved this at the same moment, and theirs was saved first. It is shown "
    "below: check it and save your changes again if something is missing."
)


class SavedMeanwhile(Exception):
    """Another request saved the same record a moment before this one."""


@contextmanager
def first_save():
    """Run the saves in one transaction; a unique constraint violated meanwhile is reported."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise SavedMeanwhile from error

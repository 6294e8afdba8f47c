"""Writes that span several core models."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import pagecache, rowsecurity, signals
from .copying import copied_values
from .models import (
    Agreement,
    Membership,
    Organisation,
    PriorityArea,
    StepStatus,
    default_short_name,
)
from .permissions import COORDINATOR


@transaction.atomic
def agreement_copy(
    *,
    source: Agreement,
    title: str,
    first_year: int,
    last_year: int,
    revise_by: datetime.date,
    created_by,
    copy_working_group: bool = True,
    short_name: str = "",
) -> Agreement:
    """Start a new agreement from a previous one: parties, priority areas and method."""
    agreement = Agreement.objects.create(
        title=title,
        short_name=short_name
        or default_short_name(source.municipality.name, first_year, last_year),
        municipality=source.municipality,
        police_area=source.police_area,
        first_year=first_year,
        last_year=last_year,
        revise_by=revise_by,
        introduction=source.introduction,
        working_method=source.working_method,
        motto=source.motto,
        reported_to=source.reported_to,
        summary_due=source.summary_due,
        previous=source,
    )
    rowsecurity.widen(agreement)  # its own rows follow, under the second lock's scope
    agreement.partners.set(source.partners.all())
    # The partners registered on the previous agreement carry over as this one's own rows.
    Organisation.objects.bulk_create(
        Organisation(**copied_values(org, agreement=agreement))
        for org in source.organisations.all()
    )
    PriorityArea.objects.bulk_create(
        PriorityArea(**copied_values(area, agreement=agreement))
        for area in source.priority_areas.all()
    )
    pagecache.bump(agreement)  # bulk writes send no signal
    if copy_working_group:
        Membership.objects.bulk_create(
            Membership(**copied_values(m, agreement=agreement)) for m in source.memberships.all()
        )
    if not created_by.is_superuser:
        Membership.objects.update_or_create(
            agreement=agreement, user=created_by, defaults={"role": COORDINATOR}
        )
    signals.agreement_copied.send(sender=Agreement, source=source, agreement=agreement)
    return agreement


def step_states_set(*, agreement: Agreement, year: int, states: dict[int, str]) -> None:
    """Record the coordinator's view of where each step stands in one operating year."""
    with transaction.atomic():
        for step, state in states.items():
            StepStatus.objects.update_or_create(
                agreement=agreement, year=year, step=step, defaults={"state": state}
            )


def membership_added_notify(*, membership: Membership, added_by) -> None:
    """Tell a person, by e-mail, who added them to which working group and with what role."""
    user = membership.user
    if not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You were added to a working group in PiteBra")
        body = _(
            "%(who)s added you to the working group of “%(agreement)s” as %(role)s.\n\n"
            "If you did not expect this, contact %(who)s or the operator of PiteBra.\n"
            "%(site)s"
        ) % {
            "who": added_by.get_full_name() or added_by.username,
            "agreement": membership.agreement.title,
            "role": membership.get_role_display().lower(),
            "site": settings.SITE_URL,
        }
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email], fail_silently=False))

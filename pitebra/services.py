"""Writes that span several core models."""

import datetime

from django.db import transaction

from .models import Agreement, Membership, PriorityArea, StepStatus


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
) -> Agreement:
    """Start a new agreement from a previous one: parties, priority areas and method."""
    agreement = Agreement.objects.create(
        title=title,
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
    agreement.partners.set(source.partners.all())
    PriorityArea.objects.bulk_create(
        PriorityArea(
            agreement=agreement,
            name=area.name,
            overarching_goal=area.overarching_goal,
            position=area.position,
        )
        for area in source.priority_areas.all()
    )
    if copy_working_group:
        Membership.objects.bulk_create(
            Membership(agreement=agreement, user_id=m.user_id, role=m.role)
            for m in source.memberships.all()
        )
    if not created_by.is_superuser:
        Membership.objects.update_or_create(
            agreement=agreement, user=created_by, defaults={"role": Membership.Role.COORDINATOR}
        )
    return agreement


def step_states_set(*, agreement: Agreement, year: int, states: dict[int, str]) -> None:
    """Record the coordinator's view of where each step stands in one operating year."""
    with transaction.atomic():
        for step, state in states.items():
            StepStatus.objects.update_or_create(
                agreement=agreement, year=year, step=step, defaults={"state": state}
            )

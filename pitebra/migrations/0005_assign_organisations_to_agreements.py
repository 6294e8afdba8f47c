"""Give every partner organisation the agreement it works with.

A partner used by one agreement is registered on it; one used by several is copied, one row
per agreement, and that agreement's records point at its own copy. Parties (municipalities,
police areas, signed partners) stay shared; where another agreement used one in its plan or
follow-up, that agreement links it explicitly as one of its other parties. An organisation
nobody uses stays with the operator.
"""

from django.db import migrations

PLAN = "strategy__goal__plan__agreement"


def _used_by_agreement(apps):
    Agreement = apps.get_model("pitebra", "Agreement")
    Membership = apps.get_model("pitebra", "Membership")
    Activity = apps.get_model("plans", "Activity")
    CitizenPromise = apps.get_model("plans", "CitizenPromise")
    LogEntry = apps.get_model("followup", "LogEntry")
    Decision = apps.get_model("followup", "Decision")
    used = {}
    for agreement_id in Agreement.objects.values_list("pk", flat=True):
        ids = set()
        activities = Activity.objects.filter(**{PLAN: agreement_id})
        ids |= set(activities.values_list("responsible_organisation", flat=True))
        ids |= set(
            Activity.partners.through.objects.filter(activity__in=activities).values_list(
                "organisation", flat=True
            )
        )
        ids |= set(
            CitizenPromise.objects.filter(plan__agreement=agreement_id).values_list(
                "responsible_organisation", flat=True
            )
        )
        ids |= set(
            LogEntry.objects.filter(**{f"activity__{PLAN}": agreement_id}).values_list(
                "organisation", flat=True
            )
        )
        ids |= set(
            Decision.objects.filter(meeting__agreement=agreement_id).values_list(
                "responsible_organisation", flat=True
            )
        )
        ids |= set(
            Membership.objects.filter(agreement=agreement_id).values_list(
                "user__organisation", flat=True
            )
        )
        used[agreement_id] = ids - {None}
    return used


def _repoint(apps, agreement_id, old, new):
    Activity = apps.get_model("plans", "Activity")
    CitizenPromise = apps.get_model("plans", "CitizenPromise")
    LogEntry = apps.get_model("followup", "LogEntry")
    Decision = apps.get_model("followup", "Decision")
    activities = Activity.objects.filter(**{PLAN: agreement_id})
    activities.filter(responsible_organisation=old).update(responsible_organisation=new)
    Activity.partners.through.objects.filter(activity__in=activities, organisation=old).update(
        organisation=new
    )
    CitizenPromise.objects.filter(plan__agreement=agreement_id, responsible_organisation=old).update(
        responsible_organisation=new
    )
    LogEntry.objects.filter(**{f"activity__{PLAN}": agreement_id}, organisation=old).update(
        organisation=new
    )
    Decision.objects.filter(meeting__agreement=agreement_id, responsible_organisation=old).update(
        responsible_organisation=new
    )


def forwards(apps, schema_editor):
    Agreement = apps.get_model("pitebra", "Agreement")
    Organisation = apps.get_model("pitebra", "Organisation")
    parties = {}
    for agreement in Agreement.objects.all():
        parties[agreement.pk] = {
            agreement.municipality_id,
            agreement.police_area_id,
            *agreement.partners.values_list("pk", flat=True),
        }
    shared = set().union(*parties.values()) if parties else set()
    used = _used_by_agreement(apps)
    for org in Organisation.objects.exclude(pk__in=shared).filter(agreement__isnull=True):
        users = sorted(a for a, ids in used.items() if org.pk in ids)
        if not users:
            continue
        first, *rest = users
        org.agreement_id = first
        org.save(update_fields=["agreement"])
        for agreement_id in rest:
            copy = Organisation.objects.create(
                name=org.name, kind=org.kind, kolada_id=org.kolada_id, agreement_id=agreement_id
            )
            _repoint(apps, agreement_id, org.pk, copy.pk)
    for agreement in Agreement.objects.all():
        borrowed = (used[agreement.pk] & shared) - parties[agreement.pk]
        if borrowed:
            agreement.partners.add(*borrowed)


class Migration(migrations.Migration):
    dependencies = [
        ("pitebra", "0004_organisations_belong_to_agreements"),
        ("plans", "0002_problem_times"),
        ("followup", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

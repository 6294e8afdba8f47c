"""An activity's status and its history, saved together: the one place a status is written.

Every page that changes a status comes here: the follow-up's status form and the plan row's
status dialog (`activity_status_update`), the plan's activity form, the admin and the plan
import (`activity_save`). The history row is written in the same transaction as the status,
not by a signal in another app; `Activity.save()` refuses a status change made elsewhere.
"""

from contextlib import contextmanager

from django.db import transaction

from ..models import Activity, StatusUpdate


@transaction.atomic
def activity_status_update(
    *, activity: Activity, status: str, traffic_light: str, comment: str, by
) -> StatusUpdate:
    """Set an activity's status and traffic light with a comment on why.

    Recorded even when neither changed: the comment is then the news. The save checks and
    bumps the activity's version (`pitebra.versioning`), so an edit opened before this is
    refused, and this is refused if the activity changed since it was loaded.
    """
    previous = _previous(activity)
    activity.status = status
    activity.traffic_light = traffic_light
    activity.traffic_light_comment = comment
    activity._history_user = by
    with _saving_status(activity):
        activity.save(update_fields=["status", "traffic_light", "traffic_light_comment"])
    return _record(activity, previous_light=previous[1], comment=comment, by=by)


@transaction.atomic
def activity_save(*, activity: Activity, by, save=None):
    """Save an activity edited as a whole and record its status when it changed.

    `save` is what saves it (a form's `save`, the admin's `save_model`); by default
    `activity.save()`. Returns what `save` returns.
    """
    previous = _previous(activity)
    with _saving_status(activity):
        saved = save() if save is not None else activity.save()
    # A new activity's first assessment counts as a change; its planned status does not.
    if previous is None and activity.traffic_light:
        previous = (None, "")
    if previous is not None and previous != (activity.status, activity.traffic_light):
        _record(activity, previous_light=previous[1], comment=activity.traffic_light_comment, by=by)
    return saved


def activities_created_in_bulk(activities, *, by) -> None:
    """Record the first assessment of activities inserted in bulk (the plan import), as
    `activity_save` does for one: a new activity with a traffic light has a status change."""
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            activity=activity,
            traffic_light=activity.traffic_light,
            previous_traffic_light="",
            status=activity.status,
            comment=activity.traffic_light_comment,
            created_by=by,
        )
        for activity in activities
        if activity.traffic_light
    )


def _previous(activity):
    """(status, traffic light) as they were before this save; None for a new activity."""
    if activity.loaded_status is not None:
        return activity.loaded_status
    if activity.pk is None or activity._state.adding:
        return None
    # An activity not loaded from the database as a whole (the admin's revert of a record).
    return Activity.objects.filter(pk=activity.pk).values_list("status", "traffic_light").first()


@contextmanager
def _saving_status(activity):
    activity.saving_status = True
    try:
        yield
    finally:
        activity.saving_status = False


def _record(activity, *, previous_light, comment, by) -> StatusUpdate:
    return StatusUpdate.objects.create(
        activity=activity,
        traffic_light=activity.traffic_light,
        previous_traffic_light=previous_light,
        status=activity.status,
        comment=comment,
        created_by=by,
    )

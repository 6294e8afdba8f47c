"""Audit events for what is done in the admin: deletions of any record and account changes.

Django's admin writes a LogEntry for each addition, change and deletion (before deleting);
a deletion of several records at once bypasses LogEntry's signals, so the admin's
"delete selected" action is wrapped here too.
"""

from django.contrib.admin import actions
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from pitebra.models import User

from .audit import Action, agreement_for_account, current_request, record

# How an admin record reaches its agreement, tried in order (a plan item through its plan, …).
_PATHS = ("agreement", "plan", "picture", "goal", "strategy", "activity", "meeting", "report")


def agreement_of(obj, depth=5):
    from pitebra.models import Agreement

    for _ in range(depth):
        if isinstance(obj, Agreement):
            return obj
        for name in _PATHS:
            parent = getattr(obj, name, None)
            if parent is not None and not callable(parent):
                obj = parent
                break
        else:
            return None
    return obj if isinstance(obj, Agreement) else None


def record_admin_deletion(request, obj):
    if isinstance(obj, User):
        agreement = agreement_for_account(request.user, obj)
    else:
        agreement = agreement_of(obj)
    record(
        Action.DELETION,
        request=request,
        agreement=agreement,
        obj=obj,
        summary=f"admin {obj._meta.model_name}",
    )


@receiver(post_save, sender=LogEntry)
def on_admin_log(sender, instance, created, **kwargs):
    request = current_request()
    if not created or request is None or getattr(request, "_audit_bulk_delete", False):
        return
    obj = instance.get_edited_object() if instance.action_flag != ADDITION else None
    if instance.action_flag == DELETION and obj is not None:
        record_admin_deletion(request, obj)
    elif instance.content_type.model_class() is User and instance.action_flag in (ADDITION, CHANGE):
        target = obj or User.objects.filter(pk=instance.object_id).first()
        record(
            Action.ACCOUNT_CHANGED,
            request=request,
            agreement=agreement_for_account(request.user, target),
            obj=target,
            summary="created" if instance.action_flag == ADDITION else "changed",
        )


def audited_delete_selected(modeladmin, request, queryset):
    """Django's "delete selected", recording one deletion event per record it deletes."""
    if request.POST.get("post") and not modeladmin.has_delete_permission(request):
        return actions.delete_selected(modeladmin, request, queryset)
    if request.POST.get("post"):
        request._audit_bulk_delete = True
        for obj in queryset:
            record_admin_deletion(request, obj)
    return actions.delete_selected(modeladmin, request, queryset)


audited_delete_selected.allowed_permissions = actions.delete_selected.allowed_permissions
audited_delete_selected.short_description = actions.delete_selected.short_description

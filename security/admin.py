"""The audit trail in the admin: read only, for the operator and (their agreements) coordinators."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.admin_scoping import ScopedModelAdmin

from .models import AuditEvent

# django-otp's own admins list every user's devices and secrets. Coordinators reset second
# factors on the security pages (which ask `may_manage_account`); the operator also has the
# `reset_two_factor` command.
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedModelAdmin):
    list_display = [
        "at",
        "username",
        "ip_address",
        "agreement_id",
        "action",
        "object_label",
        "imported_from",
    ]
    list_filter = ["action", "at", "imported_at"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

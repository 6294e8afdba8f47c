"""The audit trail in the admin: read only, for the operator and (their agreements) coordinators."""

from django.contrib import admin

from pitebra.permissions import is_coordinator_anywhere

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "ip_address", "agreement_id", "action", "object_label"]
    list_filter = ["action", "at"]
    search_fields = ["username", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).for_coordinator(request.user)

    def has_module_permission(self, request):
        return is_coordinator_anywhere(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator_anywhere(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

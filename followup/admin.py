"""Admin for steps 4–5 and the year-end report, scoped to the coordinator's agreements."""

from django.contrib import admin

from pitebra.admin import AgreementScopedAdmin

from .models import PublishedReport, YearEndReport


class PublishedReportInline(admin.TabularInline):
    model = PublishedReport
    fields = ["version", "published_at", "published_by", "sha256", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(YearEndReport)
class YearEndReportAdmin(AgreementScopedAdmin):
    list_display = ["agreement", "year", "updated_at"]
    list_filter = ["year", "agreement"]
    search_fields = ["agreement__title", "foreword", "conclusions"]
    list_select_related = ["agreement"]
    inlines = [PublishedReportInline]

    def has_delete_permission(self, request, obj=None):
        return False  # its published versions are kept for good

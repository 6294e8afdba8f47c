"""Admin for steps 1–2, scoped to the agreements a coordinator coordinates."""

from django.contrib import admin

from pitebra.admin import AgreementScopedAdmin, ScopedInline

from .models import (
    Approval,
    Cause,
    Document,
    Indicator,
    Observation,
    Place,
    Problem,
    SituationPicture,
    Source,
)


class ObservationInline(ScopedInline, admin.TabularInline):
    model = Observation


class CauseInline(ScopedInline, admin.TabularInline):
    model = Cause


class ApprovalInline(ScopedInline, admin.TabularInline):
    model = Approval
    readonly_fields = ["party", "user", "approved_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(AgreementScopedAdmin):
    list_display = ["name", "used", "agreement"]
    list_filter = ["used", "agreement"]
    search_fields = ["name", "covers"]
    list_select_related = ["agreement"]


@admin.register(Indicator)
class IndicatorAdmin(AgreementScopedAdmin):
    list_display = ["name", "unit", "kolada_kpi", "better", "agreement"]
    list_filter = ["agreement", "better"]
    search_fields = ["name", "kolada_kpi"]
    list_select_related = ["agreement"]
    inlines = [ObservationInline]


@admin.register(Observation)
class ObservationAdmin(AgreementScopedAdmin):
    agreement_lookup = "indicator__agreement"
    list_display = ["indicator", "year", "subperiod", "scope", "gender", "value"]
    list_filter = ["scope", "year", "indicator__agreement"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator"]


@admin.register(Document)
class DocumentAdmin(AgreementScopedAdmin):
    list_display = ["title", "kind", "date", "agreement"]
    list_filter = ["kind", "agreement"]
    search_fields = ["title"]
    list_select_related = ["agreement"]
    # Uploads go through the facts page, where the file type and size are checked.
    readonly_fields = ["file", "kind", "size", "original_name", "uploaded_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Place)
class PlaceAdmin(AgreementScopedAdmin):
    list_display = ["name", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["name"]


@admin.register(SituationPicture)
class SituationPictureAdmin(AgreementScopedAdmin):
    list_display = ["year", "version", "agreed_at", "agreement"]
    list_filter = ["year", "agreement"]
    readonly_fields = ["agreed_at", "created_by"]
    inlines = [ApprovalInline]
    list_select_related = ["agreement"]


@admin.register(Problem)
class ProblemAdmin(AgreementScopedAdmin):
    agreement_lookup = "picture__agreement"
    list_display = ["title", "picture", "priority_area", "trend", "seriousness"]
    list_filter = ["trend", "seriousness", "picture__year"]
    search_fields = ["title", "description"]
    list_select_related = ["picture", "priority_area"]
    inlines = [CauseInline]

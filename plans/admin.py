"""Admin for steps 1–3, scoped to the agreements a coordinator coordinates."""

from django.contrib import admin

from pitebra.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline

from .models import (
    Activity,
    Approval,
    Cause,
    CitizenPromise,
    Document,
    Goal,
    ImplementationPlan,
    Indicator,
    Observation,
    Place,
    Problem,
    RiskPeriod,
    RiskPeriodDates,
    SituationPicture,
    Source,
    StatusUpdate,
    Strategy,
)
from .services.status import activity_save


class AgreedIsReadOnly:
    """An agreed picture (and its problems) stays as it was approved, in the admin too."""

    def _picture(self, obj):
        return obj if isinstance(obj, SituationPicture) else getattr(obj, "picture", None)

    def has_change_permission(self, request, obj=None):
        picture = self._picture(obj) if obj is not None else None
        if picture is not None and picture.is_agreed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        picture = self._picture(obj) if obj is not None else None
        if picture is not None and picture.is_agreed:
            return False
        return super().has_delete_permission(request, obj)


class ObservationInline(ScopedTabularInline):
    model = Observation


class CauseInline(ScopedTabularInline):
    model = Cause


class ApprovalInline(ScopedTabularInline):
    model = Approval
    readonly_fields = ["party", "user", "approved_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(ScopedModelAdmin):
    list_display = ["name", "used", "agreement"]
    list_filter = ["used", "agreement"]
    search_fields = ["name", "covers"]
    list_select_related = ["agreement"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    list_display = ["name", "unit", "kolada_kpi", "better", "agreement"]
    list_filter = ["agreement", "better"]
    search_fields = ["name", "kolada_kpi"]
    list_select_related = ["agreement"]
    inlines = [ObservationInline]


@admin.register(Observation)
class ObservationAdmin(ScopedModelAdmin):
    list_display = ["indicator", "year", "subperiod", "scope", "gender", "value"]
    list_filter = ["scope", "year", "indicator__agreement"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator"]


@admin.register(Document)
class DocumentAdmin(ScopedModelAdmin):
    list_display = ["title", "kind", "date", "agreement"]
    list_filter = ["kind", "agreement"]
    search_fields = ["title"]
    list_select_related = ["agreement"]
    # Uploads go through the facts page, where the file type and size are checked.
    readonly_fields = ["file", "kind", "size", "original_name", "uploaded_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Place)
class PlaceAdmin(ScopedModelAdmin):
    list_display = ["name", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["name"]


@admin.register(SituationPicture)
class SituationPictureAdmin(AgreedIsReadOnly, ScopedModelAdmin):
    list_display = ["year", "version", "agreed_at", "agreement"]
    list_filter = ["year", "agreement"]
    readonly_fields = ["agreed_at", "created_by"]
    inlines = [ApprovalInline]
    list_select_related = ["agreement"]


@admin.register(Problem)
class ProblemAdmin(AgreedIsReadOnly, ScopedModelAdmin):
    list_display = ["title", "picture", "priority_area", "trend", "seriousness"]
    list_filter = ["trend", "seriousness", "picture__year"]
    search_fields = ["title", "description"]
    list_select_related = ["picture", "priority_area"]
    inlines = [CauseInline]


# Step 3: the implementation plan, with django-simple-history's history and revert views.
@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(ScopedHistoryAdmin):
    list_display = ["agreement", "year", "status", "adopted_on"]
    list_filter = ["status", "year", "agreement"]
    search_fields = ["agreement__title"]
    list_select_related = ["agreement"]
    readonly_fields = ["previous"]


@admin.register(Goal)
class GoalAdmin(ScopedHistoryAdmin):
    list_display = ["title", "priority_area", "plan"]
    list_filter = ["plan__year", "priority_area__name"]
    search_fields = ["title", "description"]
    list_select_related = ["priority_area", "plan__agreement"]
    raw_id_fields = ["plan", "previous"]


@admin.register(Strategy)
class StrategyAdmin(ScopedHistoryAdmin):
    list_display = ["title", "goal"]
    list_filter = ["goal__plan__year"]
    search_fields = ["title", "description"]
    list_select_related = ["goal"]
    raw_id_fields = ["goal", "previous"]


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    list_display = ["title", "status", "traffic_light", "responsible_organisation", "start", "end"]
    list_filter = [
        "status",
        "traffic_light",
        "strategy__goal__plan__year",
        "responsible_organisation",
    ]
    search_fields = ["title", "description", "places", "contact_name"]
    list_select_related = ["responsible_organisation"]
    raw_id_fields = ["strategy", "contact_user", "previous"]
    filter_horizontal = ["partners"]

    def save_model(self, request, obj, form, change):
        """A status changed here joins the status history, as from any other page."""
        parent = super().save_model
        activity_save(
            activity=obj, by=request.user, save=lambda: parent(request, obj, form, change)
        )


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ScopedModelAdmin):
    """The status history is read here; it is written by `plans.services.status` only."""

    list_display = ["created_at", "activity", "previous_traffic_light", "traffic_light", "status"]
    list_filter = ["traffic_light", "status"]
    search_fields = ["comment", "activity__title"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "created_by"]


@admin.register(CitizenPromise)
class CitizenPromiseAdmin(ScopedHistoryAdmin):
    list_display = ["promise", "responsible_organisation", "target_count", "target_period"]
    list_filter = ["plan__year", "target_period"]
    search_fields = ["promise"]
    list_select_related = ["responsible_organisation"]
    raw_id_fields = ["plan"]


# The annual wheel's risk periods, each with the dates entered per year where its rule says so.
class RiskPeriodDatesInline(ScopedTabularInline):
    model = RiskPeriodDates


@admin.register(RiskPeriod)
class RiskPeriodAdmin(ScopedModelAdmin):
    list_display = ["name", "rule", "days", "prep_weeks", "agreement"]
    list_filter = ["rule", "agreement"]
    search_fields = ["name", "description"]
    list_select_related = ["agreement"]
    inlines = [RiskPeriodDatesInline]

"""Admin for steps 1–3, scoped to the agreements a coordinator coordinates."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pitebra.admin import AgreementScopedAdmin

from .models import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy


class ScopedHistoryAdmin(AgreementScopedAdmin, SimpleHistoryAdmin):
    pass


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(ScopedHistoryAdmin):
    list_display = ["agreement", "year", "status", "adopted_on"]
    list_filter = ["status", "year", "agreement"]
    search_fields = ["agreement__title"]
    list_select_related = ["agreement"]
    readonly_fields = ["previous"]


@admin.register(Goal)
class GoalAdmin(ScopedHistoryAdmin):
    agreement_lookup = "plan__agreement"
    list_display = ["title", "priority_area", "plan"]
    list_filter = ["plan__year", "priority_area__name"]
    search_fields = ["title", "description"]
    list_select_related = ["priority_area", "plan__agreement"]
    raw_id_fields = ["plan", "previous"]


@admin.register(Strategy)
class StrategyAdmin(ScopedHistoryAdmin):
    agreement_lookup = "goal__plan__agreement"
    list_display = ["title", "goal"]
    list_filter = ["goal__plan__year"]
    search_fields = ["title", "description"]
    list_select_related = ["goal"]
    raw_id_fields = ["goal", "previous"]


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    agreement_lookup = "strategy__goal__plan__agreement"
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


@admin.register(CitizenPromise)
class CitizenPromiseAdmin(ScopedHistoryAdmin):
    agreement_lookup = "plan__agreement"
    list_display = ["promise", "responsible_organisation", "target_count", "target_period"]
    list_filter = ["plan__year", "target_period"]
    search_fields = ["promise"]
    list_select_related = ["responsible_organisation"]
    raw_id_fields = ["plan"]

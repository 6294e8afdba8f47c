"""Admin for steps 4–5 and the year-end report, scoped to the coordinator's agreements."""

from django.contrib import admin

from pitebra.admin import AgreementScopedAdmin, ScopedInline

from .models import (
    CouncilQuestion,
    CouncilSurvey,
    Decision,
    Evaluation,
    LogEntry,
    Meeting,
    PublishedReport,
    StatusUpdate,
    YearEndReport,
)

ACTIVITY_AGREEMENT = "activity__strategy__goal__plan__agreement"


@admin.register(LogEntry)
class LogEntryAdmin(AgreementScopedAdmin):
    agreement_lookup = ACTIVITY_AGREEMENT
    list_display = ["date", "activity", "occasions", "people_reached", "hours", "organisation"]
    list_filter = ["activity__strategy__goal__plan__year", "organisation"]
    search_fields = ["description", "place", "activity__title"]
    list_select_related = ["activity", "organisation"]
    raw_id_fields = ["activity", "citizen_promise", "created_by"]
    date_hierarchy = "date"


@admin.register(StatusUpdate)
class StatusUpdateAdmin(AgreementScopedAdmin):
    agreement_lookup = ACTIVITY_AGREEMENT
    list_display = ["created_at", "activity", "previous_traffic_light", "traffic_light", "status"]
    list_filter = ["traffic_light", "status"]
    search_fields = ["comment", "activity__title"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "created_by"]


@admin.register(Evaluation)
class EvaluationAdmin(AgreementScopedAdmin):
    agreement_lookup = ACTIVITY_AGREEMENT
    list_display = ["activity", "year", "done_as_planned", "verdict"]
    list_filter = ["year", "verdict", "done_as_planned"]
    search_fields = ["activity__title", "lessons"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "updated_by"]


class DecisionInline(ScopedInline, admin.TabularInline):
    model = Decision
    raw_id_fields = ["activity"]


@admin.register(Meeting)
class MeetingAdmin(AgreementScopedAdmin):
    list_display = ["date", "title", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["title", "agenda", "minutes"]
    list_select_related = ["agreement"]
    filter_horizontal = ["attendees"]
    inlines = [DecisionInline]
    date_hierarchy = "date"


class CouncilQuestionInline(ScopedInline, admin.TabularInline):
    model = CouncilQuestion


@admin.register(CouncilSurvey)
class CouncilSurveyAdmin(AgreementScopedAdmin):
    list_display = ["agreement", "year", "state", "opened_on", "closed_on"]
    list_filter = ["state", "year"]
    list_select_related = ["agreement"]
    inlines = [CouncilQuestionInline]


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

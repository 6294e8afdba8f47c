"""Admin for steps 4–5 and the year-end report, scoped to the coordinator's agreements."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pitebra.admin_scoping import ScopedModelAdmin, ScopedTabularInline

from . import admin_tasks  # noqa: F401 - the task queue stays out of the admin
from .models import (
    CouncilQuestion,
    CouncilSurvey,
    Debrief,
    Decision,
    Evaluation,
    LogEntry,
    Meeting,
    PublishedReport,
    YearEndReport,
)


@admin.register(LogEntry)
class LogEntryAdmin(ScopedModelAdmin):
    list_display = ["date", "activity", "occasions", "people_reached", "hours", "organisation"]
    list_filter = ["activity__strategy__goal__plan__year", "organisation"]
    search_fields = ["description", "place", "activity__title"]
    list_select_related = ["activity", "organisation"]
    raw_id_fields = ["activity", "citizen_promise", "created_by"]
    date_hierarchy = "date"


@admin.register(Evaluation)
class EvaluationAdmin(ScopedModelAdmin):
    list_display = ["activity", "year", "done_as_planned", "verdict"]
    list_filter = ["year", "verdict", "done_as_planned"]
    search_fields = ["activity__title", "lessons"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity", "updated_by"]


class DecisionInline(ScopedTabularInline):
    model = Decision
    raw_id_fields = ["activity"]


class MeetingAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        agreement, attendees = cleaned.get("agreement"), cleaned.get("attendees")
        if agreement and attendees and attendees.exclude(memberships__agreement=agreement):
            self.add_error(
                "attendees",
                ValidationError(
                    _("Attendees are chosen from the agreement's working group."),
                    code="not_member",
                ),
            )
        return cleaned


@admin.register(Debrief)
class DebriefAdmin(ScopedModelAdmin):
    list_display = ["period", "year", "created_by"]
    list_filter = ["year", "period__agreement"]
    search_fields = ["what_worked", "what_to_change", "proposals"]
    list_select_related = ["period"]
    raw_id_fields = ["period", "created_by"]


@admin.register(Meeting)
class MeetingAdmin(ScopedModelAdmin):
    form = MeetingAdminForm
    list_display = ["date", "title", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["title", "agenda", "minutes"]
    list_select_related = ["agreement"]
    filter_horizontal = ["attendees"]
    inlines = [DecisionInline]
    date_hierarchy = "date"


class CouncilQuestionInline(ScopedTabularInline):
    model = CouncilQuestion


@admin.register(CouncilSurvey)
class CouncilSurveyAdmin(ScopedModelAdmin):
    list_display = ["agreement", "year", "state", "opened_on", "closed_on"]
    list_filter = ["state", "year"]
    list_select_related = ["agreement"]
    inlines = [CouncilQuestionInline]


class PublishedReportInline(ScopedTabularInline):
    model = PublishedReport
    fields = ["version", "published_at", "published_by", "sha256", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(YearEndReport)
class YearEndReportAdmin(ScopedModelAdmin):
    list_display = ["agreement", "year", "updated_at"]
    list_filter = ["year", "agreement"]
    search_fields = ["agreement__title", "foreword", "conclusions"]
    list_select_related = ["agreement"]
    inlines = [PublishedReportInline]

    def has_delete_permission(self, request, obj=None):
        return False  # its published versions are kept for good

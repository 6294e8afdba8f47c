"""Admin for coordinators: every record scoped to the agreements they coordinate.

Every ModelAdmin and inline here and in the other apps builds on `pitebra.admin_scoping`.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_accounts  # noqa: F401 - registers users and memberships
from .admin_scoping import OperatorOnlyAdmin, ScopedModelAdmin, ScopedTabularInline
from .models import Agreement, Membership, Organisation, PriorityArea, StepStatus
from .permissions import may_create_agreement

admin.site.unregister(Group)


@admin.register(Group)
class OperatorGroupAdmin(OperatorOnlyAdmin, GroupAdmin):
    pass


class PriorityAreaInline(ScopedTabularInline):
    model = PriorityArea


class MembershipInline(ScopedTabularInline):
    """The working group; a colleague from elsewhere is added under Memberships → Add."""

    model = Membership
    autocomplete_fields = ["user"]


@admin.register(Agreement)
class AgreementAdmin(ScopedModelAdmin):
    list_display = ["title", "municipality", "police_area", "first_year", "last_year", "revise_by"]
    list_filter = ["police_area", "municipality", "first_year"]
    search_fields = ["title", "municipality__name", "police_area__name"]
    filter_horizontal = ["partners"]
    inlines = [PriorityAreaInline, MembershipInline]
    list_select_related = ["municipality", "police_area"]

    def has_add_permission(self, request):
        # A coordinator starts a new agreement only as the successor of one they coordinate.
        return may_create_agreement(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The public page is turned on from its own settings page, which checks the texts.
        if request.user.is_superuser:
            return ["public", "successor"] if obj else ["public"]
        return ["municipality", "police_area", "previous", "public", "successor"]

    @admin.display(description=_("Next agreement"))
    def successor(self, obj):
        url = reverse("agreement-copy", kwargs={"agreement_pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Start the next agreement from this one"))


@admin.register(PriorityArea)
class PriorityAreaAdmin(ScopedModelAdmin):
    list_display = ["name", "overarching_goal", "agreement", "position"]
    list_filter = ["agreement"]
    search_fields = ["name", "overarching_goal"]
    list_select_related = ["agreement"]


@admin.register(StepStatus)
class StepStatusAdmin(ScopedModelAdmin):
    list_display = ["agreement", "year", "step", "state"]
    list_filter = ["state", "step", "year", "agreement"]
    search_fields = ["agreement__title"]
    list_select_related = ["agreement"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    """The organisations of an agreement: its parties (kept by the operator) and its partners.

    A partner that also works with another agreement is registered again on this one: the
    other agreement's register is never shown.
    """

    list_display = ["name", "kind", "organisation_number", "agreement"]
    list_filter = ["kind", "agreement"]
    search_fields = ["name"]
    list_select_related = ["agreement"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.is_superuser and "agreement" in form.base_fields:
            form.base_fields["agreement"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.agreement_id is None:
            return request.user.is_superuser  # a party, shared by several agreements
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

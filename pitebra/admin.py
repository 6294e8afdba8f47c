"""Admin for coordinators: every record scoped to the agreements they coordinate."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Membership, Organisation, PriorityArea, StepStatus, User
from .permissions import COORDINATOR, is_coordinator_anywhere
from .versioning.admin import VersionCheckAdmin, VersionCheckInline


class CoordinatorAccess:
    """Coordinators may use these admin pages; superusers keep Django's full rights."""

    def has_module_permission(self, request):
        return is_coordinator_anywhere(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator_anywhere(request.user)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


class AgreementScopedAdmin(VersionCheckAdmin, CoordinatorAccess, admin.ModelAdmin):
    """A ModelAdmin whose rows belong to an agreement, reached through `agreement_lookup`."""

    agreement_lookup = "agreement"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        key = f"{self.agreement_lookup}__in" if self.agreement_lookup else "pk__in"
        return queryset.filter(**{key: Agreement.objects.coordinated_by(request.user)})

    def get_object(self, request, object_id, from_field=None):
        # Another agreement's record is answered as missing (404), never with its name.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Agreement and not request.user.is_superuser:
            kwargs["queryset"] = Agreement.objects.coordinated_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInline(VersionCheckInline, CoordinatorAccess):
    extra = 0


class PriorityAreaInline(ScopedInline, admin.TabularInline):
    model = PriorityArea


class MembershipInline(ScopedInline, admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]


@admin.register(Agreement)
class AgreementAdmin(AgreementScopedAdmin):
    agreement_lookup = ""
    list_display = ["title", "municipality", "police_area", "first_year", "last_year", "revise_by"]
    list_filter = ["police_area", "municipality", "first_year"]
    search_fields = ["title", "municipality__name", "police_area__name"]
    filter_horizontal = ["partners"]
    inlines = [PriorityAreaInline, MembershipInline]
    list_select_related = ["municipality", "police_area"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            # Whoever creates an agreement coordinates it, or they could not see it again.
            Membership.objects.get_or_create(
                agreement=obj, user=request.user, defaults={"role": COORDINATOR}
            )


@admin.register(PriorityArea)
class PriorityAreaAdmin(AgreementScopedAdmin):
    list_display = ["name", "overarching_goal", "agreement", "position"]
    list_filter = ["agreement"]
    search_fields = ["name", "overarching_goal"]
    list_select_related = ["agreement"]


@admin.register(Membership)
class MembershipAdmin(AgreementScopedAdmin):
    list_display = ["user", "role", "agreement"]
    list_filter = ["role", "agreement"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "agreement"]


@admin.register(StepStatus)
class StepStatusAdmin(AgreementScopedAdmin):
    list_display = ["agreement", "year", "step", "state"]
    list_filter = ["state", "step", "year", "agreement"]
    search_fields = ["agreement__title"]
    list_select_related = ["agreement"]


@admin.register(Organisation)
class OrganisationAdmin(CoordinatorAccess, admin.ModelAdmin):
    """Organisations are a shared register: coordinators add them; only the operator edits."""

    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_delete_permission = has_change_permission


@admin.register(User)
class UserAdmin(CoordinatorAccess, DjangoUserAdmin):
    """Coordinators manage the people of their working groups, never anyone's privileges."""

    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = ["is_active", "organisation", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["organisation"]
    coordinator_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "organisation")}),
        (_("Status"), {"fields": ("is_active",)}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            fieldsets = super().get_fieldsets(request, obj)
            if obj is not None:
                fieldsets = (
                    *fieldsets[:1],
                    (_("Organisation"), {"fields": ("organisation",)}),
                    *fieldsets[1:],
                )
            return fieldsets
        return self.coordinator_fieldsets

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # The people of the working groups they coordinate, and new people not yet in any.
        coordinated = Agreement.objects.coordinated_by(request.user)
        return (
            queryset.filter(Q(memberships__agreement__in=coordinated) | Q(memberships__isnull=True))
            .filter(is_superuser=False)
            .distinct()
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_search_results(self, request, queryset, search_term):
        if request.path.endswith("/autocomplete/") and not request.user.is_superuser:
            # Adding a colleague who already serves another working group: found by a
            # search of at least three letters, never by browsing everyone.
            if len(search_term.strip()) < 3:
                return queryset.none(), False
            queryset = User.objects.filter(is_active=True, is_superuser=False).order_by("username")
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

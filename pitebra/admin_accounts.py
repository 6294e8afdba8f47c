"""Accounts in the admin: who may change whom, and adding a colleague to a working group."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .admin_scoping import ScopedModelAdmin
from .models import Agreement, Membership, User
from .permissions import MEMBER, agreements_coordinated_by, may_manage_account
from .services import membership_added_notify

READ_ONLY_ACCOUNT = _(
    "You can see this account but not change it: the person also belongs to a working group "
    "that you do not coordinate. Ask the coordinator of that group or the operator."
)


class CoordinatorUserCreationForm(AdminUserCreationForm):
    """A coordinator creates a login straight into one of their working groups."""

    agreement = forms.ModelChoiceField(label=_("Working group of"), queryset=Agreement.objects)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=MEMBER)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    """Coordinators manage the people of their working groups, never anyone's privileges."""

    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = ["is_active", "organisation", "memberships__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["organisation"]
    coordinator_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "phone", "organisation")},
        ),
        (_("Status"), {"fields": ("is_active",)}),
    )
    coordinator_add_fieldsets = (
        (None, {"fields": ("agreement", "role", "username", "usable_password")}),
        (None, {"fields": ("password1", "password2")}),
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            fieldsets = super().get_fieldsets(request, obj)
            if obj is not None:
                fieldsets = (
                    *fieldsets[:1],
                    (_("Organisation"), {"fields": ("organisation", "phone")}),
                    *fieldsets[1:],
                )
            return fieldsets
        return self.coordinator_add_fieldsets if obj is None else self.coordinator_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = CoordinatorUserCreationForm
        form = super().get_form(request, obj, **kwargs)
        if "agreement" in form.base_fields:
            form.base_fields["agreement"].queryset = agreements_coordinated_by(request.user)
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_manage_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if request.method == "GET" and not may_manage_account(request.user, obj):
            messages.warning(request, READ_ONLY_ACCOUNT)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        agreement = form.cleaned_data.get("agreement") if not change else None
        with transaction.atomic():
            if agreement is not None:
                obj.save()
                Membership.objects.create(
                    agreement=agreement, user=obj, role=form.cleaned_data["role"]
                )
            super().save_model(request, obj, form, change)


class MembershipAddForm(forms.ModelForm):
    """Add a person to a working group by their exact username or e-mail address."""

    identifier = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_(
            "Exactly as the person's login has it. To add someone who has no login yet, "
            "create the user instead."
        ),
    )

    class Meta:
        model = Membership
        fields = ["agreement", "role"]

    def clean(self):
        cleaned = super().clean()
        identifier = (cleaned.get("identifier") or "").strip()
        if not identifier:
            return cleaned
        matches = list(
            User.objects.filter(
                Q(username=identifier) | Q(email__iexact=identifier), is_active=True
            ).exclude(is_superuser=True)[:2]
        )
        if len(matches) != 1:
            self.add_error(
                "identifier",
                ValidationError(
                    _("No single active user has exactly that username or e-mail address."),
                    code="no_user",
                ),
            )
            return cleaned
        self.instance.user = matches[0]
        agreement = cleaned.get("agreement")
        if agreement and Membership.objects.filter(agreement=agreement, user=matches[0]).exists():
            self.add_error(
                "identifier",
                ValidationError(
                    _("This person already belongs to the working group."), code="member"
                ),
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    list_display = ["user", "role", "agreement"]
    list_filter = ["role", "agreement"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "agreement"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = MembershipAddForm
            kwargs["fields"] = ["agreement", "identifier", "role"]
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return ["agreement", "identifier", "role"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj is not None and not request.user.is_superuser else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            membership_added_notify(membership=obj, added_by=request.user)

"""Admin for coordinators: every record scoped to the agreements they coordinate.

Every ModelAdmin and inline here and in the other apps builds on `pitebra.admin_scoping`.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import (
    admin_accounts,  # noqa: F401 - registers users and memberships
    rowsecurity,
)
from .admin_scoping import OperatorOnlyAdmin, ScopedModelAdmin, ScopedTabularInline
from .models import (
    Agreement,
    LocalPoliceArea,
    Membership,
    Municipality,
    Organisation,
    PoliceRegion,
    PriorityArea,
    StepStatus,
)
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


# Every local police area is part of one legal entity, Polismyndigheten.
POLICE_AUTHORITY = "202100-0076"


class AgreementForm(forms.ModelForm):
    """The operator names the municipality from Sweden's register, or an existing party."""

    from_register = forms.ModelChoiceField(
        Municipality.objects.all(),
        required=False,
        label=_("Municipality from the register"),
        help_text=_(
            "Choose one of Sweden's 290 municipalities: its party is found by its code, or "
            "created with the code as its Kolada id."
        ),
    )

    police_area_from_register = forms.ModelChoiceField(
        LocalPoliceArea.objects.select_related("region"),
        required=False,
        label=_("Local police area from the register"),
        help_text=_(
            "Choose the local police area that covers the municipality: its party is found "
            "by its name, or created."
        ),
    )

    class Meta:
        model = Agreement
        fields = "__all__"  # noqa: DJ007 – the admin narrows them to its own fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("municipality", "police_area"):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        self._clean_police_area(cleaned)
        chosen = cleaned.get("from_register")
        if chosen is not None:
            party = (
                Organisation.objects.filter(
                    kind=Organisation.Kind.MUNICIPALITY, agreement=None, kolada_id=chosen.code
                ).first()
                or Organisation.objects.get_or_create(
                    name=chosen.name,
                    agreement=None,
                    defaults={"kind": Organisation.Kind.MUNICIPALITY, "kolada_id": chosen.code},
                )[0]
            )
            cleaned["municipality"] = party
            self.instance.municipality = party
        elif "municipality" in self.fields and not cleaned.get("municipality"):
            self.add_error(
                "municipality",
                forms.ValidationError(
                    _("Choose the municipality, from the register or among the parties."),
                    code="required",
                ),
            )
        return cleaned

    def _clean_police_area(self, cleaned):
        area = cleaned.get("police_area_from_register")
        municipality = cleaned.get("from_register")
        if area is not None:
            if (
                municipality is not None
                and not area.municipalities.filter(pk=municipality.pk).exists()
            ):
                self.add_error(
                    "police_area_from_register",
                    forms.ValidationError(
                        _("%(area)s does not cover %(municipality)s."),
                        code="not_covered",
                        params={"area": area, "municipality": municipality.name},
                    ),
                )
                return
            party = Organisation.objects.get_or_create(
                name=str(area),
                agreement=None,
                kind=Organisation.Kind.POLICE,
                defaults={"organisation_number": POLICE_AUTHORITY},
            )[0]
            cleaned["police_area"] = party
            self.instance.police_area = party
        elif "police_area" in self.fields and not cleaned.get("police_area"):
            self.add_error(
                "police_area",
                forms.ValidationError(
                    _("Choose the local police area, from the register or among the parties."),
                    code="required",
                ),
            )


@admin.register(Municipality)
class MunicipalityAdmin(OperatorOnlyAdmin):
    """Sweden's register, as loaded: read by the operator, changed only by a migration."""

    list_display = ["name", "code", "county_name", "organisation_number"]
    search_fields = ["name", "code"]
    list_filter = ["county_name"]

    def has_add_permission(self, request):
        return False

    has_delete_permission = has_add_permission

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PoliceRegion)
class PoliceRegionAdmin(MunicipalityAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    list_filter = []


@admin.register(LocalPoliceArea)
class LocalPoliceAreaAdmin(MunicipalityAdmin):
    list_display = ["name", "code", "region", "police_district"]
    search_fields = ["name", "code", "municipalities__name"]
    list_filter = ["region"]
    list_select_related = ["region"]


@admin.register(Agreement)
class AgreementAdmin(ScopedModelAdmin):
    list_display = ["title", "municipality", "police_area", "first_year", "last_year", "revise_by"]
    list_filter = ["police_area", "municipality", "first_year"]
    search_fields = ["title", "municipality__name", "police_area__name"]
    filter_horizontal = ["partners"]
    inlines = [PriorityAreaInline, MembershipInline]
    list_select_related = ["municipality", "police_area"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and request.user.is_superuser:
            kwargs["form"] = AgreementForm
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request):
        # A coordinator starts a new agreement only as the successor of one they coordinate.
        return may_create_agreement(request.user)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # its priority areas and working group follow, under the second lock
            rowsecurity.widen(obj)

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

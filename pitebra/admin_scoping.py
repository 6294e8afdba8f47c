"""The admin's one scoping mechanism: every ModelAdmin and inline in PiteBra builds on these.

For a coordinator, every list, object, history entry, foreign-key and many-to-many choice
(with its validation on POST and the label beside a raw-id field), list filter, inline and
autocomplete answer is limited by `permissions.scope_for_coordinator`; anything else is a 404.
The operator (superuser) sees everything. `PiteBraAdminSite.check()` refuses an admin that does
not build on `ScopedAdminMixin`, so a model registered tomorrow is scoped or the checks fail.
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .permissions import (
    agreement_path,
    agreements_coordinated_by,
    is_coordinator_anywhere,
    scope_for_coordinator,
)
from .versioning.admin import VersionCheckAdmin, VersionCheckInline


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id field that prints the label of a chosen record only if the user may see it."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """The filter sidebar of a relation lists only records the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scope_for_coordinator(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        target = field.target_field.attname
        return [(getattr(obj, target), str(obj)) for obj in queryset]


class ScopedAllValuesFieldListFilter(admin.AllValuesFieldListFilter):
    """Values offered by the sidebar come from the rows the user may see, not the whole table."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request)
            .order_by(field_path)
            .values_list(field_path, flat=True)
            .distinct()
        )


def _scoped_list_filter(model, item):
    if not isinstance(item, str):
        return item  # a filter class chosen on purpose; the admin test checks what it shows
    field = get_fields_from_path(model, item)[-1]
    if field.is_relation:
        return (item, ScopedRelatedFieldListFilter)
    if field.choices or isinstance(field, models.BooleanField | models.DateField):
        return item
    return (item, ScopedAllValuesFieldListFilter)


class ScopedAdminMixin:
    """Coordinators may use these pages, limited to what they coordinate; the operator all."""

    def has_module_permission(self, request):
        return is_coordinator_anywhere(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator_anywhere(request.user)

    def has_add_permission(self, request, *args):
        return is_coordinator_anywhere(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator_anywhere(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator_anywhere(request.user)

    def get_queryset(self, request):
        return scope_for_coordinator(super().get_queryset(request), request.user)

    def _choices(self, db_field, request, kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using"))
        try:
            return scope_for_coordinator(queryset.all(), request.user)
        except ImproperlyConfigured:
            return queryset.none()  # e.g. permission groups: none of a coordinator's business

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default, without a warning
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs)
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                queryset=kwargs["queryset"],
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def in_scope(self, request, obj):
        """Is this saved record one the user may reach? (Checked after every admin save.)"""
        rows = type(obj)._default_manager.filter(pk=obj.pk)
        return scope_for_coordinator(rows, request.user).exists()


class ScopedModelAdmin(VersionCheckAdmin, ScopedAdminMixin, admin.ModelAdmin):
    """The base of every ModelAdmin in PiteBra, and the one place admin saves go through.

    Every change form carries the version check (`VersionCheckAdmin`); `save_model`,
    `save_related` and `save_formset` are the hooks for checks on every admin save (the audit
    trail): add them here, so that no admin can miss them.
    """

    def get_object(self, request, object_id, from_field=None):
        # Another agreement's record is answered as missing (404), never with its name.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_list_filter(self, request):
        return [_scoped_list_filter(self.model, item) for item in super().get_list_filter(request)]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not self.in_scope(request, obj):
                raise PermissionDenied  # rolls the save back

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            if not self.in_scope(request, form.instance):
                raise PermissionDenied

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            changed = [obj for obj, _fields in formset.changed_objects]
            for obj in [*formset.new_objects, *changed]:
                if not self.in_scope(request, obj):
                    raise PermissionDenied


class ScopedInlineMixin(VersionCheckInline, ScopedAdminMixin):
    extra = 0


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class ScopedHistoryAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """django-simple-history's history and revert views, for records the user may reach."""

    def _check_history_scope(self, request, object_id):
        if request.user.is_superuser or self.get_queryset(request).filter(pk=object_id).exists():
            return
        # A deleted record: its last historical version tells which agreement it belonged to.
        history = self.model.history.model._default_manager.filter(
            **{self.model._meta.pk.attname: object_id}
        )
        latest = history.order_by("-history_date", "-history_id")[:1].values("pk")
        path = agreement_path(self.model)
        agreements = agreements_coordinated_by(request.user).values("pk")
        if not path or not history.filter(pk__in=latest, **{f"{path}__in": agreements}).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_scope(request, object_id)
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404  # a deleted record is restored by the operator
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class OperatorOnlyAdmin(ScopedModelAdmin):
    """Records only the operator manages (e.g. Django's permission groups)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if self.has_module_permission(request) else queryset.none()

    def in_scope(self, request, obj):
        return self.has_module_permission(request)

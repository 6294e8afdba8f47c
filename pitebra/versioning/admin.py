"""The admin's side of no-lost-updates: one hook for every change form and inline.

Change forms of a `VersionChecked` model become `VersionedForm`s (the loaded version and
values travel as hidden fields), so a coordinator's stale save comes back merged with the
conflict marked, exactly as on the pages. A save overtaken in the instant between the check
and the write is answered with a message and the current page, never a 500.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import DELETED_MESSAGE, DeletedMeanwhile, StaleVersion, VersionChecked
from .forms import VersionedForm
from .history import one_entry_per_save


def _versioned(form_class):
    if issubclass(form_class, VersionedForm):
        return form_class
    return type(form_class.__name__, (VersionedForm, form_class), {})


class VersionCheckAdmin:
    """Mixin for a ModelAdmin; does nothing for models without a version."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and issubclass(self.model, VersionChecked):
            kwargs.setdefault("form", _versioned(self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def _refused(self, request):
        messages.error(
            request,
            _("Someone else saved this at the same moment: nothing was saved. Here it is now."),
        )
        return redirect(request.get_full_path())

    def _gone(self, request):
        messages.error(request, DELETED_MESSAGE)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def changeform_view(self, request, *args, **kwargs):
        try:
            with transaction.atomic(), one_entry_per_save():
                return super().changeform_view(request, *args, **kwargs)
        except StaleVersion:
            return self._refused(request)
        except DeletedMeanwhile:
            return self._gone(request)

    def history_form_view(self, request, *args, **kwargs):
        try:
            with transaction.atomic(), one_entry_per_save():
                return super().history_form_view(request, *args, **kwargs)
        except StaleVersion:
            return self._refused(request)
        except DeletedMeanwhile:
            return self._gone(request)


class VersionCheckInline:
    """Mixin for an InlineModelAdmin: its rows carry their versions too."""

    def get_formset(self, request, obj=None, **kwargs):
        if issubclass(self.model, VersionChecked):
            kwargs.setdefault("form", _versioned(self.form))
        return super().get_formset(request, obj, **kwargs)

"""The admin's side of no-lost-updates: one hook for every change form and inline.

Change forms of a `VersionChecked` model become `VersionedForm`s (the loaded version and
values travel as hidden fields). The model's conditional UPDATE refuses a stale save; the
change form is then shown again, bound to the current row with the coordinator's changes on
top and the conflict marked, exactly as on the pages. A stale inline row is answered with a
message and the current page, never a 500.
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
        form_class = super().get_form(request, obj, change=change, **kwargs)
        conflict = getattr(request, "version_conflict", None)
        if conflict is not None:
            # The merged form is shown, marked, never saved as it stands.
            return type(form_class.__name__, (form_class,), {"known_conflict": conflict})
        return form_class

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic(), one_entry_per_save():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleVersion as stale:
            if not self._merge(request, object_id, stale.current):
                return self._refused(request)
        except DeletedMeanwhile:
            return self._gone(request)
        # Once more, bound to the merged values: shown with the conflict marked.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _merge(self, request, object_id, current):
        """Bind the request to `current` with the user's changes on top (the change form's
        own row only: a stale inline row is refused)."""
        if type(current) is not self.model or str(current.pk) != str(object_id):
            return False
        form_class = self.get_form(request, current, change=True)
        if not issubclass(form_class, VersionedForm):
            return False
        form = form_class(request.POST, request.FILES, instance=current)
        data, conflict, both = form.merged_data(current)
        request.POST = data
        request.version_conflict = (conflict, both)
        return True

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

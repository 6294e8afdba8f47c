"""The form side of no-lost-updates: a refused save becomes a three-way merge.

The form carries the version the user loaded and the values they saw (`loaded_values`, the
form's own initial values as JSON). When the item has moved on, the form is bound again to the
*current* values with the fields this user changed (against what they loaded) on top; fields
both people changed keep this user's value and get an error that shows the other value beside
it. Its next save is then an ordinary edit of the current version, which never reverts a
field the user did not touch.

Nothing is checked before the save: the model's one conditional UPDATE refuses a save of an
older version (`StaleVersion`), and `save_versioned` merges the form it refused.
"""

import datetime
import json
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import DELETED_MESSAGE, DeletedMeanwhile, StaleVersion, version_of
from .display import form_value_display
from .history import one_entry_per_save

VERSION = "loaded_version"
VALUES = "loaded_values"


@dataclass
class Conflict:
    """What a refused save shows: who saved in between, what they changed, what both changed."""

    by: object = None
    theirs: list = field(default_factory=list)  # (label, value loaded, value now)
    both: list = field(default_factory=list)  # (label, their value, your value)


class VersionedForm(forms.ModelForm):
    """A ModelForm for a `VersionChecked` model; use `save_versioned` to save it."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set on a form class by the admin's hook when it binds a merged form (`admin.py`).
    known_conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk is not None and not self.is_bound:
            shown, base = self._shown_values(), self.instance
            if hasattr(self.instance, "_history"):
                # The admin's revert form shows an old record: the user's change is then
                # "back to these values", made against the row as it is now.
                base = type(self.instance)._base_manager.get(pk=self.instance.pk)
                shown = self._shown_values(base)
            self.initial[VERSION] = version_of(base)
            self.initial[VALUES] = json.dumps(shown, cls=DjangoJSONEncoder)

    # What the user loaded and what they changed

    def _edited_fields(self):
        # Only the form's own fields: a formset adds its own (the row's id, DELETE, ORDER).
        return [
            name
            for name in self.fields
            if name in self.base_fields and name not in (VERSION, VALUES)
        ]

    def _shown_values(self, instance=None):
        """What an unbound form shows in each edited field: this one, or one of `instance`."""
        stored = None if instance is None else model_to_dict(instance)
        values = {}
        for name in self._edited_fields():
            form_field = self.fields[name]
            if stored is None:
                value = self.get_initial_for_field(form_field, name)
            else:
                value = stored.get(name, form_field.initial)
                value = value() if callable(value) else value
                if isinstance(value, datetime.datetime | datetime.time) and not (
                    form_field.widget.supports_microseconds
                ):
                    value = value.replace(microsecond=0)
            values[name] = form_field.prepare_value(value)
        return values

    def _loaded(self):
        """The values the user saw when they opened the form, or None if not sent."""
        try:
            raw = json.loads(self.data.get(self.add_prefix(VALUES)) or "null")
        except (TypeError, ValueError):
            return None
        return raw if isinstance(raw, dict) else None

    def _changed_against(self, name, loaded):
        bound = self[name]
        try:
            return bound.field.has_changed(self._python(bound.field, loaded), bound.data)
        except (ValidationError, TypeError, ValueError):
            return True

    @staticmethod
    def _python(form_field, value):
        if isinstance(form_field, forms.ModelChoiceField | forms.ChoiceField):
            return value
        try:
            return form_field.to_python(value)
        except ValidationError:
            return value

    @property
    def changed_data(self):
        """The fields this user changed against what they loaded (not against the database)."""
        loaded = self._loaded() if self.is_bound and self.instance.pk is not None else None
        if loaded is None:
            return super().changed_data
        return [
            name
            for name in self._edited_fields()
            if name not in loaded or self._changed_against(name, loaded[name])
        ]

    # The check, and the merge when it fails

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is not None and self.cleaned_data.get(VERSION) is not None:
            # The save is checked against the version the user loaded: the model's one
            # conditional UPDATE refuses it if the row moved on (then `merge_with`).
            setattr(self.instance, self.instance.version_field, self.cleaned_data[VERSION])

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.known_conflict is not None:
            self._mark(*self.known_conflict)

    def merged_data(self, current):
        """This user's changes on top of `current`: (form data, Conflict, {field: theirs})."""
        loaded = self._loaded() or {}
        mine = set(self.changed_data)
        now_values = self._shown_values(current)
        data = self.data.copy()
        conflict = Conflict(by=_last_editor(current))
        both = {}
        for name in self._edited_fields():
            form_field = self.fields[name]
            now = now_values[name]
            theirs = name in loaded and _differs(form_field, loaded[name], now)
            if theirs:
                conflict.theirs.append(
                    (
                        form_field.label or name,
                        form_value_display(form_field, loaded[name]),
                        form_value_display(form_field, now),
                    )
                )
            if name not in mine:
                _put(data, self.add_prefix(name), form_field, now)
            elif theirs and self._changed_against(name, now):
                yours = self[name].value()
                both[name] = form_value_display(form_field, now)
                conflict.both.append(
                    (
                        form_field.label or name,
                        both[name],
                        form_value_display(form_field, yours),
                    )
                )
        data[self.add_prefix(VERSION)] = str(version_of(current))
        data[self.add_prefix(VALUES)] = json.dumps(now_values, cls=DjangoJSONEncoder)
        return data, conflict, both

    def merge_with(self, current):
        """Bind the form to `current` with this user's changes on top; it is then invalid."""
        data, conflict, both = self.merged_data(current)
        self.data = data
        self.instance = current
        self.initial = {
            **model_to_dict(current),
            VERSION: data[self.add_prefix(VERSION)],
            VALUES: data[self.add_prefix(VALUES)],
        }
        self.full_clean()
        self._mark(conflict, both)

    def _mark(self, conflict, both):
        """Say that someone else saved meanwhile, and beside each field both changed, what."""
        self.conflict = conflict
        self.add_error(None, CONFLICT_MESSAGE)
        for name, their_value in both.items():
            self.add_error(
                name,
                ValidationError(
                    _(
                        "Also changed by someone else, to: “%(theirs)s”. Your value is in the "
                        "field: keep it or change it, then save."
                    )
                    % {"theirs": their_value},
                    code="both_changed",
                ),
            )


CONFLICT_MESSAGE = gettext_lazy(
    "Someone else saved this after you opened it. The form now shows their version with your "
    "changes on top: check it and save again."
)


def _differs(form_field, a, b):
    try:
        return form_field.has_changed(VersionedForm._python(form_field, a), b)
    except (ValidationError, TypeError, ValueError):
        return a != b


def _put(data, key, form_field, value):
    """Write a prepared value into form data the way its widget would post it."""
    if isinstance(value, list | tuple):
        values = [str(v) for v in value]
        if hasattr(data, "setlist"):
            data.setlist(key, values)
        else:
            data[key] = values
        return
    if isinstance(form_field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
        return
    formatted = "" if value is None else form_field.widget.format_value(value)
    if isinstance(formatted, list):  # a select's value
        formatted = formatted[0] if formatted else ""
    data[key] = "" if formatted is None else str(formatted)


def _last_editor(obj):
    history = getattr(obj, "history", None)
    if history is not None:
        record = history.order_by("-history_date", "-pk").first()
        if record is not None and record.history_user is not None:
            return record.history_user
    return getattr(obj, "updated_by", None)


def save_versioned(form, save=None):
    """Save a valid VersionedForm (with `save(form)` if given) or merge it on a late conflict.

    Returns the saved object, or None when someone saved in between (the form is then
    bound to the merged values and shows the conflict) or deleted the item (the form says so).
    """
    try:
        with transaction.atomic(), one_entry_per_save():
            return save(form) if save is not None else form.save()
    except StaleVersion as stale:
        current = stale.current
        if type(current) is type(form.instance) and current.pk == form.instance.pk:
            form.merge_with(current)
        # Otherwise a related row (an inline's) was overtaken; its own form shows the merge.
        return None
    except DeletedMeanwhile:
        form.add_error(None, DELETED_MESSAGE)
        return None

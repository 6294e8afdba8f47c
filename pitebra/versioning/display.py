"""Values as the page says them: choice labels, related objects by name, Swedish dates.

Shared by the conflict display of a refused save and by the history of an item.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

EMPTY = "–"


def plain_display(value):
    """A date, number, yes/no or text in the active language's format."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, list | tuple):
        return ", ".join(plain_display(v) for v in value)
    return str(value)


def _choice_label(choices, value):
    labels = {}
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group
            labels.update({str(k): v for k, v in label})
        else:
            labels[str(key)] = label
    return str(labels.get(str(value), value))


def model_value_display(model_field, value):
    """A stored value (a history record's, ids for relations) as the page shows it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if model_field.many_to_many:
        target = model_field.related_model
        ids = [_m2m_target_id(row, model_field) for row in value]
        objects = target._base_manager.filter(pk__in=ids)
        return ", ".join(sorted(str(o) for o in objects)) or EMPTY
    if model_field.is_relation:
        target = model_field.related_model
        obj = target._base_manager.filter(pk=getattr(value, "pk", value)).first()
        return str(obj) if obj is not None else _("(removed)")
    if model_field.choices:
        if isinstance(value, list | tuple):
            return ", ".join(_choice_label(model_field.flatchoices, v) for v in value)
        return _choice_label(model_field.flatchoices, value)
    if isinstance(value, list | tuple) and getattr(model_field, "base_field", None) is None:
        return plain_display(value)
    return plain_display(value)


def _m2m_target_id(row, model_field):
    """simple_history gives many-to-many values as dicts of the through row's ids."""
    if not isinstance(row, dict):
        return getattr(row, "pk", row)
    target_name = model_field.m2m_reverse_field_name()
    return row.get(target_name, row.get(f"{target_name}_id"))


def form_value_display(field, value):
    """A form field's prepared value (ids for relations) as the form shows it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = field.queryset.model._base_manager.filter(pk__in=list(value))
        return ", ".join(sorted(field.label_from_instance(o) for o in objects)) or EMPTY
    if isinstance(field, forms.ModelChoiceField):
        obj = field.queryset.model._base_manager.filter(pk=value).first()
        return field.label_from_instance(obj) if obj is not None else EMPTY
    if isinstance(field, forms.ChoiceField):
        if isinstance(value, list | tuple):
            return ", ".join(_choice_label(field.choices, v) for v in value)
        return _choice_label(field.choices, value)
    if isinstance(field, forms.DateField) and isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return plain_display(value)

"""Simple forms (login, passwords) drawn without crispy's per-field templates.

`{% plain_field field %}` gives a text-like input the markup crispy-bootstrap5 gives it (label,
the required mark, `is-invalid`, the error next to the field, tied by `aria-describedby`), built
in Python: crispy renders four templates per field, which is most of the login page's time.
Any other widget (a select, a checkbox list, a file) still goes through crispy.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# Widgets drawn here: one <input>, its value from the form.
_INPUTS = {"text", "password", "email", "url", "number", "tel", "search"}


@register.simple_tag
def plain_field(field):
    """The field as crispy-bootstrap5 draws it, without its templates."""
    widget = field.field.widget
    if field.widget_type not in _INPUTS or field.is_hidden:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    attrs = field.build_widget_attrs(dict(widget.attrs))
    css = f"{field.widget_type}input form-control" + (" is-invalid" if field.errors else "")
    attrs["class"] = f"{attrs.pop('class', '')} {css}".strip()
    described = attrs.pop("aria-describedby", "").split()
    error_id = f"{field.auto_id}_error"
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(error_id)
    if described:
        attrs["aria-describedby"] = " ".join(dict.fromkeys(described))
    value = field.value()
    show_value = value not in (None, "") and getattr(widget, "render_value", True)
    html_attrs = {"type": widget.input_type, "name": field.html_name}
    if show_value:
        html_attrs["value"] = widget.format_value(value)
    html_attrs.update(attrs)
    html_attrs["id"] = field.auto_id
    required = field.field.required
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    errors = (
        format_html(
            '<div id="{}" class="invalid-feedback">{}</div>',
            error_id,
            format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>', _numbered(field)),
        )
        if field.errors
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label> '
        "<input{}>{}{}</div>",
        field.auto_id,
        field.auto_id,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        flatatt(html_attrs),
        errors,
        help_text,
    )


def _numbered(field):
    return ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1))

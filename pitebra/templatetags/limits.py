"""Template side of the input limits: long error lists shown capped."""

from django import template

from pitebra.limits import cap_errors

register = template.Library()


@register.filter(name="cap_errors")
def cap_errors_filter(errors):
    """The first errors and a count of the rest (see pitebra.limits.cap_errors)."""
    return cap_errors(errors or [])

"""`|public_text`: the last guard on a public page: a text holding personal data is withheld."""

from django import template

from pitebra.personal_data import findings_in

register = template.Library()


@register.filter
def public_text(value):
    return "" if findings_in(str(value or "")) else value

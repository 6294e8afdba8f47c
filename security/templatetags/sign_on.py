from django import template

from ..sign_on import providers_for_login

register = template.Library()


@register.simple_tag
def sign_on_providers():
    """The enabled identity providers, for the login page's 'Log in with NAME' buttons."""
    return list(providers_for_login())

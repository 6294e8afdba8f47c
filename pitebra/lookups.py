"""Lookups the views of every app share; each starts from the agreement the user may see."""

from django.http import Http404


def operating_year(agreement, year):
    """`year` when it is one of the agreement's operating years; otherwise 404."""
    if not agreement.covers(year):
        raise Http404
    return year

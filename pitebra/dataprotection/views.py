"""The operator's data-protection pages; a user's own data is in `my_data`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from ..permissions import is_operator
from .register import register_context


def _operator_only(request):
    if not is_operator(request.user):
        raise PermissionDenied


@require_GET
def register_page(request):
    _operator_only(request)
    return render(request, "pitebra/dataprotection/register.html", register_context())


@require_GET
def register_download(request):
    """The same register as one self-contained Swedish document, to file and sign."""
    _operator_only(request)
    with translation.override("sv"):
        html = render_to_string(
            "pitebra/dataprotection/register_document.html",
            {**register_context(), "made_on": timezone.localdate()},
        )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="registerforteckning.html"'
    return response

"""Request middleware of our own."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the header's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a municipal PC set
    up in English would get English; the interface is Swedish by default, by decision.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulMiddleware:
    """A NUL byte in the path, the query string or form data is a 400 on every database.

    PostgreSQL cannot store or compare text with NUL in it and raises an error (a 500) where
    SQLite quietly answers; refusing the request before any view runs treats both the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which PiteBra does not accept."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    for data in [request.GET, request.POST] if request.method == "POST" else [request.GET]:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.method != "POST":
        return False
    return any("\x00" in (f.name or "") for _key, files in request.FILES.lists() for f in files)

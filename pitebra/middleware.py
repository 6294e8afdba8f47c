"""Request middleware of our own."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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

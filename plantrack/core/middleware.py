"""Request plumbing shared by every page."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """The UI language is Vietnamese unless the user chose another with the language switch (set_language's
    cookie). The browser's Accept-Language is ignored on purpose: officers' machines often run an English
    browser, and the product is Vietnamese first (PRODUCT.md §5)."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

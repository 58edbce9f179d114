"""The language the app speaks to a person: chosen on their account, else their browser's.

Django's LocaleMiddleware reads the browser (or the picker's cookie) first; after login this
middleware lets the account's choice win, so a patient who picked Spanish on their phone gets
Spanish on the clinic's tablet too.
"""

from django.conf import settings
from django.utils import translation

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def is_supported(code):
    return code in SUPPORTED


def account_language(get_response):
    def middleware(request):
        user = getattr(request, "user", None)
        chosen = getattr(user, "language", "") if user is not None else ""
        if chosen and user.is_authenticated and chosen in SUPPORTED:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return get_response(request)

    return middleware

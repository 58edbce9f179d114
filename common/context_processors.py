from django.conf import settings

from common.middleware import idle_limit_seconds


def clinic(request):
    """The clinic's name and phone number, shown in the layout and in crisis help.

    The number comes twice: CLINIC_PHONE as people read it, CLINIC_PHONE_TEL for `tel:`
    links, which allow no spaces or brackets.

    For someone logged in, also how long their session may sit idle, in seconds, which
    base.html hands to static/js/idle.js (the same limit common.middleware enforces).
    """
    context = {
        "CLINIC_NAME": settings.CLINIC_NAME,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
        "CLINIC_PHONE_TEL": settings.CLINIC_PHONE_TEL,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["IDLE_TIMEOUT_SECONDS"] = f"{idle_limit_seconds(user):g}"
    return context

"""Two-factor is required for therapists and clinic admins (TWO_FACTOR_REQUIRED_ROLES).

One without it is led to set it up before any other page. Whether the logged-in person
has it is noted in their session when they log in or add an authenticator, so the check
costs no query per request. allauth's MFA adapter (accounts.adapters) refuses to remove
the last authenticator from these roles, so the note cannot go stale.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import access

SESSION_KEY = "accounts:has-two-factor"

# Pages a person may still open before setting it up: allauth's own account pages
# (log out, reauthenticate, the authenticator set-up itself) and static files.
OPEN_PREFIXES = ("/accounts/", "/static/")


def current_code(secret):
    """The code an authenticator app shows for this secret right now (demo and tests)."""
    # allauth yields the counters within MFA_TOTP_TOLERANCE periods of now (by default
    # just the current one); the middle one is now.
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def has_two_factor(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@receiver(user_logged_in)
def note_two_factor_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = has_two_factor(user)


@receiver(authenticator_added)
def note_two_factor_once_added(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        request.session[SESSION_KEY] = True


def two_factor_required(get_response):
    """Middleware: staff without two-factor see only the page that sets it up."""

    def middleware(request):
        user = request.user
        if (
            access.must_use_two_factor(user)
            and not request.path.startswith(OPEN_PREFIXES)
            and not _noted(request, user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "message": _(
                            "Your role needs two-factor authentication. Set it up "
                            "in the web app first."
                        ),
                        "errors": {},
                    },
                    status=403,
                )
            messages.info(
                request,
                _(
                    "Your account can open patients' records, so it needs a second step at "
                    "login. Set up an authenticator app to go on."
                ),
                fail_silently=True,
            )
            return redirect("mfa_activate_totp")
        return get_response(request)

    return middleware


def _noted(request, user):
    if not request.session.get(SESSION_KEY):
        # Not noted yet (a session from before this rule, or set up a moment ago): look,
        # and remember once it is there. Only people still without it pay the query.
        request.session[SESSION_KEY] = has_two_factor(user)
    return request.session[SESSION_KEY]

"""Middleware that keeps one person's health data off the next person's screen.

A phone or a clinic tablet is often shared. Three rules, each a small middleware:

- `no_store`: nothing a logged-in person sees, and nothing from the API, is kept in a
  browser cache or in the back/forward cache, where the next person could bring it back.
- `clear_device_on_logout`: logging out tells the browser to wipe this site's storage
  and cache (`Clear-Site-Data`), the journal copy kept for offline writing included.
- `idle_logout`: automatic logoff (HIPAA 164.312(a)(2)(iii), ASVS 3.3): a session unused
  for longer than IDLE_TIMEOUT_STAFF_MINUTES or IDLE_TIMEOUT_PATIENT_MINUTES ends.
  static/js/idle.js warns a minute before and saves the journal draft first.

In MIDDLEWARE after MessageMiddleware (they leave a message for the login page) and
before allauth's middleware and the two-factor rule, so an expired session is gone
before anything else looks at who is logged in.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The session key holding when this session last made a request (seconds since the epoch).
LAST_ACTIVITY = "common:last-activity"
# Everything under this prefix is the API (config/urls.py). Token requests are only
# authenticated later, inside DRF, so the API is recognised by its address.
API_PREFIX = "/api/"
CLEAR_SITE_DATA = '"cache", "storage"'


def idle_limit_seconds(user):
    """How long this person's session may sit unused, in seconds.

    Staff (therapists, clinic admins) can open every patient's record, so theirs is the
    shorter limit; so is any role this rule does not know, erring on the safe side.
    """
    if getattr(user, "role", None) == "patient" and not user.is_staff:
        minutes = settings.IDLE_TIMEOUT_PATIENT_MINUTES
    else:
        minutes = settings.IDLE_TIMEOUT_STAFF_MINUTES
    return float(minutes) * 60


def _noting_interval(limit):
    """Activity is written to the session at most this often (each write costs a query).

    The limit is counted from the last note plus this much, so a session never ends
    sooner than the limit after its last request, only up to these few seconds later;
    idle.js ends it a little before, from the page's own clock.
    """
    return min(5.0, limit / 10)


def idle_message(user, seconds):
    """What the login page says after an automatic logoff, in the person's terms."""
    if getattr(user, "role", None) == "patient":
        text = _(
            "You were logged out after %(duration)s without activity, to keep your journal private."
        )
    else:
        text = _(
            "You were logged out after %(duration)s without activity, to keep patients' "
            "records private."
        )
    return text % {"duration": _duration(seconds)}


def _duration(seconds):
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    seconds = max(1, round(seconds))
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def _wants_json(request):
    """An API call, an htmx swap or a script's fetch: a redirect to a page would be wrong."""
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith(API_PREFIX)
        or request.headers.get("HX-Request") == "true"
        or ("application/json" in accept and "text/html" not in accept)
    )


def no_store(get_response):
    """Middleware: `Cache-Control: no-store` on every answer to a logged-in person and the API.

    Checked before and after the view, so the answer to a logout (anonymous by then) and
    to a login (anonymous before it) are covered too.
    """

    def middleware(request):
        was_authenticated = request.user.is_authenticated
        response = get_response(request)
        if (
            was_authenticated
            or request.user.is_authenticated
            or request.path.startswith(API_PREFIX)
        ):
            add_never_cache_headers(response)
        return response

    return middleware


def clear_device_on_logout(get_response):
    """Middleware: a logout wipes this site's storage and cache in the browser.

    static/js/idle.js clears the app's storage itself before it submits the logout form;
    the header also covers a browser without JavaScript, or a tab that never ran it.
    A logout that idle.js sends when time ran out (`reason=idle`) says so on the login page.
    """

    def middleware(request):
        if request.method != "POST" or request.path != reverse("account_logout"):
            return get_response(request)
        user = request.user
        ran_out = user.is_authenticated and request.POST.get("reason") == "idle"
        response = get_response(request)
        if response.status_code < 400:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
            if ran_out and not getattr(request, "idle_session_ended", False):
                messages.info(
                    request, idle_message(user, idle_limit_seconds(user)), fail_silently=True
                )
        return response

    return middleware


def idle_logout(get_response):
    """Middleware: a session unused for longer than the person's limit is logged out.

    Every request of a logged-in session counts as activity (noted in the session, at
    most every few seconds, see `_noting_interval`). Past the limit the session
    ends before the view runs, whoever holds the cookie. A page request then goes on as an
    anonymous one (pages that need a login send it to the login page, which says why; a
    login form posted on a shared device still logs the next person in). An API call, an
    htmx swap or a script's fetch gets 401 in the API's error shape; htmx is also told to
    go to the login page.
    """

    def middleware(request):
        user = request.user
        if user.is_authenticated:
            limit = idle_limit_seconds(user)
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and time.time() - last > limit + _noting_interval(limit):
                refusal = _end_idle_session(request, user, limit)
                if refusal is not None:
                    return refusal
        response = get_response(request)
        if getattr(request, "idle_session_ended", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        # Only a session login is timed here: a token request (DRF authenticates it inside
        # the view) must not start a session of its own.
        if request.user.is_authenticated and AUTH_SESSION_KEY in request.session:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            noting_interval = _noting_interval(idle_limit_seconds(request.user))
            if last is None or now - last >= noting_interval:
                request.session[LAST_ACTIVITY] = now
        return response

    return middleware


def _end_idle_session(request, user, limit):
    """Log the idle session out; the response to send instead of the view's, if any."""
    # Marked first: receivers of the logout signal (the audit trail) tell it from a tap.
    request.idle_session_ended = True
    logout(request)
    text = idle_message(user, limit)
    messages.info(request, text, fail_silently=True)
    if not _wants_json(request):
        return None
    if request.path.startswith(API_PREFIX) and "Authorization" in request.headers:
        # A native app's token may still vouch for this call; DRF decides.
        return None
    response = JsonResponse({"message": text, "errors": {}}, status=401)
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    if request.path.startswith(API_PREFIX):
        # As DRF's own 401 says: the API also takes a bearer token.
        response["WWW-Authenticate"] = "Bearer"
    if request.headers.get("HX-Request") == "true":
        response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
    return response

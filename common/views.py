"""Views every app may route to: permanent redirects for addresses that moved, and the
"Stay logged in" button of the idle warning."""

from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


def moved_to(pattern_name, *, anchor=""):
    """A view that sends an old address to its new one, for good.

    GET and HEAD answer 301. Anything else answers 308, so a form posted to an old address
    (an open tab from before the move) arrives as the same POST, not as a lost GET.
    """

    def moved(request, **kwargs):
        url = reverse(pattern_name, kwargs=kwargs)
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        response = HttpResponsePermanentRedirect(url + anchor)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        return response

    return moved


@require_POST
def keep_alive(request):
    """The idle warning's "Stay logged in": 204, and the idle clock starts again.

    common.middleware.idle_logout counts every request of a live session as activity, so
    there is nothing left to do here. A session that has run out already was logged out
    by that middleware before this view: a kept cookie cannot bring it back.
    """
    if not request.user.is_authenticated:
        # 401 with a body, never a redirect to the login page, which a script would take
        # for a 200.
        return JsonResponse({"message": _("You are logged out."), "errors": {}}, status=401)
    return HttpResponse(status=204)

"""Views every app may route to: permanent redirects for addresses that moved."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse


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

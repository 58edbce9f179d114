"""Responses every app's views share: one 303 redirect, one test for an htmx fragment."""

from django.shortcuts import redirect


def see_other(to, *args, **kwargs):
    """Redirect after a POST with 303, so the browser (and htmx) follow with a GET."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response


def wants_fragment(request):
    """An htmx swap asks for the partial; a boosted link or a history restore wants the page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request

from django.http import HttpResponse


def ok(request):
    """The floor: what the same server, middleware included, answers with no work at all."""
    return HttpResponse("ok", content_type="text/plain")

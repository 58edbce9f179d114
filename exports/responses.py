"""The one way a finished export leaves the app, for the web page and the API alike."""

from django.http import HttpResponse


def attachment(export):
    """The file as a download with its dated name.

    `common.middleware.no_store` adds `Cache-Control: no-store` (the person is logged in,
    or it is the API), so no copy stays in a browser's or a proxy's cache.
    """
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

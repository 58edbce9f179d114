"""The visitor's address, read the same way everywhere.

Login limits (allauth), API throttles and the address kept with a signature all call
`client_ip`, so one setting (TRUSTED_PROXY_COUNT) decides which X-Forwarded-For entry
counts. A client can write anything into that header; only the entries added by the
clinic's own proxies are believed.
"""

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured


def client_ip(request):
    """The address of whoever sent this request, as allauth's rate limits see it."""
    try:
        return get_adapter(request).get_client_ip(request)
    except ImproperlyConfigured:
        # Fewer X-Forwarded-For entries than trusted proxies: the request did not come
        # through them, so the connection's own address is the only honest one.
        return request.META.get("REMOTE_ADDR")

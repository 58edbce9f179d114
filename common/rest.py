"""The API's shared plumbing, named in settings.REST_FRAMEWORK: auth, errors, paging, throttling.

Kept apart from the views because DRF imports these while it is still loading itself.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions, permissions, serializers
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle

from common.net import client_ip


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>` (REST_KNOX's AUTH_HEADER_PREFIX), checked by knox.

    knox compares a hash of the token with the stored digest, deletes it once expired,
    and refuses it once its user is deactivated. The token's last use is noted for the
    owner's list of devices, at most once every few minutes so a busy app costs few writes.
    """

    last_used_precision = timedelta(minutes=5)

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            # knox would let this escape as a 500; a garbled token is just a wrong one.
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        if hasattr(auth_token, "last_used_at"):
            self._note_use(auth_token)
        return user, auth_token

    def _note_use(self, auth_token):
        now = timezone.now()
        if auth_token.last_used_at and now - auth_token.last_used_at < self.last_used_precision:
            return
        type(auth_token).objects.filter(pk=auth_token.pk).update(last_used_at=now)
        auth_token.last_used_at = now


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema how BearerTokenAuthentication reads the token."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


class _PageSizeMixin:
    """Pages of 20 by default; a client may ask for 1 to 100. A bad value is a 400, not ignored."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        message = _("Use a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({self.page_size_query_param: [message]}) from None
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
            getattr(self, "page_query_param", None): {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class ClinicPagination(_PageSizeMixin, CursorPagination):
    """Every API list, by keyset: `next` and `previous` are links holding an opaque cursor.

    An OFFSET page makes the database walk every row before it, so the thousandth entry
    costs a thousand; a cursor page starts where the last one ended, at the same cost at
    any depth, and a row added meanwhile never shifts a page. The order is the one the
    selector gives (newest first, mostly); its first field is the key, so a selector
    feeding a list orders by a moment that never changes (created, signed, read).
    """

    invalid_cursor_message = gettext_lazy(
        "This page link has expired or was changed. Start from the first page."
    )

    def get_ordering(self, request, queryset, view):
        ordering = tuple(queryset.query.order_by) or tuple(queryset.model._meta.ordering)
        if not ordering or not all(isinstance(field, str) for field in ordering):
            raise ImproperlyConfigured(
                f"{type(view).__name__} lists a queryset without a plain field ordering; "
                "order it in the selector (e.g. .order_by('-created_at', '-pk'))."
            )
        return ordering


class RosterPagination(_PageSizeMixin, PageNumberPagination):
    """The therapist's patient list, which alone keeps numbered pages.

    It is ordered by what needs attention now (urgent entries, entries to review), which
    changes as the therapist works, so no cursor could hold a place in it; it is as long
    as one caseload, not a journal, so an OFFSET costs little.
    """


class WriteRateThrottle(SimpleRateThrottle):
    """Limits how many changes one user (or address) can make per minute."""

    scope = "writes"

    def get_ident(self, request):
        # The address allauth's login limits see too: X-Forwarded-For only as far as the
        # clinic's own proxies wrote it (TRUSTED_PROXY_COUNT), never as the client chose.
        try:
            return client_ip(request)
        except DjangoPermissionDenied:
            # No address at all (a WSGI caller that sets no REMOTE_ADDR): all such
            # requests share one count rather than escaping it.
            return "unknown"

    def get_rate(self):
        return settings.API_WRITE_RATE

    def allow_request(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthRateThrottle(WriteRateThrottle):
    """Limits requests to the token endpoint, per address.

    Failed logins are also counted per account (allauth's limit, shared with the web
    login), which holds however many addresses a guesser uses.
    """

    scope = "auth"

    def get_rate(self):
        return settings.API_AUTH_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _messages(detail, prefix=""):
    """Every message under one field as a flat list of strings (nested lists say which item)."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            label = (
                _("Item %(number)d: ") % {"number": int(key) + 1}
                if str(key).isdigit()
                else f"{key}: "
            )
            found += _messages(value, prefix + label)
        return found
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item, prefix)]
    return [f"{prefix}{detail}"]


def clinic_exception_handler(exc, context):
    """Every error is JSON: `{"message": "...", "errors": {"field": ["..."]}}`.

    The consent and journal services raise Django's ValidationError with messages meant
    for people; they reach API clients unchanged, field by field.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {field: _messages(value) for field, value in errors.items()}
        general = errors.get("non_field_errors")
        message = general[0] if general else _("Please check the highlighted fields.")
        response.data = {"message": message, "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"message": str(detail) or _("Something went wrong."), "errors": {}}
    return response


class ErrorSerializer(serializers.Serializer):
    """The shape of every error response."""

    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


@csrf_exempt  # it changes nothing, and a token client sends no CSRF cookie
def api_not_found(request, *args, **kwargs):
    """Any other address under /api/ answers 404 in the API's JSON shape, not an HTML page."""
    return JsonResponse({"message": _("Not found."), "errors": {}}, status=404)

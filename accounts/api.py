"""The account endpoints of the API: tokens for native apps, their devices, who is logged in."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import tokens
from accounts.serializers import (
    DeviceSerializer,
    LanguageChoiceSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.services import set_language
from common.rest import AuthRateThrottle, BearerTokenAuthentication, ErrorSerializer

# --- Authentication ------------------------------------------------------------------


class TokenView(APIView):
    """Obtain a token for a native app (POST) or revoke the one in use (DELETE)."""

    authentication_classes = [BearerTokenAuthentication]
    throttle_classes = [AuthRateThrottle]

    def get_authenticators(self):
        # Logging in ignores any token sent along: an app holding an expired one must
        # still be able to get a new one.
        request = getattr(self, "request", None)  # None while the schema is generated
        if request is not None and request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A field is missing, or the email, password or code is not "
                "correct (one message for all of them).",
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="A therapist or clinic admin without two-factor (set it up in "
                "the web app first), or logged in on too many devices.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many failed logins from this address or for this account: "
                "wait the seconds in `Retry-After`.",
            ),
        },
        auth=[],
        summary="Log in a device: a token for email, password and (with two-factor) code",
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            issued = tokens.log_in_device(
                request=request._request,
                email=given.validated_data["email"],
                password=given.validated_data["password"],
                code=given.validated_data.get("code", ""),
                device_name=given.validated_data["device_name"],
            )
        except tokens.TooManyLoginAttempts as refusal:
            throttled = exceptions.Throttled(detail=str(refusal))
            throttled.wait = refusal.retry_after_seconds  # becomes Retry-After
            raise throttled from None
        except (tokens.TwoFactorSetupRequired, tokens.TooManyDevices) as refusal:
            raise exceptions.PermissionDenied(str(refusal)) from None
        return Response(
            TokenSerializer(
                {
                    "token": issued.token,
                    "expiry": issued.device.expires_at,
                    "device": issued.device,
                    "user": issued.user,
                }
            ).data
        )

    @extend_schema(
        responses={204: OpenApiResponse(description="This device's token is revoked")},
        summary="Log out this device",
    )
    def delete(self, request):
        # Only the token in use: the person's other devices stay logged in.
        if request.auth is not None:
            tokens.revoke_token(token=request.auth, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceListView(generics.ListAPIView):
    """The devices logged in as you, newest first; `is_current` marks this one."""

    serializer_class = DeviceSerializer

    def get_queryset(self):
        return tokens.device_tokens_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        devices = tokens.as_devices(page, current_token=request.auth)
        return self.get_paginated_response(self.get_serializer(devices, many=True).data)


class DeviceView(APIView):
    """Log out one of your devices (a lost phone, say). Someone else's answers 404."""

    @extend_schema(
        responses={204: OpenApiResponse(description="That device's token is revoked")},
        summary="Log out one of your devices",
    )
    def delete(self, request, public_id):
        tokens.revoke_device(user=request.user, public_id=public_id, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """Who is logged in, in which role, and in which language the app speaks to them."""

    @extend_schema(responses={200: MeSerializer}, summary="Who is logged in")
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=LanguageChoiceSerializer,
        responses={
            200: MeSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not a language the app speaks."),
        },
        summary="Choose the language of the app and its emails",
    )
    def patch(self, request):
        given = LanguageChoiceSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            set_language(user=request.user, language=given.validated_data["language"])
        except ValidationError as error:
            raise exceptions.ValidationError({"language": error.messages}) from None
        return Response(MeSerializer(request.user).data)

"""The account endpoints of the API: tokens for native apps, and who is logged in."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from common.rest import AuthRateThrottle, BearerTokenAuthentication

# --- Authentication ------------------------------------------------------------------


class TokenView(APIView):
    """Obtain a token for a native app (POST) or revoke the one in use (DELETE)."""

    authentication_classes = [BearerTokenAuthentication]
    throttle_classes = [AuthRateThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
        summary="Obtain a token with email and password",
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=given.validated_data["email"].strip().lower(),
            password=given.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": ["The email or password is not correct."]}
            )
        if _has_two_factor(user):
            code = given.validated_data.get("code", "")
            if not code or not _two_factor_code_is_valid(user, code):
                raise exceptions.ValidationError(
                    {"code": ["Enter the current code from your authenticator app."]}
                )
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key, "user": user}).data)

    @extend_schema(responses={204: OpenApiResponse(description="Token revoked")})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _has_two_factor(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _two_factor_code_is_valid(user, code):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return TOTP(authenticator).validate_code(code)


class MeView(generics.RetrieveAPIView):
    """Who is logged in, and in which role."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user

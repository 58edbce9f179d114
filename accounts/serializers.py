from django.conf import settings
from rest_framework import serializers

from accounts.models import ApiToken, User


class MeSerializer(serializers.ModelSerializer):
    # Blank until the person chooses: the schema must say "" is a possible answer.
    language = serializers.ChoiceField(
        choices=[("", "Not chosen"), *settings.LANGUAGES],
        read_only=True,
        help_text="The language the app and its emails speak to this person "
        "(blank: the browser's). Change it with PATCH.",
    )

    class Meta:
        model = User
        fields = ["public_id", "email", "first_name", "last_name", "role", "language"]
        read_only_fields = fields


class LanguageChoiceSerializer(serializers.Serializer):
    language = serializers.CharField(
        max_length=8, help_text="One of the languages the app speaks: `en` or `es`."
    )


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="The current code from the authenticator app, for accounts with two-factor.",
    )
    device_name = serializers.CharField(
        max_length=ApiToken._meta.get_field("device_name").max_length,
        help_text="What the person calls this device, shown in their list of devices "
        "(for example “Sam's iPhone”).",
    )


class DeviceSerializer(serializers.Serializer):
    """One device logged in to the app (accounts.tokens.Device)."""

    public_id = serializers.UUIDField(help_text="Revoke it at `/api/v1/auth/devices/{public_id}/`.")
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(
        allow_null=True, help_text="The token stops working then; log in again for a new one."
    )
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="Roughly (to a few minutes); null until first used."
    )
    is_current = serializers.BooleanField(help_text="True for the token of this request.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Bearer <token>`. Shown only this once: the "
        "clinic keeps just a hash of it."
    )
    expiry = serializers.DateTimeField(allow_null=True, help_text="When the token stops working.")
    device = DeviceSerializer()
    user = MeSerializer()

from rest_framework import serializers

from accounts.models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["public_id", "email", "first_name", "last_name", "role"]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    code = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="The current code from the authenticator app, for accounts with two-factor.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")
    user = MeSerializer()


class ConsentSummarySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["not_started", "in_progress", "signed", "outdated", "withdrawn"]
    )
    label = serializers.CharField()
    acknowledged = serializers.IntegerField()
    section_count = serializers.IntegerField()
    signed_version = serializers.IntegerField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)


class JournalSummarySerializer(serializers.Serializer):
    last_entry_at = serializers.DateTimeField(allow_null=True)
    last_session_at = serializers.DateTimeField(allow_null=True)
    urgent = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    for_discussion = serializers.IntegerField()


class PatientSummarySerializer(serializers.ModelSerializer):
    has_joined = serializers.BooleanField(read_only=True)
    consent = serializers.SerializerMethodField()
    journal = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "public_id",
            "email",
            "first_name",
            "last_name",
            "has_joined",
            "consent",
            "journal",
        ]
        read_only_fields = fields

    def get_journal(self, patient) -> JournalSummarySerializer:
        # Annotated on the row by journal.dashboard, in the same query.
        return JournalSummarySerializer(
            {
                "last_entry_at": patient.last_entry_at,
                "last_session_at": patient.last_session_at,
                "urgent": patient.urgent_count,
                "awaiting_review": patient.awaiting_review_count,
                "for_discussion": patient.for_discussion_count,
            }
        ).data

    def _current_version(self):
        from consent.models import ConsentVersion

        # One query per response, not per patient.
        if "current_version" not in self.context:
            self.context["current_version"] = ConsentVersion.objects.current()
        return self.context["current_version"]

    def get_consent(self, patient) -> ConsentSummarySerializer:
        from consent.presenters import status_label
        from consent.selectors import ConsentStatus

        status = ConsentStatus(patient, self._current_version())
        done, total = status.progress
        signed = status.signed
        return ConsentSummarySerializer(
            {
                "kind": status.kind,
                "label": status_label(status),
                "acknowledged": done,
                "section_count": total,
                "signed_version": signed.version.number if signed else None,
                "signed_at": signed.signature.signed_at if signed else None,
            }
        ).data

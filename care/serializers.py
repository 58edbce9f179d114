from rest_framework import serializers

from accounts.models import User
from consent.presenters import status_label


class ConsentSummarySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["not_started", "in_progress", "signed", "outdated", "withdrawn"]
    )
    label = serializers.CharField()
    acknowledged = serializers.IntegerField()
    section_count = serializers.IntegerField()
    signed_version = serializers.IntegerField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    wording_updated_in = serializers.IntegerField(
        allow_null=True,
        help_text="A later version changed only wording: the signature stays valid.",
    )


class JournalSummarySerializer(serializers.Serializer):
    last_entry_at = serializers.DateTimeField(allow_null=True)
    last_session_at = serializers.DateTimeField(allow_null=True)
    urgent = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    for_discussion = serializers.IntegerField()
    unread_replies = serializers.IntegerField(
        help_text="Replies the patient wrote in entry threads that nobody in the team has read."
    )


class PatientSummarySerializer(serializers.ModelSerializer):
    """A roster row (see care.selectors.roster_rows): the same figures the web page shows."""

    has_joined = serializers.BooleanField(read_only=True)
    consent = serializers.SerializerMethodField()
    journal = serializers.SerializerMethodField()
    open_measure_alerts = serializers.IntegerField(
        source="measure_alert_count",
        read_only=True,
        help_text="Questionnaire answers (PHQ-9 item 9) waiting for the care team to acknowledge.",
    )
    open_consent_questions = serializers.IntegerField(
        read_only=True, help_text="Questions about the consent waiting for an answer."
    )
    overdue_consent_questions = serializers.IntegerField(
        read_only=True,
        help_text="Of those, questions open longer than CARE_TEAM_REPLY_HOURS: such a patient "
        "comes right after urgent ones.",
    )

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
            "open_measure_alerts",
            "open_consent_questions",
            "overdue_consent_questions",
        ]
        read_only_fields = fields

    # The nested figures are built as plain dicts, in the shape and formats of the nested
    # serializers the schema names: a serializer per row and figure cost more than the
    # rest of the list. `_moment` formats a time as their DateTimeFields do.
    def get_journal(self, patient) -> JournalSummarySerializer:
        return {
            "last_entry_at": _moment.to_representation(patient.last_entry_at),
            "last_session_at": _moment.to_representation(patient.last_session_at),
            "urgent": patient.urgent_count,
            "awaiting_review": patient.awaiting_review_count,
            "for_discussion": patient.for_discussion_count,
            "unread_replies": patient.unread_reply_count,
        }

    def get_consent(self, patient) -> ConsentSummarySerializer:
        status = patient.consent_status
        done, total = status.progress
        signed = status.signed
        return {
            "kind": status.kind,
            "label": status_label(status),
            "acknowledged": done,
            "section_count": total,
            "signed_version": signed.version.number if signed else None,
            "signed_at": _moment.to_representation(signed.signature.signed_at if signed else None),
            "wording_updated_in": getattr(status.wording_updated_in, "number", None),
        }


_moment = serializers.DateTimeField(allow_null=True)

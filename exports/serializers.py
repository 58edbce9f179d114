"""The shape of the patient's export: the JSON file itself, and the rows of the CSV files.

docs/export-format.md describes every field. A change here that removes or renames a
field, or changes its meaning, raises FORMAT_VERSION; adding a field does not.
"""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consent.models import Signature
from journal.models import Experience, Route

FORMAT_NAME = "kap-companion-patient-export"
FORMAT_VERSION = 1


def iso_datetime(moment):
    """ISO 8601 in the clinic's time zone, with its offset from UTC (never a bare "Z")."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat()


class ClinicDateTimeField(serializers.DateTimeField):
    def to_representation(self, value):
        return iso_datetime(value)


def _time(**kwargs):
    return ClinicDateTimeField(read_only=True, **kwargs)


def _name(source, **kwargs):
    """A person's full name through `source` (a user), or null when there is none."""
    return serializers.CharField(source=f"{source}.get_full_name", allow_null=True, **kwargs)


# --- The patient and their care team ----------------------------------------------------


class ExportedCareTeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField(source="get_full_name")
    role = serializers.CharField(source="get_role_display")


class ExportedProfileSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(help_text="Your account's id in the app.")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    account_created_at = _time(source="date_joined")


# --- Administration sessions -------------------------------------------------------------


class ExportedSessionSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    occurred_at = _time()
    route = serializers.ChoiceField(choices=Route.choices)
    route_label = serializers.CharField(source="get_route_display")
    dose_mg = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True
    )
    notes = serializers.CharField(allow_blank=True)
    recorded_by = _name("recorded_by")
    recorded_at = _time(source="created_at")


# --- The journal --------------------------------------------------------------------------


class ExportedCommentSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    author = _name("author")
    author_side = serializers.CharField(help_text="care_team, or patient for your own replies.")
    written_at = _time(source="created_at")
    body = serializers.CharField()
    seen_at = _time(source="seen_by_patient_at", allow_null=True)


class ExportedEntryReadSerializer(serializers.Serializer):
    reader = _name("reader")
    read_at = _time()


class ExportedEntryTextSerializer(serializers.Serializer):
    """What the patient writes in an entry: shared by the entry and its earlier versions.

    A subclass lists in `leading` the fields of its own that come before these.
    """

    leading = ()

    body = serializers.CharField(allow_blank=True)
    stood_out = serializers.CharField(allow_blank=True)
    emotions = serializers.CharField(allow_blank=True)
    body_sensations = serializers.CharField(allow_blank=True)
    insights = serializers.CharField(allow_blank=True)
    intention = serializers.CharField(allow_blank=True)
    mood = serializers.IntegerField(allow_null=True, min_value=0, max_value=10)
    anxiety = serializers.IntegerField(allow_null=True, min_value=0, max_value=10)
    experiences = serializers.ListField(child=serializers.ChoiceField(choices=Experience.choices))
    experiences_other = serializers.CharField(allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        first = {name: fields.pop(name) for name in self.leading}
        return {**first, **fields}


class ExportedEarlierVersionSerializer(ExportedEntryTextSerializer):
    leading = ("public_id", "saved_at", "replaced_at", "session")

    public_id = serializers.UUIDField()
    session = serializers.UUIDField(source="session.public_id", allow_null=True)
    is_shared = serializers.BooleanField()
    is_for_discussion = serializers.BooleanField()
    saved_at = _time(help_text="Since when the entry said this (its submission, or an edit).")
    replaced_at = _time(help_text="When your next edit replaced it.")


class ExportedEntrySerializer(ExportedEntryTextSerializer):
    leading = (
        "public_id",
        "state",
        "session",
        "created_at",
        "updated_at",
        "submitted_at",
        "edited_at",
    )

    public_id = serializers.UUIDField()
    state = serializers.SerializerMethodField()
    session = serializers.UUIDField(source="session.public_id", allow_null=True)
    created_at = _time()
    updated_at = _time()
    submitted_at = _time(allow_null=True)
    edited_at = _time(allow_null=True)
    is_shared = serializers.BooleanField()
    shared_at = _time(allow_null=True)
    is_for_discussion = serializers.BooleanField()
    discussed_at = _time(allow_null=True)
    reviewed_at = _time(allow_null=True)
    reviewed_by = _name("reviewed_by")
    has_crisis_language = serializers.BooleanField()
    comments = ExportedCommentSerializer(many=True)
    read_by = ExportedEntryReadSerializer(many=True, source="reads")
    earlier_versions = ExportedEarlierVersionSerializer(many=True)

    def get_state(self, entry) -> str:
        return "draft" if entry.is_draft else "submitted"


# --- Consent ------------------------------------------------------------------------------


class ExportedAcknowledgementSerializer(serializers.Serializer):
    section_position = serializers.IntegerField(source="section.position")
    section_slug = serializers.CharField(source="section.slug")
    section_title = serializers.CharField(source="section.title")
    opened_at = _time()
    acknowledged_at = _time(allow_null=True)
    seconds_open = serializers.IntegerField(allow_null=True)


class ExportedQuizAnswerSerializer(serializers.Serializer):
    section_position = serializers.IntegerField(source="section.position")
    section_slug = serializers.CharField(source="section.slug")
    question = serializers.CharField(source="section.question_prompt")
    choice = serializers.IntegerField(help_text="The choice you picked, counting from 1.")
    choice_text = serializers.SerializerMethodField()
    is_correct = serializers.BooleanField()
    answered_at = _time()

    def get_choice_text(self, attempt) -> str:
        choices = attempt.section.question_choices
        return choices[attempt.choice - 1] if 1 <= attempt.choice <= len(choices) else ""


class ExportedSignatureSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    typed_name = serializers.CharField()
    signer_email = serializers.CharField(allow_blank=True)
    signed_at = _time()
    meaning = serializers.CharField()
    identity_confirmed_by = serializers.ChoiceField(choices=Signature.ConfirmedBy.choices)
    identity_confirmed_at = _time(allow_null=True)
    fingerprint = serializers.CharField(help_text="SHA-256 of signed_text, in hexadecimal.")
    text_is_intact = serializers.BooleanField()
    signed_text = serializers.CharField()
    ip_address = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField(allow_blank=True)
    seal = serializers.CharField(help_text="HMAC-SHA256 of the whole record, in hexadecimal.")
    seal_key_id = serializers.CharField()
    sealed_at = _time()
    sealed_when = serializers.ChoiceField(choices=Signature.SealedWhen.choices)


class ExportedWithdrawalSerializer(serializers.Serializer):
    withdrawn_at = _time()
    reason = serializers.CharField(allow_blank=True)


class ExportedQuestionSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    section_position = serializers.IntegerField(source="section.position")
    section_title = serializers.CharField(source="section.title")
    text = serializers.CharField()
    asked_at = _time()
    answer = serializers.CharField(allow_blank=True)
    answered_by = _name("answered_by")
    answered_at = _time(allow_null=True)


class ExportedConsentSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    version_number = serializers.IntegerField(source="version.number")
    version_title = serializers.CharField(source="version.title")
    started_at = _time()
    status = serializers.SerializerMethodField()
    acknowledgements = ExportedAcknowledgementSerializer(many=True)
    quiz_answers = ExportedQuizAnswerSerializer(many=True, source="quiz_attempts")
    questions = ExportedQuestionSerializer(many=True)
    signature = ExportedSignatureSerializer(allow_null=True)
    withdrawal = ExportedWithdrawalSerializer(allow_null=True)

    def get_status(self, consent) -> str:
        if consent.is_withdrawn:
            return "withdrawn"
        return "signed" if consent.is_signed else "in_progress"


# --- The whole export ----------------------------------------------------------------------


# --- Before a session, and questionnaires ---------------------------------------------------


class ExportedIntentionSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    session = serializers.UUIDField(
        source="session.public_id",
        allow_null=True,
        help_text="The session it was for (a public_id from sessions), or null while it waits.",
    )
    body = serializers.CharField()
    is_shared = serializers.BooleanField()
    written_at = _time()
    updated_at = _time()


class ExportedAnswerSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    question = serializers.CharField()
    value = serializers.IntegerField()
    answer = serializers.CharField()


class ExportedMeasureResponseSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    measure = serializers.CharField(source="version.name")
    version = serializers.IntegerField(source="version.number")
    started_at = _time()
    submitted_at = _time(allow_null=True, help_text="Null for answers not sent yet.")
    total_score = serializers.IntegerField(allow_null=True)
    max_score = serializers.IntegerField(source="version.max_score")
    band = serializers.CharField(allow_blank=True)
    answers = serializers.SerializerMethodField()

    @extend_schema_field(ExportedAnswerSerializer(many=True))
    def get_answers(self, response):
        return response.answer_rows()


class PatientExportSerializer(serializers.Serializer):
    format = serializers.SerializerMethodField(help_text=f'Always "{FORMAT_NAME}".')
    format_version = serializers.SerializerMethodField(
        help_text="Raised when a field is renamed, removed or changes meaning."
    )
    exported_at = _time()
    clinic = serializers.SerializerMethodField()
    time_zone = serializers.SerializerMethodField(
        help_text="The clinic's time zone, in which every time here is written."
    )
    profile = ExportedProfileSerializer(source="patient")
    care_team = ExportedCareTeamMemberSerializer(many=True)
    sessions = ExportedSessionSerializer(many=True)
    entries = ExportedEntrySerializer(many=True)
    consents = ExportedConsentSerializer(many=True)
    intentions = ExportedIntentionSerializer(many=True)
    measure_responses = ExportedMeasureResponseSerializer(many=True)

    def get_format(self, records) -> str:
        return FORMAT_NAME

    def get_format_version(self, records) -> int:
        return FORMAT_VERSION

    def get_clinic(self, records) -> str:
        return settings.CLINIC_NAME

    def get_time_zone(self, records) -> str:
        return timezone.get_current_timezone_name()

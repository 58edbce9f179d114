"""The shapes of measures in the API: shape only; rules live in `measures.services`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from measures.models import INTERVAL_MAX, MeasureResponse, MeasureSchedule, ScheduleMode


class ScaleChoiceSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class SeverityBandSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    label = serializers.CharField()


class AlertRuleSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The question's number, from 1.")
    at_least = serializers.IntegerField(help_text="Answers of this value or more alert the team.")
    notice = serializers.CharField(help_text="What the patient reads before starting.")


class MeasureVersionSerializer(serializers.Serializer):
    """A measure as patients answer it now: its current version, word for word."""

    public_id = serializers.UUIDField(source="measure.public_id")
    code = serializers.CharField(source="measure.code")
    version = serializers.IntegerField(source="number")
    name = serializers.CharField()
    title = serializers.CharField()
    topic = serializers.CharField()
    instructions = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    scale = ScaleChoiceSerializer(many=True)
    bands = SeverityBandSerializer(many=True)
    alert_items = AlertRuleSerializer(many=True)
    reliable_change = serializers.IntegerField(allow_null=True)
    max_score = serializers.IntegerField()
    minutes = serializers.IntegerField()
    attribution = serializers.CharField()


class DueSerializer(serializers.Serializer):
    measure = serializers.UUIDField(source="measure.public_id")
    code = serializers.CharField(source="measure.code")
    name = serializers.CharField(source="measure.name")
    due_key = serializers.CharField(help_text="Names this occurrence: the same until answered.")
    is_baseline = serializers.BooleanField()
    draft = serializers.UUIDField(
        source="draft_key", allow_null=True, help_text="Your unfinished answers, if you began."
    )


class ItemAnswerSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    item = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    label = serializers.CharField(allow_blank=True)


class MeasureResponseSerializer(serializers.ModelSerializer):
    """A patient's answers: a draft (for the patient only) or submitted and scored."""

    measure = serializers.UUIDField(source="measure.public_id", read_only=True)
    code = serializers.CharField(source="measure.code", read_only=True)
    name = serializers.CharField(source="version.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    max_score = serializers.IntegerField(source="version.max_score", read_only=True)
    is_draft = serializers.BooleanField(read_only=True)
    answers = serializers.SerializerMethodField()
    next_question = serializers.SerializerMethodField(
        help_text="The first unanswered question's number, or null when all are answered."
    )
    shows_crisis_help = serializers.BooleanField(
        source="has_flagged_answer",
        read_only=True,
        help_text="An answer the care team is alerted to: show 988, 911 and the clinic's number.",
    )

    class Meta:
        model = MeasureResponse
        fields = [
            "public_id",
            "measure",
            "code",
            "name",
            "version",
            "is_draft",
            "started_at",
            "submitted_at",
            "total_score",
            "max_score",
            "band",
            "answers",
            "next_question",
            "shows_crisis_help",
        ]
        read_only_fields = fields

    def get_answers(self, response) -> ItemAnswerSerializer(many=True):
        return ItemAnswerSerializer(
            [
                {"position": position, "item": text, "value": value, "label": label}
                for position, text, value, label in response.answered_items()
            ],
            many=True,
        ).data

    def get_next_question(self, response) -> int | None:
        return response.first_unanswered() if response.is_draft else None


class StartSerializer(serializers.Serializer):
    measure = serializers.SlugField(help_text="The measure's code, e.g. phq9.", max_length=30)


class AnswerWriteSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        min_value=0,
        max_value=100,
        help_text="One of the scale's values.",
        error_messages={"invalid": _("Choose one of the answers.")},
    )


class ScheduleSerializer(serializers.ModelSerializer):
    measure = serializers.SlugField(source="measure.code")

    class Meta:
        model = MeasureSchedule
        fields = ["measure", "mode", "interval", "updated_at"]
        read_only_fields = fields


class ScheduleWriteSerializer(serializers.Serializer):
    measure = serializers.SlugField(max_length=30, help_text="The measure's code, e.g. phq9.")
    mode = serializers.ChoiceField(choices=ScheduleMode.choices)
    interval = serializers.IntegerField(
        min_value=1,
        max_value=INTERVAL_MAX,
        required=False,
        allow_null=True,
        help_text="Days, or sessions: required unless the mode is off.",
    )


class MeasureSummarySerializer(serializers.Serializer):
    """One measure on the therapist's view of a patient (measures.selectors.MeasureSummary)."""

    code = serializers.CharField(source="measure.code")
    name = serializers.CharField(source="measure.name")
    schedule_mode = serializers.ChoiceField(choices=ScheduleMode.choices)
    schedule_interval = serializers.IntegerField(allow_null=True)
    response_count = serializers.IntegerField()
    latest_score = serializers.IntegerField(allow_null=True)
    latest_band = serializers.CharField(allow_blank=True)
    latest_at = serializers.DateTimeField(allow_null=True)
    first_score = serializers.IntegerField(allow_null=True)
    first_at = serializers.DateTimeField(allow_null=True)
    change = serializers.IntegerField(
        allow_null=True, help_text="Latest minus first; negative is fewer symptoms."
    )
    is_reliable_change = serializers.BooleanField()
    max_score = serializers.IntegerField(allow_null=True)
    open_alert = serializers.UUIDField(source="open_alert_key", allow_null=True)
    open_alert_at = serializers.DateTimeField(allow_null=True)


class AlertSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    patient = serializers.UUIDField(source="patient.public_id")
    items = serializers.ListField(child=serializers.IntegerField())
    raised_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)

"""The journal as JSON, and the shape of what clients send.

The write serializers check shape only and hand typed values (a session, ints, bools) to
`journal.services`, which holds the rules, exactly as the web forms do.
"""

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from journal.models import (
    COMMENT_MAX_CHARS,
    CONTENT_FIELDS,
    DOSE_MAX_MG,
    DOSE_MIN_MG,
    ENTRY_MAX_CHARS,
    INTENTION_MAX_CHARS,
    PROMPT_MAX_CHARS,
    SCALE_MAX,
    SCALE_MIN,
    AdministrationSession,
    ClinicalNote,
    Comment,
    Entry,
    EntryRevision,
    Experience,
    Intention,
    Route,
)


class AdministrationSessionSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = AdministrationSession
        fields = ["public_id", "occurred_at", "route", "dose_mg", "notes", "recorded_by"]
        read_only_fields = fields

    def get_recorded_by(self, session) -> str:
        return session.recorded_by.get_full_name() if session.recorded_by else ""


class AdministrationSessionWriteSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    route = serializers.ChoiceField(choices=Route.choices)
    dose_mg = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        required=False,
        allow_null=True,
        min_value=DOSE_MIN_MG,
        max_value=DOSE_MAX_MG,
        # The words of the web form (journal.forms.AdministrationSessionForm).
        error_messages={
            "min_value": _("A dose is at least 0.1 mg."),
            "max_value": _("That is more than 1000 mg: please check the number."),
        },
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CrisisHelpSerializer(serializers.Serializer):
    message = serializers.CharField()
    lifeline = serializers.CharField()
    emergency = serializers.CharField()
    clinic_phone = serializers.CharField()


def crisis_help():
    return {
        "message": _(
            "You wrote about hurting yourself or not wanting to live. You are not alone, and "
            "help is there right now."
        ),
        "lifeline": _("Call or text 988 (Suicide and Crisis Lifeline), any time."),
        "emergency": _("In an emergency, call 911."),
        "clinic_phone": settings.CLINIC_PHONE,
    }


class EntrySerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="session.public_id", allow_null=True, default=None)
    patient = serializers.UUIDField(source="patient.public_id")
    state = serializers.SerializerMethodField()
    experiences = serializers.ListField(child=serializers.ChoiceField(choices=Experience.choices))
    crisis_help = serializers.SerializerMethodField()
    edit_count = serializers.IntegerField(
        read_only=True,
        help_text="How many times the patient edited the entry after submitting it. "
        "The earlier words are the patient's alone (see the entry's revisions).",
    )

    class Meta:
        model = Entry
        fields = [
            "public_id",
            "patient",
            "session",
            "state",
            *CONTENT_FIELDS,
            "is_shared",
            "is_for_discussion",
            "has_crisis_language",
            "crisis_help",
            "created_at",
            "submitted_at",
            "edited_at",
            "edit_count",
            "shared_at",
            "reviewed_at",
            "discussed_at",
        ]
        read_only_fields = fields

    def get_state(self, entry) -> str:
        return "draft" if entry.is_draft else "submitted"

    def get_crisis_help(self, entry) -> CrisisHelpSerializer(allow_null=True):
        # Shown to the patient who wrote the words; the care team has its own urgent flag.
        request = self.context.get("request")
        is_author = request is not None and request.user.pk == entry.patient_id
        return crisis_help() if entry.has_crisis_language and is_author else None


class OwnSessionField(serializers.UUIDField):
    """A session's public id, resolved to one of the requesting patient's own sessions."""

    # Someone else's session answers like an unknown one, with the web form's words.
    default_error_messages = {
        "not_yours": _("Select a valid choice. That choice is not one of the available choices.")
    }

    def to_internal_value(self, data):
        key = super().to_internal_value(data)
        patient = self.context["request"].user
        session = AdministrationSession.objects.visible_to(patient).filter(public_id=key).first()
        if session is None:
            self.fail("not_yours")
        return session


class EntryWriteSerializer(serializers.Serializer):
    """What a patient may send for an entry; every field is optional.

    Needs the request in its context: `session` becomes one of the patient's own sessions.
    """

    session = OwnSessionField(required=False, allow_null=True)
    body = serializers.CharField(required=False, allow_blank=True, max_length=ENTRY_MAX_CHARS)
    stood_out = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_CHARS)
    emotions = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_CHARS)
    body_sensations = serializers.CharField(
        required=False, allow_blank=True, max_length=PROMPT_MAX_CHARS
    )
    insights = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_CHARS)
    intention = serializers.CharField(required=False, allow_blank=True, max_length=PROMPT_MAX_CHARS)
    mood = serializers.IntegerField(
        required=False, allow_null=True, min_value=SCALE_MIN, max_value=SCALE_MAX
    )
    anxiety = serializers.IntegerField(
        required=False, allow_null=True, min_value=SCALE_MIN, max_value=SCALE_MAX
    )
    experiences = serializers.ListField(
        child=serializers.ChoiceField(choices=Experience.choices), required=False
    )
    experiences_other = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_shared = serializers.BooleanField(required=False)
    is_for_discussion = serializers.BooleanField(required=False)


class CommentSerializer(serializers.ModelSerializer):
    """A message in the thread under an entry: a care team comment or reply, or the patient's."""

    author = serializers.SerializerMethodField()
    in_reply_to = serializers.UUIDField(
        source="in_reply_to.public_id",
        allow_null=True,
        default=None,
        read_only=True,
        help_text="The message this one answers, if any.",
    )

    class Meta:
        model = Comment
        fields = [
            "public_id",
            "author",
            "author_side",
            "in_reply_to",
            "body",
            "created_at",
            "seen_by_patient_at",
            "read_by_care_team_at",
        ]
        read_only_fields = fields

    def get_author(self, comment) -> str:
        return comment.author.get_full_name() if comment.author else ""


class ClinicalNoteSerializer(CommentSerializer):
    in_reply_to = None

    class Meta:
        model = ClinicalNote
        fields = ["public_id", "author", "body", "created_at"]
        read_only_fields = fields


class CommentWriteSerializer(serializers.Serializer):
    # The words of the web form (journal.forms.CommentForm).
    body = serializers.CharField(
        max_length=COMMENT_MAX_CHARS,
        error_messages={
            "required": _("Write your comment before sending it."),
            "blank": _("Write your comment before sending it."),
            "max_length": format_lazy(
                _("Keep a comment under {limit} characters."), limit=COMMENT_MAX_CHARS
            ),
        },
    )


class NoteWriteSerializer(serializers.Serializer):
    # The words of the web form (journal.forms.ClinicalNoteForm).
    body = serializers.CharField(
        max_length=COMMENT_MAX_CHARS,
        error_messages={
            "required": _("Write the note before saving it."),
            "blank": _("Write the note before saving it."),
            "max_length": format_lazy(
                _("Keep a note under {limit} characters."), limit=COMMENT_MAX_CHARS
            ),
        },
    )


class EntryReaderSerializer(serializers.Serializer):
    reader = serializers.CharField(source="reader_name")
    last_read_at = serializers.DateTimeField()
    times = serializers.IntegerField()


class EntryRevisionSerializer(serializers.ModelSerializer):
    """What an entry said before an edit: shown to the patient who wrote it, nobody else."""

    session = serializers.UUIDField(source="session.public_id", allow_null=True, default=None)
    experiences = serializers.ListField(child=serializers.ChoiceField(choices=Experience.choices))

    class Meta:
        model = EntryRevision
        fields = [
            "public_id",
            "session",
            *CONTENT_FIELDS,
            "is_shared",
            "is_for_discussion",
            "saved_at",
            "replaced_at",
        ]
        read_only_fields = fields


class LookSerializer(serializers.Serializer):
    """One time someone on the care team saw the patient's words (journal.selectors.Look)."""

    looked_at = serializers.DateTimeField()
    therapist = serializers.CharField(source="who")
    what = serializers.ChoiceField(
        choices=[
            ("entry", _("Opened one entry")),
            ("list", _("Saw the list of your shared entries")),
            ("agenda", _("Opened your integration agenda")),
        ]
    )
    entry = serializers.UUIDField(source="entry.public_id", allow_null=True, default=None)
    count = serializers.IntegerField(
        allow_null=True, help_text="How many entries the list or the agenda showed."
    )
    intentions = serializers.IntegerField(
        allow_null=True,
        help_text="How many of your intentions before a session it showed, if any.",
    )


class WordsField(serializers.CharField):
    """Words as a JSON string: a number or a list is refused, not turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class YesNoField(serializers.BooleanField):
    """true or false in JSON, nothing else ("yes", 0 and "1" are refused)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ReplyWriteSerializer(serializers.Serializer):
    # The words of the web form (journal.forms.ReplyForm); the patient's limit is the
    # service's (journal.services.reply_on_entry), which says it kindly.
    body = WordsField(
        max_length=COMMENT_MAX_CHARS,
        error_messages={
            "invalid": _("Send your reply as text."),
            "required": _("Write a few words before sending."),
            "blank": _("Write a few words before sending."),
            "max_length": format_lazy(
                _("Keep a reply under {limit} characters."), limit=COMMENT_MAX_CHARS
            ),
        },
    )


class ThreadReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many messages were new to you.")


class IntentionSerializer(serializers.ModelSerializer):
    """What the patient wants to bring into a session: pending until the session is recorded."""

    session = serializers.UUIDField(
        source="session.public_id",
        allow_null=True,
        default=None,
        read_only=True,
        help_text="The session it went with; null while it waits for the next one.",
    )
    is_pending = serializers.BooleanField(read_only=True)

    class Meta:
        model = Intention
        fields = [
            "public_id",
            "body",
            "is_shared",
            "is_pending",
            "session",
            "written_at",
            "updated_at",
        ]
        read_only_fields = fields


class IntentionWriteSerializer(serializers.Serializer):
    # The words of the web form (journal.forms.IntentionForm); "nothing to save" is the
    # service's, so web and API say it the same way.
    body = WordsField(
        max_length=INTENTION_MAX_CHARS,
        allow_blank=True,
        error_messages={
            "invalid": _("Send your intention as text."),
            "required": _("Write a few words about what you want to bring into your session."),
            "max_length": format_lazy(
                _("An intention holds {limit} characters at most."),
                limit=f"{INTENTION_MAX_CHARS:,}",
            ),
        },
    )
    is_shared = YesNoField(default=True, help_text="Share with my care team (default: yes).")

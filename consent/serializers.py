"""Shapes of consent in the API: the selectors' dataclasses and records out, requests in."""

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from consent.models import (
    ENGLISH,
    Acknowledgement,
    CareTeamQuestion,
    Consent,
    ConsentSection,
    ConsentVersion,
    QuizAttempt,
    SectionChange,
    Signature,
    Withdrawal,
)
from consent.presenters import status_label
from consent.rendering import render_markdown
from consent.selectors import REQUIRED, struggled_sections
from consent.services import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS, REASON_MAX_CHARS


class ChoiceSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()


class SectionQuestionSerializer(serializers.Serializer):
    prompt = serializers.CharField()
    choices = ChoiceSerializer(many=True)


class ConsentSectionSerializer(serializers.ModelSerializer):
    body_html = serializers.SerializerMethodField(help_text="The body as safe HTML.")
    question = serializers.SerializerMethodField()

    class Meta:
        model = ConsentSection
        fields = [
            "position",
            "slug",
            "title",
            "body",
            "body_html",
            "requires_acknowledgement",
            "question",
        ]
        read_only_fields = fields

    def get_body_html(self, section) -> str:
        # With the passage ids a wrong answer's `passage_anchor` points at.
        return render_markdown(section.body, passage_ids=True)

    def get_question(self, section) -> SectionQuestionSerializer(allow_null=True):
        if not section.has_question:
            return None
        # The right answer is never sent: the server checks answers.
        return {
            "prompt": section.question_prompt,
            "choices": [{"number": n, "text": t} for n, t in section.numbered_choices],
        }


class ConsentDocumentSerializer(serializers.ModelSerializer):
    sections = ConsentSectionSerializer(many=True, source="ordered_sections")
    fingerprint = serializers.SerializerMethodField(
        help_text="SHA-256 of the text a signature of this version covers."
    )
    estimated_minutes = serializers.SerializerMethodField()
    language = serializers.SerializerMethodField(
        help_text="The language of this text (en, es): the patient's, when the version is "
        "published in it, else English. Signing signs this text."
    )

    class Meta:
        model = ConsentVersion
        fields = [
            "public_id",
            "number",
            "language",
            "title",
            "introduction",
            "published_at",
            "estimated_minutes",
            "fingerprint",
            "sections",
        ]
        read_only_fields = fields

    def get_language(self, version) -> str:
        return getattr(version, "text_language", ENGLISH)

    def get_fingerprint(self, version) -> str:
        return version.fingerprint()

    def get_estimated_minutes(self, version) -> int:
        return version.estimated_minutes()


# A `consent.selectors.ChangeNote`: one section changed since the patient's signature.
class ChangeNoteSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "reworded", "removed"])
    kind = serializers.ChoiceField(
        choices=SectionChange.Kind.choices,
        help_text="material: read again and sign again; cosmetic: wording only, still signed.",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="The clinic's words on why it changed."
    )


# Where the patient stands, read from a `consent.selectors.Overview`. A dotted source through
# a missing object (no active consent, nothing signed yet) is null: DRF gives None for it
# when the field allows null. (Comments, not docstrings: those would show in the schema.)
class ConsentStatusSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["not_started", "in_progress", "signed", "outdated", "withdrawn"],
        source="status.kind",
    )
    label = serializers.SerializerMethodField()
    acknowledged = serializers.IntegerField(source="acknowledged_count")
    section_count = serializers.IntegerField()
    is_reconsenting = serializers.BooleanField(source="status.is_reconsenting")
    active_consent = serializers.UUIDField(source="active.public_id", allow_null=True)
    next_section = serializers.IntegerField(
        source="next_section.position",
        allow_null=True,
        help_text="Position of the section to read next; null when done.",
    )
    changed_sections = serializers.ListField(
        child=serializers.CharField(),
        source="changed_section_slugs",
        help_text="Slugs changed since the last signed version.",
    )
    signed_consent = serializers.UUIDField(source="status.signed.public_id", allow_null=True)
    required = serializers.ChoiceField(
        choices=REQUIRED,
        help_text="What the patient has to do: `full` (read every section and sign), "
        "`changed_sections` (read only `sections_to_read`, the materially changed ones, and "
        "sign), `whats_new` (still signed: see GET /api/v1/consent/whats-new/), `nothing`.",
    )
    sections_to_read = serializers.SerializerMethodField(
        help_text="Positions of the sections to read in this pass."
    )
    wording_updated_in = serializers.IntegerField(
        source="status.wording_updated_in.number",
        allow_null=True,
        help_text="The version that changed only wording since the signed one; the "
        "signature stays valid.",
    )
    changes = serializers.SerializerMethodField(
        help_text="Sections changed since the patient's signature on an older version."
    )

    def get_label(self, overview) -> str:
        return status_label(overview.status)

    def get_sections_to_read(self, overview) -> list[int]:
        return [section.position for section in overview.sections_to_read]

    def get_changes(self, overview) -> ChangeNoteSerializer(many=True):
        notes = overview.changes.notes if overview.changes else []
        return ChangeNoteSerializer(notes, many=True).data


# A `consent.selectors.WhatsNew`.
class WhatsNewSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        source="version.number", allow_null=True, help_text="The current version."
    )
    changes = ChangeNoteSerializer(
        many=True, source="notes", help_text="Wording-only changes; empty when there are none."
    )
    seen_at = serializers.DateTimeField(allow_null=True)


# A `consent.selectors.Overview`: the current document and where the patient stands.
class ConsentOverviewSerializer(serializers.Serializer):
    document = ConsentDocumentSerializer(source="version", allow_null=True)
    status = ConsentStatusSerializer(source="*")


class QuizAttemptSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section.position")
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = QuizAttempt
        fields = ["section", "choice", "is_correct", "answered_at", "explanation"]
        read_only_fields = fields

    def get_explanation(self, attempt) -> str:
        return "" if attempt.is_correct else attempt.section.question_explanation


# A `consent.selectors.AnswerOutcome`: the answer, and what the patient is offered next.
class AnswerOutcomeSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="attempt.section.position")
    choice = serializers.IntegerField(source="attempt.choice")
    is_correct = serializers.BooleanField(source="attempt.is_correct")
    answered_at = serializers.DateTimeField(source="attempt.answered_at")
    explanation = serializers.SerializerMethodField()
    passage_anchor = serializers.CharField(
        help_text="After a wrong answer: the id of the passage the question tests, in the "
        "section's `body_html` (empty when the clinic chose none, or the answer is right)."
    )
    read_again_url = serializers.SerializerMethodField(
        help_text="After a wrong answer: the web page of the section, at that passage."
    )
    wrong_answers = serializers.IntegerField(
        source="wrong_answer_count",
        help_text="Wrong answers to this question in this consent so far.",
    )
    offer_care_team_question = serializers.BooleanField(
        source="offers_care_team_question",
        help_text="Wrong twice or more: offer 'Ask your care team about this' "
        "(POST the section's questions/ endpoint).",
    )
    ask_care_team_url = serializers.SerializerMethodField(
        help_text="Where to POST a question about this section; empty unless offered."
    )

    def get_explanation(self, outcome) -> str:
        attempt = outcome.attempt
        return "" if attempt.is_correct else attempt.section.question_explanation

    def get_read_again_url(self, outcome) -> str:
        if outcome.attempt.is_correct:
            return ""
        step = reverse("consent:step", args=[outcome.attempt.section.position])
        return f"{step}#{outcome.passage_anchor or 'section-title'}"

    def get_ask_care_team_url(self, outcome) -> str:
        if not outcome.offers_care_team_question:
            return ""
        return reverse("api:consent_ask", args=[outcome.attempt.section.position])


class StruggledSectionSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section.position")
    section_title = serializers.CharField(source="section.title")
    wrong_answers = serializers.IntegerField(source="wrong_answer_count")
    is_passed = serializers.BooleanField(help_text="Answered rightly in the end.")


class CareTeamQuestionSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section.position", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True)
    answered_by = serializers.SerializerMethodField()
    expect_answer = serializers.SerializerMethodField(
        help_text="While unanswered, when the care team usually answers (CARE_TEAM_REPLY_WITHIN)."
    )

    class Meta:
        model = CareTeamQuestion
        fields = [
            "public_id",
            "section",
            "section_title",
            "text",
            "asked_at",
            "answer",
            "answered_by",
            "answered_at",
            "expect_answer",
        ]
        read_only_fields = fields

    def get_answered_by(self, question) -> str:
        return question.answered_by.get_full_name() if question.answered_by else ""

    def get_expect_answer(self, question) -> str:
        return "" if question.is_answered else settings.CARE_TEAM_REPLY_WITHIN


# A `consent.selectors.StepState`: one section and what the patient did there.
class SectionProgressSerializer(serializers.Serializer):
    section = ConsentSectionSerializer()
    language = serializers.CharField(help_text="The language of the section's words.")
    step_number = serializers.IntegerField(help_text="Among the sections of this pass.")
    step_count = serializers.IntegerField()
    opened_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    has_passed_question = serializers.BooleanField()
    is_changed = serializers.BooleanField()
    attempts = QuizAttemptSerializer(many=True)
    questions = CareTeamQuestionSerializer(many=True)
    passage_anchor = serializers.CharField(
        help_text="The id of the passage (in `body_html`) the section's question tests."
    )
    wrong_answers = serializers.IntegerField(source="wrong_answer_count")
    offer_care_team_question = serializers.BooleanField(
        source="offers_care_team_question",
        help_text="Wrong twice or more and not yet right: offer to ask the care team.",
    )


class AcknowledgeRequestSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(
        help_text="The patient ticked 'I have read and understand this section'."
    )


class AnswerRequestSerializer(serializers.Serializer):
    choice = serializers.IntegerField(min_value=1, max_value=4)


class AskRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=QUESTION_MAX_CHARS)


class AnswerQuestionRequestSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=ANSWER_MAX_CHARS)


class SignRequestSerializer(serializers.Serializer):
    typed_name = serializers.CharField(max_length=300)
    confirms_meaning = serializers.BooleanField()
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        allow_blank=True,
        max_length=4096,
        style={"input_type": "password"},
        help_text="The patient's password, asked again so that only they can sign.",
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="The code from the authenticator app, for an account with two-factor.",
    )
    language = serializers.CharField(
        required=False,
        max_length=8,
        help_text="The language of the text the patient read and signs (the document's "
        "`language`). Without it, the language of this request, if the version is "
        "published in it, else English.",
    )


class WithdrawRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_CHARS, required=False, allow_blank=True)


class AcknowledgementSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section.position")
    section_title = serializers.CharField(source="section.title")
    seconds_open = serializers.IntegerField(
        allow_null=True, help_text="From first opened to acknowledged; null until acknowledged."
    )
    fast_reading_seconds = serializers.IntegerField(
        source="section.fast_reading_seconds",
        help_text="Seconds the section's words take at CONSENT_FAST_READING_WORDS_PER_MINUTE.",
    )
    was_read_quickly = serializers.BooleanField(
        help_text="Acknowledged in fewer seconds than `fast_reading_seconds`: worth talking "
        "through with the patient."
    )

    class Meta:
        model = Acknowledgement
        fields = [
            "section",
            "section_title",
            "opened_at",
            "acknowledged_at",
            "seconds_open",
            "fast_reading_seconds",
            "was_read_quickly",
        ]
        read_only_fields = fields


class SignatureSerializer(serializers.ModelSerializer):
    text_is_intact = serializers.BooleanField()
    identity_confirmed_by_label = serializers.CharField(source="get_identity_confirmed_by_display")

    class Meta:
        model = Signature
        fields = [
            "public_id",
            "typed_name",
            "signer_email",
            "signed_at",
            "meaning",
            "language",
            "fingerprint",
            "text_is_intact",
            "signed_text",
            "ip_address",
            "user_agent",
            "identity_confirmed_by",
            "identity_confirmed_by_label",
            "identity_confirmed_at",
            "seal_key_id",
            "seal",
            "sealed_at",
            "sealed_when",
        ]
        read_only_fields = fields


class WithdrawalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Withdrawal
        fields = ["withdrawn_at", "reason"]
        read_only_fields = fields


class ConsentRecordSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")
    signature = serializers.SerializerMethodField()
    withdrawal = serializers.SerializerMethodField()
    acknowledgements = AcknowledgementSerializer(many=True)
    quiz_attempts = QuizAttemptSerializer(many=True)
    flagged_sections = serializers.SerializerMethodField(
        help_text="Sections whose question the patient answered wrongly twice or more: "
        "worth talking through."
    )
    renews = serializers.UUIDField(
        source="renews.public_id",
        allow_null=True,
        help_text="The earlier signature this pass renews after a material change.",
    )
    carried_over = serializers.SerializerMethodField(
        help_text="Positions of sections carried over from `renews`, not read in this pass."
    )

    class Meta:
        model = Consent
        fields = [
            "public_id",
            "version",
            "started_at",
            "signature",
            "withdrawal",
            "acknowledgements",
            "quiz_attempts",
            "flagged_sections",
            "renews",
            "carried_over",
        ]
        read_only_fields = fields

    def get_carried_over(self, consent) -> list[int]:
        if consent.renews_id is None:
            return []
        return [c.section.position for c in consent.carried_over.select_related("section")]

    def get_signature(self, consent) -> SignatureSerializer(allow_null=True):
        return SignatureSerializer(consent.signature).data if consent.is_signed else None

    def get_flagged_sections(self, consent) -> StruggledSectionSerializer(many=True):
        return StruggledSectionSerializer(struggled_sections(consent), many=True).data

    def get_withdrawal(self, consent) -> WithdrawalSerializer(allow_null=True):
        return WithdrawalSerializer(consent.withdrawal).data if consent.is_withdrawn else None

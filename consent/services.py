"""The consent workflow: the one place its rules are enforced, for web pages and the API alike.

Each step raises ValidationError with a message meant for the patient when a rule says no
(out of order, question not yet answered, name does not match...). Services write; what
pages and endpoints read is in `consent.selectors`.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from consent.models import (
    SIGNATURE_MEANING,
    Acknowledgement,
    CareTeamQuestion,
    Consent,
    ConsentSection,
    ConsentVersion,
    QuizAttempt,
    Signature,
    Withdrawal,
)

# Reads the workflow needs; they live with the other reads and stay importable from here.
from consent.selectors import ConsentStatus, active_consent, consent_status, latest_signed_consent

QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 4000
REASON_MAX_CHARS = 2000

OUT_OF_ORDER = (
    "Please read the sections in order. We took you back to the next section you have not "
    "acknowledged yet."
)


class NoConsentInProgress(ValidationError):
    """The patient has no unfinished pass through the current version, and none just signed."""


# --- The clinic's versions ----------------------------------------------------------


@transaction.atomic
def publish_version(*, version):
    """Check the draft is complete, number its sections 1..n and freeze it."""
    # Lock the row so two admins publishing at once check and renumber one after the other.
    stored = ConsentVersion.objects.select_for_update().get(pk=version.pk)
    if stored.is_published:
        raise ValidationError("This version is already published.")
    sections = stored.ordered_sections()
    if not sections:
        raise ValidationError("A consent version needs at least one section.")
    for section in sections:
        section.full_clean()
    # Renumber before the status changes: once published, sections refuse every update.
    for position, section in enumerate(sections, start=1):
        if section.position != position:
            ConsentSection.objects.filter(pk=section.pk).update(position=position)
    now = timezone.now()
    # ConsentVersion.save() refuses published rows; this guarded update is the one allowed
    # transition, draft to published, and the database trigger lets exactly that through.
    published = (
        ConsentVersion.objects.drafts()
        .filter(pk=stored.pk)
        .update(status=ConsentVersion.Status.PUBLISHED, published_at=now)
    )
    if not published:
        raise ValidationError("This version is already published.")
    version.status = ConsentVersion.Status.PUBLISHED
    version.published_at = now
    return version


@transaction.atomic
def draft_next_version(*, based_on):
    """A new draft with the wording of `based_on`, for the clinic to edit, then publish."""
    number = (ConsentVersion.objects.aggregate(models.Max("number"))["number__max"] or 0) + 1
    draft = ConsentVersion.objects.create(
        number=number,
        title=based_on.title,
        introduction=based_on.introduction,
        based_on=based_on,
    )
    ConsentSection.objects.bulk_create(
        ConsentSection(
            version=draft,
            position=section.position,
            slug=section.slug,
            title=section.title,
            body=section.body,
            requires_acknowledgement=section.requires_acknowledgement,
            question_prompt=section.question_prompt,
            question_choices=list(section.question_choices),
            correct_choice=section.correct_choice,
            question_explanation=section.question_explanation,
        )
        for section in based_on.ordered_sections()
    )
    return draft


# --- A patient's pass through a version ---------------------------------------------


@transaction.atomic
def start_consent(*, patient):
    """Begin (or resume) reading the current version."""
    version = ConsentVersion.objects.current()
    if version is None:
        raise ValidationError("The clinic has not published a consent form yet.")
    # Lock the patient's row so a double tap on "Start" makes one consent, not two.
    User.objects.select_for_update().filter(pk=patient.pk).first()
    return active_consent(patient=patient) or Consent.objects.create(
        patient=patient, version=version
    )


def _check_still_open(consent):
    if consent.is_signed:
        raise ValidationError("You already signed this consent.")


def _check_reachable(consent, section):
    """A section may be read once every section before it is acknowledged."""
    if section.version_id != consent.version_id:
        raise ValidationError("That section is not part of this consent form.")
    next_section = consent.next_section()
    if next_section is not None and section.position > next_section.position:
        raise ValidationError(OUT_OF_ORDER)


def open_section(*, consent, section):
    """Record when the patient first opened a section (for how long it was open)."""
    _check_reachable(consent, section)
    try:
        with transaction.atomic():
            acknowledgement, _ = Acknowledgement.objects.get_or_create(
                consent=consent, section=section
            )
    except IntegrityError:
        acknowledgement = Acknowledgement.objects.get(consent=consent, section=section)
    return acknowledgement


@transaction.atomic
def acknowledge_section(*, consent, section, confirmed):
    """The patient says they read and understand a section; the server checks the order."""
    _check_still_open(consent)
    acknowledgement = open_section(consent=consent, section=section)
    if acknowledgement.acknowledged_at is not None:
        return acknowledgement  # a double submit: already recorded once
    next_section = consent.next_section()
    if next_section is None or next_section.pk != section.pk:
        raise ValidationError(OUT_OF_ORDER)
    if not consent.has_passed_question(section):
        raise ValidationError("Please answer the question about this section first.")
    if section.requires_acknowledgement and not confirmed:
        raise ValidationError(
            {"confirmed": "Tick the box to say you have read and understand this section."}
        )
    now = timezone.now()
    # Conditional write: of two submits at once, only the first stamps the time.
    if Acknowledgement.objects.filter(pk=acknowledgement.pk).stamp_acknowledged(now):
        acknowledgement.acknowledged_at = now
    else:
        acknowledgement.refresh_from_db(fields=["acknowledged_at"])
    return acknowledgement


@transaction.atomic
def answer_question(*, consent, section, choice):
    """Record an answer to a section's question. Every attempt is kept, right or wrong."""
    _check_still_open(consent)
    _check_reachable(consent, section)
    if not section.has_question:
        raise ValidationError("This section has no question.")
    if choice not in dict(section.numbered_choices):
        raise ValidationError({"choice": "Choose one of the answers."})
    open_section(consent=consent, section=section)
    return QuizAttempt.objects.create(
        consent=consent, section=section, choice=choice, is_correct=section.is_right_answer(choice)
    )


def ask_care_team(*, consent, section, text):
    """A patient asks their care team about a section; their therapists see it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write your question first."})
    if len(text) > QUESTION_MAX_CHARS:
        raise ValidationError(
            {"text": f"Please keep your question under {QUESTION_MAX_CHARS} characters."}
        )
    _check_reachable(consent, section)
    return CareTeamQuestion.objects.create(consent=consent, section=section, text=text)


@transaction.atomic
def answer_care_team_question(*, question, therapist, text):
    """A therapist answers a patient's question, once: the first answer stays."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": "Write an answer first."})
    if len(text) > ANSWER_MAX_CHARS:
        raise ValidationError(
            {"answer": f"Please keep the answer under {ANSWER_MAX_CHARS} characters."}
        )
    now = timezone.now()
    # Conditional write: of two therapists answering at once, only the first is kept.
    answered = (
        CareTeamQuestion.objects.open()
        .filter(pk=question.pk)
        .update(answer=text, answered_by=therapist, answered_at=now)
    )
    if not answered:
        raise ValidationError("This question already has an answer.")
    question.answer = text
    question.answered_by = therapist
    question.answered_at = now
    return question


def normalize_name(name):
    """Names compare without regard to case, accents' encoding or extra spaces."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def signature_meaning(version):
    return SIGNATURE_MEANING.format(
        title=version.title, number=version.number, clinic=settings.CLINIC_NAME
    )


@transaction.atomic
def sign_consent(*, consent, typed_name, confirms_meaning, ip_address=None, user_agent=""):
    """Sign this consent once every section is acknowledged. A double submit signs once.

    Web pages and the API call `sign_active_consent`, which finds the consent to sign.
    """
    if consent.is_signed:
        return consent.signature
    version = consent.version
    current = ConsentVersion.objects.current()
    if current is None or current.pk != version.pk:
        raise ValidationError(
            "The clinic updated this consent form while you were reading it. "
            "Please read the new version before you sign."
        )
    sections = version.ordered_sections()
    if consent.next_section(sections) is not None:
        raise ValidationError("Please read and acknowledge every section before you sign.")
    expected = normalize_name(consent.patient.get_full_name())
    if normalize_name(typed_name) != expected:
        raise ValidationError(
            {
                "typed_name": (
                    "The name you typed does not match the name on your account "
                    f"({consent.patient.get_full_name()}). Type your full name as shown."
                )
            }
        )
    if not confirms_meaning:
        raise ValidationError(
            {"confirms_meaning": "Tick the box to confirm what your signature means."}
        )
    signed_text = version.canonical_text(sections)
    try:
        with transaction.atomic():
            return Signature.objects.create(
                consent=consent,
                typed_name=" ".join(typed_name.split()),
                meaning=signature_meaning(version),
                signed_text=signed_text,
                fingerprint=version.fingerprint(sections),
                ip_address=ip_address,
                user_agent=(user_agent or "")[:500],
            )
    except IntegrityError:
        return Signature.objects.get(consent=consent)


@transaction.atomic
def sign_active_consent(*, patient, typed_name, confirms_meaning, ip_address=None, user_agent=""):
    """Sign the patient's pass through the current version, once every section is acknowledged.

    A double submit signs once: the second request finds the pass already signed and gets
    that signature back, for the web page and the API alike.
    """
    consent = active_consent(patient=patient)
    if consent is None:
        status = consent_status(patient)
        # Their latest pass is a signature of the current version, not yet withdrawn: the
        # first of two submits made it. Anything else (an older version's signature, a
        # withdrawn one) is no answer to "sign", so it is not passed off as one.
        if status.kind == ConsentStatus.SIGNED:
            return status.latest.signature
        raise NoConsentInProgress("Start reading the consent before you sign it.")
    return sign_consent(
        consent=consent,
        typed_name=typed_name,
        confirms_meaning=confirms_meaning,
        ip_address=ip_address,
        user_agent=user_agent,
    )


@transaction.atomic
def withdraw_consent(*, patient, reason=""):
    """Take back the patient's latest signed consent. They can consent again later."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            {"reason": f"Please keep the reason under {REASON_MAX_CHARS} characters."}
        )
    consent = latest_signed_consent(patient=patient)
    if consent is None:
        raise ValidationError("You have no signed consent to withdraw.")
    if consent.is_withdrawn:
        return consent.withdrawal
    try:
        with transaction.atomic():
            return Withdrawal.objects.create(consent=consent, reason=reason)
    except IntegrityError:
        return Withdrawal.objects.get(consent=consent)

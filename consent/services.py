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
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext, gettext_lazy

from accounts.identity import confirm_identity
from accounts.models import User
from audit.models import Kind
from audit.services import record_event
from common.net import client_ip
from consent import seals
from consent.models import (
    ENGLISH,
    SIGNATURE_MEANINGS,
    Acknowledgement,
    CareTeamQuestion,
    CarriedOverSection,
    Consent,
    ConsentSection,
    ConsentTranslation,
    ConsentVersion,
    QuestionPassage,
    QuizAttempt,
    SectionChange,
    SectionTranslation,
    Signature,
    WhatsNewSeen,
    Withdrawal,
)

# Reads the workflow needs; they live with the other reads and stay importable from here.
from consent.rendering import hidden_text_problems, section_passages
from consent.selectors import (
    ConsentStatus,
    active_consent,
    compare_sections,
    consent_status,
    latest_signed_consent,
)

QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 4000
REASON_MAX_CHARS = 2000

OUT_OF_ORDER = gettext_lazy(
    "Please read the sections in order. We took you back to the next section you have not "
    "acknowledged yet."
)


CARRIED_OVER = gettext_lazy(
    "This section has not changed in a way that matters since you last signed, so you do not "
    "need to read it again. We took you to the next section to read."
)
# Refusals that send the patient to the next section to read rather than show an error.
SENDS_TO_NEXT_SECTION = (OUT_OF_ORDER, CARRIED_OVER)


class NoConsentInProgress(ValidationError):
    """The patient has no unfinished pass through the current version, and none just signed."""


# --- The clinic's versions ----------------------------------------------------------


def _check_every_word_is_shown(version, sections):
    """A patient signs the text as written, so every word of it must be on their screen.

    Markdown can keep words out of sight (an image's description, a link's title, a
    reference definition, raw HTML) and Unicode can hide or reorder them: all of those
    would be signed without being read. The clinic is told which section and what to change.
    """
    problems = [f"The introduction: {p}" for p in hidden_text_problems(version.introduction)]
    problems += [f"The title: {p}" for p in hidden_text_problems(version.title, plain=True)]
    for section in sections:
        where = f'Section {section.position} ("{section.title}")'
        problems += [f"{where}: {p}" for p in hidden_text_problems(section.body)]
        for label, text in [
            ("its title", section.title),
            ("its question", section.question_prompt),
            ("its explanation", section.question_explanation),
            *((f"answer {n}", choice) for n, choice in section.numbered_choices),
        ]:
            problems += [f"{where}, {label}: {p}" for p in hidden_text_problems(text, plain=True)]
    if problems:
        raise ValidationError(problems)


REASON_MARK_MAX_CHARS = 300


def _check_changes_marked(version, sections, previous):
    """Every section changed since `previous` is marked material or cosmetic, with a reason.

    Patients who signed `previous` are sent back only for material changes, so the clinic
    decides, section by section, before anyone sees the new version.
    """
    changes = compare_sections(previous.ordered_sections(), sections)
    marks = {mark.slug: mark for mark in version.section_changes.all()}
    titles = {s.slug: s.title for s in previous.ordered_sections()}
    titles |= {s.slug: s.title for s in sections}
    problems = []
    for slug, change in sorted(changes.items()):
        where = f'Section "{titles[slug]}" ({slug})'
        mark = marks.get(slug)
        if mark is None:
            what = {"added": "is new", "reworded": "changed", "removed": "was removed"}[change]
            problems.append(
                f"{where} {what} since version {previous.number}: mark it material or "
                "cosmetic, with a short reason."
            )
            continue
        if change == "added" and not mark.is_material:
            problems.append(f"{where} is new, so it is material: patients must read it.")
        if not mark.reason.strip():
            problems.append(f"{where}: write the reason patients will read.")
        problems += [
            f"{where}, its reason: {p}" for p in hidden_text_problems(mark.reason, plain=True)
        ]
    for slug in sorted(marks.keys() - changes.keys()):
        problems.append(
            f'The mark for "{slug}" matches no section changed since version '
            f"{previous.number}: remove it."
        )
    if problems:
        raise ValidationError(problems)


def mark_section_change(*, version, slug, kind, reason):
    """The clinic says how a changed section of a draft changed: material or cosmetic, and why."""
    if version.is_published:
        raise ValidationError(gettext("This version is published: its marks never change."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Write a short reason, in words patients understand.")}
        )
    if len(reason) > REASON_MARK_MAX_CHARS:
        raise ValidationError(
            {
                "reason": gettext("Keep the reason under %(limit)d characters.")
                % {"limit": REASON_MARK_MAX_CHARS}
            }
        )
    if kind not in SectionChange.Kind.values:
        raise ValidationError({"kind": gettext("Choose material or cosmetic.")})
    mark, _ = SectionChange.objects.update_or_create(
        version=version, slug=slug, defaults={"kind": kind, "reason": reason}
    )
    return mark


@transaction.atomic
def publish_version(*, version, actor=None, request=None):
    """Check the draft is complete and fully visible, number its sections 1..n and freeze it."""
    # Lock the row so two admins publishing at once check and renumber one after the other.
    stored = ConsentVersion.objects.select_for_update().get(pk=version.pk)
    if stored.is_published:
        raise ValidationError(gettext("This version is already published."))
    sections = stored.ordered_sections()
    if not sections:
        raise ValidationError(gettext("A consent version needs at least one section."))
    for section in sections:
        section.full_clean()
    _check_every_word_is_shown(stored, sections)
    _check_question_passages(sections)
    previous = ConsentVersion.objects.current()
    if previous is not None and previous.number > stored.number:
        raise ValidationError(
            gettext(
                "Version %(number)s is newer and already published. Draft a new version "
                "from it instead."
            )
            % {"number": previous.number}
        )
    if previous is not None:
        _check_changes_marked(stored, sections, previous)
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
        raise ValidationError(gettext("This version is already published."))
    version.status = ConsentVersion.Status.PUBLISHED
    version.published_at = now
    record_event(
        Kind.VERSION_PUBLISHED,
        actor=actor,
        target=version,
        request=request,
        detail={"number": version.number, "sections": len(sections)},
    )
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
    _copy_question_passages(based_on=based_on, draft=draft)
    return draft


def _copy_question_passages(*, based_on, draft):
    anchors = dict(
        QuestionPassage.objects.filter(section__version=based_on).values_list(
            "section__slug", "anchor"
        )
    )
    QuestionPassage.objects.bulk_create(
        QuestionPassage(section=section, anchor=anchors[section.slug])
        for section in draft.sections.filter(slug__in=anchors)
    )


def _check_question_passages(sections):
    """A question's link must still land on its passage once the wording is final."""
    passages = QuestionPassage.objects.filter(section__in=sections).select_related("section")
    problems = []
    for passage in passages:
        try:
            passage.full_clean()
        except ValidationError as error:
            section = passage.section
            problems += [
                f'Section {section.position} ("{section.title}"), its question\'s passage: {m}'
                for m in error.messages
            ]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def choose_question_passage(*, section, anchor):
    """Point a draft section's question at the passage it tests ("" for none).

    A wrong answer then links the patient back to that passage. Returns the
    QuestionPassage, or None when the link was cleared.
    """
    if ConsentVersion.objects.published().filter(pk=section.version_id).exists():
        raise ValidationError(gettext("Sections of a published version never change."))
    anchor = (anchor or "").strip()
    if not anchor:
        QuestionPassage.objects.filter(section=section).delete()
        return None
    passage = QuestionPassage.objects.filter(section=section).first() or QuestionPassage(
        section=section
    )
    passage.anchor = anchor
    passage.full_clean()
    passage.save()
    return passage


# --- The text in other languages -----------------------------------------------------


@transaction.atomic
def draft_translation(*, version, language):
    """A draft translation of `version` into `language`, one row per section to fill in.

    Starts from the English words (the clinic replaces them); returns the existing one
    when there is one already.
    """
    if language == ENGLISH or language not in dict(
        ConsentTranslation._meta.get_field("language").choices
    ):
        raise ValidationError({"language": "Choose a language to translate into."})
    translation, created = ConsentTranslation.objects.get_or_create(
        version=version,
        language=language,
        defaults={"title": version.title, "introduction": version.introduction},
    )
    if translation.is_published:
        return translation
    have = set(translation.sections.values_list("section_id", flat=True))
    SectionTranslation.objects.bulk_create(
        SectionTranslation(
            translation=translation,
            section=section,
            title=section.title,
            body=section.body,
            question_prompt=section.question_prompt,
            question_choices=list(section.question_choices),
            question_explanation=section.question_explanation,
        )
        for section in version.ordered_sections()
        if section.pk not in have
    )
    return translation


def _check_translation_complete(translation, sections):
    """Every section translated, questions with as many choices, passages one for one."""
    texts = {t.section_id: t for t in translation.sections.select_related("section")}
    anchors = dict(
        QuestionPassage.objects.filter(section__in=sections).values_list("section_id", "anchor")
    )
    problems = []
    if not translation.title.strip() or not translation.introduction.strip():
        problems.append("Translate the title and the introduction.")
    for section in sections:
        where = f'Section {section.position} ("{section.title}")'
        text = texts.get(section.pk)
        if text is None or not text.title.strip() or not text.body.strip():
            problems.append(f"{where} is not translated yet.")
            continue
        try:
            text.full_clean()
        except ValidationError as error:
            problems += [f"{where}: {m}" for m in error.messages]
        if section.pk in anchors and len(section_passages(text.body)) != len(
            section_passages(section.body)
        ):
            problems.append(
                f"{where}: keep the same paragraphs and lists as the English text, one for "
                "one, so a wrong answer still links to the right passage."
            )
    if problems:
        raise ValidationError(problems)
    return texts


@transaction.atomic
def publish_translation(*, translation, actor=None, request=None):
    """Check a draft translation is complete and fully visible, then freeze it for good."""
    stored = ConsentTranslation.objects.select_for_update().get(pk=translation.pk)
    if stored.is_published:
        raise ValidationError("This translation is already published.")
    version = stored.version
    sections = version.ordered_sections()
    _check_translation_complete(stored, sections)
    translated_version, translated = version.text_in(stored.language, sections, drafts=True)
    _check_every_word_is_shown(translated_version, translated)
    now = timezone.now()
    # The one allowed change to a translation after this: none. The trigger agrees.
    published = ConsentTranslation.objects.filter(
        pk=stored.pk, status=ConsentTranslation.Status.DRAFT
    ).update(status=ConsentTranslation.Status.PUBLISHED, published_at=now)
    if not published:
        raise ValidationError("This translation is already published.")
    translation.status = ConsentTranslation.Status.PUBLISHED
    translation.published_at = now
    record_event(
        Kind.VERSION_PUBLISHED,
        actor=actor,
        target=version,
        request=request,
        detail={"number": version.number, "language": stored.language},
    )
    return translation


# --- A patient's pass through a version ---------------------------------------------


@transaction.atomic
def start_consent(*, patient, request=None):
    """Begin (or resume) reading the current version."""
    version = ConsentVersion.objects.current()
    if version is None:
        raise ValidationError(gettext("The clinic has not published a consent form yet."))
    # Lock the patient's row so a double tap on "Start" makes one consent, not two.
    User.objects.select_for_update().filter(pk=patient.pk).first()
    resumed = active_consent(patient=patient)
    if resumed is not None:
        return resumed
    status = consent_status(patient)
    renews = None
    if status.kind == ConsentStatus.OUTDATED:
        # Signed an older version, still valid, and a material change since: read only
        # what changed materially; the rest is carried over from that signature.
        renews = status.latest.signature
    consent = Consent.objects.create(patient=patient, version=version, renews=renews)
    carried = []
    if renews is not None:
        material = status.changes.material_slugs
        carried = [s for s in version.ordered_sections() if s.slug not in material]
        CarriedOverSection.objects.bulk_create(
            CarriedOverSection(consent=consent, section=section) for section in carried
        )
    detail = {"version": version.number}
    if renews is not None:
        detail |= {"renews_version": renews.consent.version.number, "carried_over": len(carried)}
    record_event(
        Kind.CONSENT_STARTED,
        actor=patient,
        patient=patient,
        target=consent,
        request=request,
        detail=detail,
    )
    return consent


def _check_still_open(consent):
    if consent.is_signed:
        raise ValidationError(gettext("You already signed this consent."))


def _check_reachable(consent, section):
    """A section may be read once every section before it is acknowledged."""
    if section.version_id != consent.version_id:
        raise ValidationError(gettext("That section is not part of this consent form."))
    if section.pk in consent.carried_over_section_ids:
        raise ValidationError(CARRIED_OVER)
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
        raise ValidationError(gettext("Please answer the question about this section first."))
    if section.requires_acknowledgement and not confirmed:
        raise ValidationError(
            {"confirmed": gettext("Tick the box to say you have read and understand this section.")}
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
        raise ValidationError(gettext("This section has no question."))
    if choice not in dict(section.numbered_choices):
        raise ValidationError({"choice": gettext("Choose one of the answers.")})
    open_section(consent=consent, section=section)
    return QuizAttempt.objects.create(
        consent=consent, section=section, choice=choice, is_correct=section.is_right_answer(choice)
    )


def ask_care_team(*, consent, section, text):
    """A patient asks their care team about a section; their therapists see it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": gettext("Write your question first.")})
    if len(text) > QUESTION_MAX_CHARS:
        raise ValidationError(
            {
                "text": gettext("Please keep your question under %(limit_value)d characters.")
                % {"limit_value": QUESTION_MAX_CHARS}
            }
        )
    _check_reachable(consent, section)
    return CareTeamQuestion.objects.create(consent=consent, section=section, text=text)


@transaction.atomic
def answer_care_team_question(*, question, therapist, text):
    """A therapist answers a patient's question, once: the first answer stays."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": gettext("Write an answer first.")})
    if len(text) > ANSWER_MAX_CHARS:
        raise ValidationError(
            {
                "answer": gettext("Please keep the answer under %(limit)d characters.")
                % {"limit": ANSWER_MAX_CHARS}
            }
        )
    now = timezone.now()
    # Conditional write: of two therapists answering at once, only the first is kept.
    answered = (
        CareTeamQuestion.objects.open()
        .filter(pk=question.pk)
        .update(answer=text, answered_by=therapist, answered_at=now)
    )
    if not answered:
        raise ValidationError(gettext("This question already has an answer."))
    question.answer = text
    question.answered_by = therapist
    question.answered_at = now
    return question


def normalize_name(name):
    """Names compare without regard to case, accents' encoding or extra spaces."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def signature_meaning(version, language=ENGLISH):
    """What signing means, in the language signed; `version` as read in it (`text_in`)."""
    return SIGNATURE_MEANINGS[language].format(
        title=version.title, number=version.number, clinic=settings.CLINIC_NAME
    )


def _check_language(version, language):
    """A patient signs a text the clinic published: English, or a published translation."""
    if language not in version.published_languages():
        raise ValidationError(
            gettext("This consent is not published in that language. Please choose another.")
        )


def _check_ready_to_sign(consent):
    version = consent.version
    current = ConsentVersion.objects.current()
    if current is None or current.pk != version.pk:
        raise ValidationError(
            gettext(
                "The clinic updated this consent form while you were reading it. "
                "Please read the new version before you sign."
            )
        )
    sections = version.ordered_sections()
    if consent.next_section(sections) is not None:
        raise ValidationError(gettext("Please read and acknowledge every section before you sign."))
    return sections


def _signature_form_errors(consent, typed_name, confirms_meaning):
    errors = {}
    expected = normalize_name(consent.patient.get_full_name())
    if normalize_name(typed_name) != expected:
        errors["typed_name"] = gettext(
            "The name you typed does not match the name on your account "
            "(%(name)s). Type your full name as shown."
        ) % {"name": consent.patient.get_full_name()}
    if not confirms_meaning:
        errors["confirms_meaning"] = gettext("Tick the box to confirm what your signature means.")
    return errors


def _stored_address(ip_address):
    """The address as the database keeps it, so the seal covers exactly what is stored."""
    if ip_address and ":" in ip_address:
        try:
            return clean_ipv6_address(ip_address)
        except ValidationError:
            return None
    return ip_address or None


def sign_consent(
    *, consent, typed_name, confirms_meaning, password, code="", request, language=ENGLISH
):
    """Sign this consent once every section is acknowledged. A double submit signs once.

    The patient proves who they are again, with their password and (if their account has
    it) their two-factor code: a wrong one counts into the failed-login limits, so someone
    holding an unlocked phone cannot guess at this page. Raises ValidationError for the
    patient to read, or `accounts.identity.TooManyAttempts` while those limits refuse.

    `request` is Django's HttpRequest: the address and browser kept with the signature,
    and the address the login limits count, come from it. Web pages and the API call
    `sign_active_consent`, which finds the consent to sign. `language` is the language of
    the text the patient read and signs: English or a published translation.
    """
    if consent.is_signed:
        return consent.signature
    sections = _check_ready_to_sign(consent)
    _check_language(consent.version, language)
    errors = _signature_form_errors(consent, typed_name, confirms_meaning)
    # Checked even when the name is wrong, so the patient hears of every mistake at once;
    # deliberately outside any transaction, so the audit trail keeps a refused password.
    try:
        identity = confirm_identity(
            request=request, user=consent.patient, password=password, code=code
        )
    except ValidationError as refused:
        errors.update(
            refused.message_dict
            if hasattr(refused, "error_dict")
            else {"password": refused.messages}
        )
    if errors:
        raise ValidationError(errors)
    return _make_signature(
        consent=consent,
        sections=sections,
        identity=identity,
        typed_name=typed_name,
        request=request,
        language=language,
    )


@transaction.atomic
def _make_signature(*, consent, sections, identity, typed_name, request, language):
    version = consent.version
    read_version, read_sections = version.text_in(language, sections)
    signature = Signature(
        consent=consent,
        typed_name=" ".join(typed_name.split()),
        signer_email=consent.patient.email,
        meaning=signature_meaning(read_version, language),
        language=language,
        signed_text=read_version.canonical_text(read_sections),
        fingerprint=read_version.fingerprint(read_sections),
        signed_at=timezone.now(),
        ip_address=_stored_address(client_ip(request)),
        user_agent=request.headers.get("User-Agent", "")[:500],
        identity_confirmed_by=identity.method.value,
        identity_confirmed_at=identity.confirmed_at,
    )
    seals.seal(signature, sealed_when=Signature.SealedWhen.AT_SIGNING)
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
    except IntegrityError:
        # Two submits at once: the first one signed.
        return Signature.objects.get(consent=consent)
    record_event(
        Kind.CONSENT_SIGNED,
        actor=consent.patient,
        patient=consent.patient,
        target=consent,
        request=request,
        detail={
            "version": version.number,
            "signature": str(signature.public_id),
            "identity": signature.identity_confirmed_by,
            "seal_key_id": signature.seal_key_id,
            "language": signature.language,
        },
    )
    return signature


def sign_active_consent(
    *, patient, typed_name, confirms_meaning, password, code="", request, language=ENGLISH
):
    """Sign the patient's pass through the current version, once every section is acknowledged.

    A double submit signs once: the second request finds the pass already signed and gets
    that signature back, for the web page and the API alike. See `sign_consent` for the
    password and code.
    """
    consent = active_consent(patient=patient)
    if consent is None:
        status = consent_status(patient)
        # Their latest pass is a signature of the current version, not yet withdrawn: the
        # first of two submits made it. Anything else (an older version's signature, a
        # withdrawn one) is no answer to "sign", so it is not passed off as one.
        if status.kind == ConsentStatus.SIGNED and status.wording_updated_in is None:
            return status.latest.signature
        raise NoConsentInProgress(gettext("Start reading the consent before you sign it."))
    return sign_consent(
        consent=consent,
        typed_name=typed_name,
        confirms_meaning=confirms_meaning,
        password=password,
        code=code,
        request=request,
        language=language,
    )


@transaction.atomic
def withdraw_consent(*, patient, reason="", request=None):
    """Take back the patient's latest signed consent. They can consent again later."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            {
                "reason": gettext("Please keep the reason under %(limit_value)d characters.")
                % {"limit_value": REASON_MAX_CHARS}
            }
        )
    consent = latest_signed_consent(patient=patient)
    if consent is None:
        raise ValidationError(gettext("You have no signed consent to withdraw."))
    if consent.is_withdrawn:
        return consent.withdrawal
    try:
        with transaction.atomic():
            withdrawal = Withdrawal.objects.create(consent=consent, reason=reason)
    except IntegrityError:
        return Withdrawal.objects.get(consent=consent)
    record_event(
        Kind.CONSENT_WITHDRAWN,
        actor=patient,
        patient=patient,
        target=consent,
        request=request,
        # Whether a reason was given, never the reason: those are the patient's words.
        detail={"version": consent.version.number, "gave_reason": bool(reason)},
    )
    return withdrawal


@transaction.atomic
def note_whats_new_seen(*, patient, request=None):
    """The patient saw what's new in the wording of the current version. Recorded once."""
    status = consent_status(patient)
    version = status.wording_updated_in
    if version is None:
        raise ValidationError(gettext("There is nothing new in the consent for you to see."))
    seen, created = WhatsNewSeen.objects.get_or_create(patient=patient, version=version)
    if created:
        record_event(
            Kind.WHATS_NEW_SEEN,
            actor=patient,
            patient=patient,
            target=status.latest,
            request=request,
            detail={
                "version": version.number,
                "signed_version": status.latest.version.number,
                "sections": len(status.changes.notes),
            },
        )
    return seen


# --- Looking at a signed record ---------------------------------------------------------

VIEW_KINDS = {
    "record": Kind.CONSENT_RECORD_VIEWED,
    "copy": Kind.CONSENT_COPY_VIEWED,
    "pdf": Kind.CONSENT_PDF_VIEWED,
}


def note_record_viewed(*, consent, viewer, request, what="record"):
    """Who opened a signed consent (its record, its printable copy or its PDF), from where.

    The patient, and the clinic through them, can see who looked at the record.
    """
    return record_event(
        VIEW_KINDS[what],
        actor=viewer,
        patient=consent.patient,
        target=consent,
        request=request,
        detail={"version": consent.version.number},
    )

"""Reads of consent that web pages and the API share: where a patient stands, and more.

Each selector returns what a screen needs: a scoped queryset, or a small dataclass that the
template and the serializer both render. Presentation (labels, badge colours) lives in
`consent.presenters` and the templates, never here or in the models.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from common.subqueries import count_per
from consent import seals
from consent.models import (
    ENGLISH,
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
)

# After this many wrong answers to one question in one consent, the patient is offered a
# question to their care team, and the therapist sees the section flagged.
REPEATED_WRONG_ANSWERS = 2


# --- What changed between versions -----------------------------------------------------


@dataclass(frozen=True)
class ChangeNote:
    """One section that changed between the version a patient signed and the current one."""

    slug: str
    title: str  # as in the newest version that has it
    change: str  # "added", "reworded" or "removed"
    is_material: bool
    reasons: tuple[str, ...]  # the clinic's words, one per version that changed it

    @property
    def kind(self):
        return SectionChange.Kind.MATERIAL if self.is_material else SectionChange.Kind.COSMETIC


@dataclass(frozen=True)
class PendingChanges:
    """What changed in the versions published after `since`, up to `until`."""

    since: ConsentVersion | None
    until: ConsentVersion | None
    notes: tuple[ChangeNote, ...] = ()

    @property
    def needs_reconsent(self):
        """A material change anywhere sends the patient back to read and sign again."""
        return any(note.is_material for note in self.notes)

    @property
    def material_slugs(self):
        """Sections of `until` the patient reads again (new or materially changed)."""
        return {n.slug for n in self.notes if n.is_material and n.change != "removed"}

    @property
    def material_notes(self):
        return [n for n in self.notes if n.is_material]

    @property
    def cosmetic_notes(self):
        return [n for n in self.notes if not n.is_material]


def compare_sections(before, after):
    """Slugs of `after`'s sections compared with `before`'s: {slug: added|reworded|removed}."""
    old = {s.slug: s for s in before}
    new = {s.slug: s for s in after}
    changes = {}
    for slug, section in new.items():
        if slug not in old:
            changes[slug] = "added"
        elif old[slug].content_digest() != section.content_digest():
            changes[slug] = "reworded"
    for slug in old.keys() - new.keys():
        changes[slug] = "removed"
    return changes


class ChangeHistory:
    """Every published version with its sections and change marks: three queries, once.

    A list of patients shares one, so working out each one's pending changes costs no more.
    """

    def __init__(self):
        self.versions = list(
            ConsentVersion.objects.published()
            .order_by("number")
            .prefetch_related("sections", "section_changes")
        )

    def pending(self, since, until):
        """What the versions after `since` up to `until` changed, merged per section."""
        if since is None or until is None or since.number >= until.number:
            return PendingChanges(since, until)
        merged = {}
        previous = None
        for version in self.versions:
            if previous is not None and since.number < version.number <= until.number:
                marks = {m.slug: m for m in version.section_changes.all()}
                titles = {s.slug: s.title for s in previous.sections.all()}
                titles |= {s.slug: s.title for s in version.sections.all()}
                changed = compare_sections(previous.sections.all(), version.sections.all())
                for slug, change in changed.items():
                    mark = marks.get(slug)
                    # A change published without a mark (before marks existed) counts as material.
                    is_material = mark is None or mark.is_material
                    earlier = merged.get(slug)
                    if earlier is not None:
                        if earlier.change == "added" and change != "removed":
                            change = "added"
                        is_material = is_material or earlier.is_material
                    reasons = (earlier.reasons if earlier else ()) + (
                        (mark.reason,) if mark else ()
                    )
                    merged[slug] = ChangeNote(slug, titles[slug], change, is_material, reasons)
            previous = version
        order = {
            s.slug: s.position for v in self.versions if v.pk == until.pk for s in v.sections.all()
        }
        notes = sorted(merged.values(), key=lambda n: (order.get(n.slug, 10_000), n.slug))
        return PendingChanges(since, until, tuple(notes))


def pending_changes(*, since, until=None):
    """What changed, section by section, from version `since` to `until` (the current one)."""
    until = until if until is not None else ConsentVersion.objects.current()
    return ChangeHistory().pending(since, until)


class ConsentStatus:
    """Where a patient stands with consent, worked out from their consent records.

    Works from `patient.consents.all()`, so a list of patients can prefetch what it needs
    (see `prefetch_for_status`) and stay at a fixed number of queries.
    """

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SIGNED = "signed"
    OUTDATED = "outdated"
    WITHDRAWN = "withdrawn"

    def __init__(self, patient, current_version, history=None):
        consents = patient.consents.all()
        if "consents" not in getattr(patient, "_prefetched_objects_cache", {}):
            # One query with what is read below, not three more per consent.
            consents = consents.select_related("version", "signature", "withdrawal")
        self.consents = consents = list(consents)  # newest first
        self.latest = consents[0] if consents else None
        self.current_version = current_version
        self.signed = next((c for c in consents if c.is_signed), None)
        # What changed since the signed version, when the patient signed an older one.
        self.changes = None
        if self.latest is None:
            self.kind = self.NOT_STARTED
        elif not self.latest.is_signed:
            self.kind = self.IN_PROGRESS
        elif self.latest.is_withdrawn:
            self.kind = self.WITHDRAWN
        elif current_version and self.latest.version_id != current_version.pk:
            self.changes = self._pending(history, self.latest.version, current_version)
            # Only a material change sends the patient back; wording alone leaves it signed.
            self.kind = self.OUTDATED if self.changes.needs_reconsent else self.SIGNED
        else:
            self.kind = self.SIGNED
        # Re-consenting to a new version after signing an older one.
        self.is_reconsenting = (
            self.kind == self.IN_PROGRESS
            and self.signed is not None
            and not self.signed.is_withdrawn
        )
        if self.is_reconsenting and self.signed.version_id != getattr(current_version, "pk", None):
            self.changes = self._pending(history, self.signed.version, current_version)

    @staticmethod
    def _pending(history, since, until):
        history = history() if callable(history) else history
        return (history or ChangeHistory()).pending(since, until)

    @property
    def wording_updated_in(self):
        """The current version, when it changed only wording since the one the patient signed."""
        if self.kind == self.SIGNED and self.changes is not None:
            return self.current_version
        return None

    @classmethod
    def attach(cls, patients):
        """Set `patient.consent_status` on each patient (prefetch first: see below)."""
        patients = list(patients)
        # Counted once here, not once per patient who has not started.
        current = (
            ConsentVersion.objects.published()
            .annotate(section_total=Count("sections"))
            .order_by("-number")
            .first()
        )
        history = []

        def shared_history():
            # Loaded once, and only if some patient signed an older version.
            if not history:
                history.append(ChangeHistory())
            return history[0]

        for patient in patients:
            patient.consent_status = cls(patient, current, shared_history)
        return patients

    @staticmethod
    def prefetch_for_status():
        """What `ConsentStatus` reads, for `prefetch_related` on a patient queryset."""
        return Prefetch(
            "consents",
            queryset=Consent.objects.select_related("version", "signature", "withdrawal")
            # The words as signed (pages of text per patient) say nothing about where they stand.
            .defer("signature__signed_text")
            .annotate(
                # Counted apart, not through joins: joining both multiplies the rows.
                acknowledged_count=count_per(
                    Acknowledgement.objects.filter(
                        consent=OuterRef("pk"), acknowledged_at__isnull=False
                    ),
                    per="consent",
                ),
                section_count=count_per(
                    ConsentSection.objects.filter(version=OuterRef("version")), per="version"
                ),
                carried_over_count=count_per(
                    CarriedOverSection.objects.filter(consent=OuterRef("pk")), per="consent"
                ),
            ),
        )

    @cached_property  # a template reads it twice (done, total): counted once
    def progress(self):
        latest = self.latest
        if latest is None:
            current = self.current_version
            if current is None:
                return (0, 0)
            total = getattr(current, "section_total", None)
            return (0, current.sections.count() if total is None else total)
        done = getattr(latest, "acknowledged_count", None)
        total = getattr(latest, "section_count", None)
        carried = getattr(latest, "carried_over_count", None)
        if done is None or total is None or carried is None:
            done = len(latest.acknowledged_sections())
            total = latest.version.sections.count()
            carried = len(latest.carried_over_section_ids)
        # A renewal counts only the sections read again.
        return (done, total - carried)

    @property
    def needs_attention(self):
        return self.kind in (self.NOT_STARTED, self.IN_PROGRESS, self.OUTDATED, self.WITHDRAWN)


def consent_status(patient):
    """Where one patient stands with the version patients sign now."""
    return ConsentStatus(patient, ConsentVersion.objects.current())


# --- The patient's pass through the current version ----------------------------------


def _unfinished_consent(patient, version):
    if version is None:
        return None
    return (
        Consent.objects.filter(patient=patient, version=version)
        .unfinished()
        # The signature's (empty) join is there for `unfinished`: selected, `is_signed`
        # needs no query of its own.
        .select_related("version", "signature")
        .first()
    )


def active_consent(*, patient):
    """The patient's unfinished pass through the current version, if they started one."""
    return _unfinished_consent(patient, ConsentVersion.objects.current())


def latest_signed_consent(*, patient):
    """The patient's most recent signed consent, withdrawn or not, of any version."""
    return Consent.objects.filter(patient=patient).signed().with_record().first()


def _changed_since_signed(version, signed):
    """Sections of `version` new or reworded since the version of `signed` (none if unsigned)."""
    if version is None or signed is None:
        return set()
    return version.changed_section_slugs(signed.version)


@dataclass(frozen=True)
class Overview:
    """The consent page before and between sections: what to read and where the patient is."""

    version: ConsentVersion | None  # what patients sign now; None until the clinic publishes
    status: ConsentStatus
    active: Consent | None  # the unfinished pass through `version`, once started
    sections: list[ConsentSection]
    estimated_minutes: int
    changed_section_slugs: tuple[str, ...]  # sorted; changed since the last signed version
    next_section: ConsentSection | None  # the first section of `active` not yet acknowledged
    required: str  # see REQUIRED: what the patient has to do now
    sections_to_read: list[ConsentSection]  # all of them, or the materially changed ones
    whats_new: list[ChangeNote] = field(default_factory=list)  # wording-only, not yet seen
    language: str = ENGLISH  # the language of the text shown (and signed)

    @property
    def acknowledged_count(self):
        """Of the latest consent, as in `status.progress`: counted only when read (the page
        of a patient who signed never shows it)."""
        return self.status.progress[0]

    @property
    def section_count(self):
        return self.status.progress[1]

    @property
    def changed_count(self):
        return len(self.changed_section_slugs)

    @property
    def changes(self):
        return self.status.changes

    @property
    def is_renewal(self):
        return self.required == REQUIRED_CHANGED_SECTIONS


REQUIRED_NOTHING = "nothing"  # signed the current version, or its wording news are seen
REQUIRED_FULL = "full"  # read every section and sign
REQUIRED_CHANGED_SECTIONS = "changed_sections"  # read the materially changed sections, sign
REQUIRED_WHATS_NEW = "whats_new"  # still signed: glance at what's new in the wording
REQUIRED = [REQUIRED_NOTHING, REQUIRED_FULL, REQUIRED_CHANGED_SECTIONS, REQUIRED_WHATS_NEW]


def _required(status, active, whats_new):
    if status.current_version is None:
        return REQUIRED_NOTHING
    if status.kind == ConsentStatus.SIGNED:
        return REQUIRED_WHATS_NEW if whats_new else REQUIRED_NOTHING
    if active is not None:
        return REQUIRED_CHANGED_SECTIONS if active.renews_id else REQUIRED_FULL
    if status.kind == ConsentStatus.OUTDATED:
        return REQUIRED_CHANGED_SECTIONS
    return REQUIRED_FULL


def unseen_whats_new(patient, status):
    """Wording-only changes since the patient's signature that they have not seen yet."""
    version = status.wording_updated_in
    if version is None:
        return []
    if WhatsNewSeen.objects.filter(patient=patient, version=version).exists():
        return []
    return list(status.changes.notes)


@dataclass(frozen=True)
class WhatsNew:
    """Wording-only changes since the patient signed, and when they saw them."""

    version: ConsentVersion | None  # the current version
    notes: list[ChangeNote]  # empty: signed the current version, or must read again
    seen_at: object  # datetime, or None until seen


def whats_new(patient):
    """What's new in the wording of the current version for a patient whose signature stays."""
    status = consent_status(patient)
    version = status.wording_updated_in
    if version is None:
        return WhatsNew(status.current_version, [], None)
    seen = WhatsNewSeen.objects.filter(patient=patient, version=version).first()
    return WhatsNew(version, list(status.changes.notes), seen.seen_at if seen else None)


def reading_language(language):
    """The language the current version is read (and signed) in: `language` if published."""
    current = ConsentVersion.objects.current()
    return current.reading_language(language) if current else ENGLISH


def text_as_read(version, language, sections=None):
    """`version` and its sections in the language the patient reads (`reading_language`)."""
    return version.text_in(version.reading_language(language), sections)


def consent_overview(patient, *, language=ENGLISH):
    """The current version, where the patient stands with it, and where they resume.

    The version and its sections hold the words of `language` (the patient's) when the
    version is published in it, else English: `Overview.language` says which.
    """
    current = ConsentVersion.objects.current()
    status = ConsentStatus(patient, current)
    # As `active_consent`, from the consents loaded: the newest unsigned one of `current`.
    active = next(
        (c for c in status.consents if current and c.version_id == current.pk and not c.is_signed),
        None,
    )
    if active is not None:
        # Read once for the progress and where reading resumes.
        prefetch_related_objects([active], "acknowledgements")
    version, reading, sections = current, ENGLISH, []
    if current is not None:
        reading = current.reading_language(language)
        version, sections = current.text_in(reading)
    unseen = unseen_whats_new(patient, status)
    required = _required(status, active, unseen)
    if active is not None:
        to_read = active.sections_to_read(sections)
    elif required == REQUIRED_CHANGED_SECTIONS:
        material = status.changes.material_slugs
        to_read = [s for s in sections if s.slug in material]
    else:
        to_read = sections
    return Overview(
        version=version,
        status=status,
        active=active,
        sections=sections,
        estimated_minutes=version.estimated_minutes(to_read) if to_read else 0,
        changed_section_slugs=tuple(sorted(_changed_since_signed(version, status.signed))),
        next_section=active.next_section(sections) if active else None,
        required=required,
        sections_to_read=to_read,
        whats_new=unseen,
        language=reading,
    )


@dataclass(frozen=True)
class StepState:
    """One section as the patient reads it: what they did here so far and where it leads."""

    consent: Consent
    section: ConsentSection
    step_number: int  # among the sections of this pass (a renewal reads only some)
    step_count: int
    previous_section: ConsentSection | None
    next_section: ConsentSection | None  # the first not yet acknowledged; None: time to review
    acknowledgement: Acknowledgement | None  # None until the section was first opened
    attempts: list[QuizAttempt]  # every answer to its question, oldest first
    has_passed_question: bool  # True for a section without a question
    is_changed: bool  # reworded since the version the patient last signed
    questions: list[CareTeamQuestion]  # what the patient asked their care team here
    passage_anchor: str = ""  # the passage its question tests; "" when the clinic chose none
    language: str = ENGLISH  # the language of the section's words

    @property
    def wrong_answer_count(self):
        return sum(1 for a in self.attempts if not a.is_correct)

    @property
    def offers_care_team_question(self):
        """Wrong twice and not yet right: the patient may rather ask a person."""
        return not self.has_passed_question and self.wrong_answer_count >= REPEATED_WRONG_ANSWERS

    @property
    def opened_at(self):
        return self.acknowledgement.opened_at if self.acknowledgement else None

    @property
    def acknowledged_at(self):
        return self.acknowledgement.acknowledged_at if self.acknowledgement else None

    @property
    def last_attempt_wrong(self):
        return bool(self.attempts) and not self.has_passed_question


def step_state(consent, section, *, sections=None, language=ENGLISH):
    """What the patient sees on one section of their consent, in `language` if published.

    `sections` are the version's sections in order, if the caller read them already. Call
    it after any write to the consent: it reads the acknowledgements once, as they are.
    """
    # Once for both this section's acknowledgement and where reading goes next.
    prefetch_related_objects([consent], "acknowledgements")
    version = consent.version
    if sections is None:
        sections = version.ordered_sections()
    reading = version.reading_language(language)
    if reading != ENGLISH:
        _, sections = version.text_in(reading, sections)
        section = next(s for s in sections if s.pk == section.pk)
    to_read = consent.sections_to_read(sections)
    attempts = list(consent.quiz_attempts.filter(section=section).select_related("section"))
    # As `latest_signed_consent`, with only its version: all that is compared.
    signed = (
        Consent.objects.filter(patient=consent.patient_id)
        .signed()
        .select_related("version")
        .first()
    )
    return StepState(
        consent=consent,
        section=section,
        step_number=next((n for n, s in enumerate(to_read, 1) if s.pk == section.pk), 0),
        step_count=len(to_read),
        previous_section=next(
            (s for s in reversed(to_read) if s.position < section.position), None
        ),
        next_section=consent.next_section(sections),
        acknowledgement=next(
            (a for a in consent.acknowledgements.all() if a.section_id == section.pk), None
        ),
        attempts=attempts,
        has_passed_question=not section.has_question or any(a.is_correct for a in attempts),
        is_changed=section.slug in _changed_since_signed(consent.version, signed),
        questions=list(
            consent.questions.filter(section=section).select_related("section", "answered_by")
        ),
        passage_anchor=question_passage_anchor(section),
        language=reading,
    )


def question_passage_anchor(section):
    """The id of the passage a section's question tests, or "" when none was chosen.

    For a section as read in translation, the id of the same passage in its words.
    """
    if not section.has_question:
        return ""
    passage = QuestionPassage.objects.filter(section_id=section.pk).first()
    return passage.anchor_in(section) if passage else ""


@dataclass(frozen=True)
class AnswerOutcome:
    """One answer and what the patient is offered next: the passage again, or a person."""

    attempt: QuizAttempt
    passage_anchor: str  # "" for a right answer
    wrong_answer_count: int  # wrong answers to this question in this consent, this one too
    offers_care_team_question: bool


def answer_outcome(attempt, *, language=ENGLISH):
    """After an answer: where to read again, and whether to offer asking the care team."""
    if attempt.is_correct:
        return AnswerOutcome(attempt, "", 0, False)
    wrong = attempt.consent.quiz_attempts.filter(section=attempt.section, is_correct=False)
    count = wrong.count()
    version = attempt.consent.version
    _, [section] = text_as_read(version, language, [attempt.section])
    return AnswerOutcome(
        attempt=attempt,
        passage_anchor=question_passage_anchor(section),
        wrong_answer_count=count,
        offers_care_team_question=count >= REPEATED_WRONG_ANSWERS,
    )


@dataclass(frozen=True)
class StruggledSection:
    """A section whose question the patient answered wrongly again and again."""

    section: ConsentSection
    wrong_answer_count: int
    is_passed: bool  # answered rightly in the end


def struggled_sections(consent):
    """Sections of one consent with repeated wrong answers, in order: worth talking through.

    Reads `consent.quiz_attempts.all()` with their sections, so a list of consents can
    prefetch them (`consent_records` does) and cost no query per consent.
    """
    wrong, passed, sections = {}, set(), {}
    for attempt in consent.quiz_attempts.all():
        sections[attempt.section_id] = attempt.section
        if attempt.is_correct:
            passed.add(attempt.section_id)
        else:
            wrong[attempt.section_id] = wrong.get(attempt.section_id, 0) + 1
    return sorted(
        (
            StruggledSection(sections[pk], count, pk in passed)
            for pk, count in wrong.items()
            if count >= REPEATED_WRONG_ANSWERS
        ),
        key=lambda flagged: flagged.section.position,
    )


# --- Records: the patient's and their therapists' -------------------------------------


def consent_records(viewer, *, patient=None):
    """Every consent record the viewer may open (of one patient, if given), newest first."""
    records = (
        Consent.objects.visible_to(viewer)
        .with_record()
        # Each with its section in the same query: two queries for any number of records.
        .prefetch_related(
            Prefetch("acknowledgements", Acknowledgement.objects.select_related("section")),
            Prefetch("quiz_attempts", QuizAttempt.objects.select_related("section")),
        )
        .order_by("-started_at", "-pk")
    )
    if patient is not None:
        records = records.filter(patient=patient)
    return records


def signed_consent_or_404(user, public_id):
    """A signed consent this user may open: the patient's own, or their therapists'."""
    # 404, not 403, for anyone else's record: never confirm it exists.
    return get_object_or_404(
        Consent.objects.visible_to(user).signed().with_record(), public_id=public_id
    )


def consent_questions(viewer, *, patient=None):
    """Questions to the care team the viewer may read (about one patient, if given)."""
    questions = CareTeamQuestion.objects.visible_to(viewer).select_related(
        "section", "answered_by", "consent__version", "consent__patient"
    )
    if patient is not None:
        questions = questions.filter(consent__patient=patient)
    return questions


def consent_question_or_404(user, public_id):
    """A question this user may read; anyone else's answers 404, like a missing one."""
    return get_object_or_404(consent_questions(user), public_id=public_id)


@dataclass(frozen=True)
class PatientConsentRecord:
    """A patient's whole consent record, as their therapist reads it."""

    status: ConsentStatus
    consents: list[Consent]  # newest first, with acknowledgements and answers
    questions: list[CareTeamQuestion]  # in the order they were asked


def patient_consent_record(*, viewer, patient, language=ENGLISH):
    """Where the patient stands, every consent record and every question they asked.

    Section titles are in the viewer's `language` where the version is published in it.
    """
    # The questions come with the records they were asked about: those the viewer may
    # open are the questions they may read (`consent_questions_visible_to`), and each
    # finds its consent, version and patient already loaded.
    consents = list(
        consent_records(viewer, patient=patient).prefetch_related(
            Prefetch("questions", CareTeamQuestion.objects.select_related("section", "answered_by"))
        )
    )
    questions = [question for consent in consents for question in consent.questions.all()]
    record = PatientConsentRecord(
        status=consent_status(patient),
        consents=consents,
        questions=sorted(questions, key=lambda question: (question.asked_at, question.pk)),
    )
    if language != ENGLISH:
        _titles_in(language, record)
    return record


def _titles_in(language, record):
    """Show the sections a record names by their titles in `language` (one query).

    Only the loaded objects' titles change, for display; a published section refuses to be
    saved, so the stored English can never be overwritten from here.
    """
    sections = [question.section for question in record.questions]
    for consent in record.consents:
        sections += [ack.section for ack in consent.acknowledgements.all()]
        sections += [attempt.section for attempt in consent.quiz_attempts.all()]
    if not sections:
        return
    titles = dict(
        SectionTranslation.objects.filter(
            section__in={section.pk for section in sections},
            translation__language=language,
            translation__status=ConsentTranslation.Status.PUBLISHED,
        ).values_list("section_id", "title")
    )
    for section in sections:
        section.title = titles.get(section.pk, section.title)


# --- Checking signed records -----------------------------------------------------------


def signed_version(consent):
    """The version of a signed consent in the language signed (its title, as signed)."""
    version = consent.version
    try:
        return version.text_in(consent.signature.language, [])[0]
    except ConsentTranslation.DoesNotExist:
        return version


def seal_check(consent):
    """Whether one signed consent still holds up: text, fingerprint and seal (a `seals.Check`)."""
    return seals.check(consent.signature)


@dataclass(frozen=True)
class RecordProblem:
    consent: object  # the Consent's public id
    problem: str


@dataclass(frozen=True)
class VerificationReport:
    """Every signed consent recomputed: what failed, and what was checked."""

    checked: int
    problems: list[RecordProblem]
    sealed_by_key: dict[str, int]  # key id: how many signatures it sealed
    sealed_by_migration: int  # sealed after the fact, not when signed

    @property
    def is_intact(self):
        return not self.problems


def verify_signed_records(*, batch_size=200):
    """Recompute every signature's fingerprint and seal; see `consent.seals.check`."""
    signatures = (
        Signature.objects.select_related("consent__patient", "consent__version")
        .prefetch_related(
            Prefetch(
                "consent__acknowledgements",
                queryset=Acknowledgement.objects.select_related("section"),
            ),
            Prefetch(
                "consent__quiz_attempts", queryset=QuizAttempt.objects.select_related("section")
            ),
            "consent__version__sections",
            Prefetch(
                "consent__carried_over",
                queryset=CarriedOverSection.objects.select_related("section"),
            ),
            "consent__renews",
        )
        .order_by("signed_at", "pk")
    )
    version_texts = {}
    problems, sealed_by_key, checked, by_migration = [], {}, 0, 0
    for signature in signatures.iterator(chunk_size=batch_size):
        checked += 1
        version = signature.consent.version
        key = (version.pk, signature.language)
        if key not in version_texts:
            version_texts[key] = seals.published_text(version, signature.language)
        result = seals.check(signature, version_text=version_texts[key])
        problems += [RecordProblem(signature.consent.public_id, p) for p in result.problems]
        sealed_by_key[signature.seal_key_id] = sealed_by_key.get(signature.seal_key_id, 0) + 1
        by_migration += not signature.is_sealed_at_signing
    return VerificationReport(checked, problems, sealed_by_key, by_migration)

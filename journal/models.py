"""The integration journal: administration sessions, the patient's entries, and what the
care team adds beside them (comments for the patient, clinical notes for the team).

Who may see what is decided in `accounts.access`; `visible_to(user)` on each QuerySet is
the one way to load these rows. Changes go through `journal.services`, reads through
`journal.selectors`.

Nothing here is ever erased. A patient's words are a clinical record: an edit keeps the
earlier text as an `EntryRevision`, a discarded draft is stamped and hidden rather than
deleted, and sessions, entries, comments, notes and reads refuse deletion in Python and,
on PostgreSQL, in the database as well.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from journal import crisis

# Generous, and told to the patient beside the box before they could reach it.
ENTRY_MAX_CHARS = 20_000
PROMPT_MAX_CHARS = 4_000
COMMENT_MAX_CHARS = 4_000
# A reply in the thread under an entry, and an intention before a session: a few lines.
REPLY_MAX_CHARS = 2_000
INTENTION_MAX_CHARS = 1_000
SCALE_MIN, SCALE_MAX = 0, 10
DOSE_MIN_MG, DOSE_MAX_MG = Decimal("0.1"), Decimal("1000")
# Recording a session happens after it; a few minutes of clock drift are forgiven.
FUTURE_SLACK = timedelta(minutes=5)


class Route(models.TextChoices):
    IV_INFUSION = "iv_infusion", _("IV infusion")
    INTRAMUSCULAR = "intramuscular", _("Intramuscular injection")
    LOZENGE = "lozenge", _("Lozenge")
    OTHER = "other", pgettext_lazy("session kind", "Other")


class Experience(models.TextChoices):
    DISSOCIATION = "dissociation", _("Dissociation")
    ALTERED_PERCEPTION = "altered_perception", _("Altered perception")
    VIVID_IMAGERY = "vivid_imagery", _("Vivid imagery")
    NAUSEA = "nausea", _("Nausea")
    HEADACHE = "headache", _("Headache")
    DIZZINESS = "dizziness", _("Dizziness")
    ANXIETY_OR_DISORIENTATION = "anxiety_or_disorientation", _("Anxiety or disorientation")
    OTHER = "other", _("Something else")


# --- Records that are kept -------------------------------------------------------------


class KeptRecordError(Exception):
    """Raised when code tries to erase a journal record, or rewrite a kept earlier version."""


class DraftDiscardedError(Exception):
    """A save arrived for a draft the patient discarded (say, from a second tab)."""


class KeptQuerySet(models.QuerySet):
    """Bulk deletion is refused: these rows are the patient's clinical record."""

    def delete(self):
        raise KeptRecordError(f"{self.model._meta.verbose_name_plural} are kept, never deleted.")


class KeptModel(models.Model):
    """A row that is never deleted (PostgreSQL refuses it too: see `never_deleted()`)."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise KeptRecordError(f"A {self._meta.verbose_name} is kept, never deleted.")


def never_deleted():
    return pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete)


# --- Administration sessions ----------------------------------------------------------


class AdministrationSessionQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import sessions_visible_to

        return self & sessions_visible_to(user)

    def of(self, patient):
        return self.filter(patient=patient)

    def past(self):
        return self.filter(occurred_at__lte=timezone.now())

    def newest_first(self):
        return self.order_by("-occurred_at")


class AdministrationSession(KeptModel):
    """A ketamine administration a therapist recorded for a patient in their care.

    Never deleted: the patient's reflections on a session belong to it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT on every key to a person: clinical records are never erased with an account
    # (deactivate it instead), and never lose who wrote or did something.
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="administration_sessions",
        limit_choices_to={"role": Role.PATIENT},
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administration_sessions_recorded",
        limit_choices_to={"role": Role.THERAPIST},
    )
    occurred_at = models.DateTimeField("date and time")
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_mg = models.DecimalField(
        "dose (mg)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(DOSE_MIN_MG), MaxValueValidator(DOSE_MAX_MG)],
    )
    notes = models.TextField(blank=True, max_length=2_000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AdministrationSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["patient", "-occurred_at"], name="session_patient_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dose_mg__isnull=True)
                | Q(dose_mg__gte=DOSE_MIN_MG, dose_mg__lte=DOSE_MAX_MG),
                name="session_dose_in_range",
            ),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="session_route_known"),
        ]
        triggers = [never_deleted()]

    def __str__(self):
        return f"Administration session {self.occurred_at:%Y-%m-%d} for {self.patient}"

    def clean(self):
        if self.patient_id and not self.patient.is_patient:
            raise ValidationError({"patient": _("Sessions are recorded for patients only.")})
        if self.occurred_at and self.occurred_at > timezone.now() + FUTURE_SLACK:
            raise ValidationError(
                {"occurred_at": _("Record a session after it has happened: this time is ahead.")}
            )


# --- Journal entries -------------------------------------------------------------------

# What the patient writes; the rest (review, reads, timestamps) belongs to the app.
# The reflection and its guided prompts, then every free-text field.
WORDS_FIELDS = ("body", "stood_out", "emotions", "body_sensations", "insights", "intention")
TEXT_FIELDS = (*WORDS_FIELDS, "experiences_other")
GUIDED_PROMPTS = {
    "stood_out": _("What stood out"),
    "emotions": _("Emotions"),
    "body_sensations": _("Body sensations"),
    "insights": _("Insights"),
    "intention": _("An intention to bring to therapy"),
}
# What an entry says, in the order people read it: the API, the revisions and the
# patient's own copy all list these fields so.
CONTENT_FIELDS = (*WORDS_FIELDS, "mood", "anxiety", "experiences", "experiences_other")
# Everything the patient sets on an entry: what it says, and where and to whom it goes.
WRITTEN_FIELDS = (*CONTENT_FIELDS, "session", "is_shared", "is_for_discussion")


# What the phrases of EntryQuerySet below mean for one shared entry, as conditions, so
# that a caseload's entries can be counted per patient in one pass (care's roster).
# Edited after review counts as new again: the therapist has not read this version.
AWAITING_REVIEW = Q(reviewed_at__isnull=True) | Q(edited_at__gt=F("reviewed_at"))
FOR_DISCUSSION = Q(is_for_discussion=True, discussed_at__isnull=True)
URGENT = AWAITING_REVIEW & Q(has_crisis_language=True)


class EntryQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import entries_visible_to

        # A discarded draft keeps its row and its words, and is shown to no one again,
        # its author included: for the patient it is gone, for the record it is kept.
        return self.kept() & entries_visible_to(user)

    def kept(self):
        return self.filter(discarded_at__isnull=True)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def shared(self):
        return self.submitted().filter(is_shared=True)

    def awaiting_review(self):
        return self.shared().filter(AWAITING_REVIEW)

    def for_discussion(self):
        return self.shared().filter(FOR_DISCUSSION)

    def urgent(self):
        return self.shared().filter(URGENT)

    def about(self, session):
        return self.filter(session=session)

    def with_scores(self):
        return self.submitted().filter(Q(mood__isnull=False) | Q(anxiety__isnull=False))

    def newest_first(self):
        return self.order_by(F("submitted_at").desc(nulls_first=True), "-created_at")


class WrittenWords:
    """Reading what the patient wrote: shared by an entry and its earlier versions."""

    @property
    def is_empty(self):
        return (
            not any(getattr(self, name).strip() for name in TEXT_FIELDS)
            and self.mood is None
            and self.anxiety is None
            and not self.experiences
        )

    def all_text(self):
        return "\n".join(getattr(self, name) for name in TEXT_FIELDS)

    def prompt_answers(self):
        """The guided prompts the patient answered, as (question, answer) pairs."""
        return [
            (question, getattr(self, name))
            for name, question in GUIDED_PROMPTS.items()
            if getattr(self, name).strip()
        ]

    @property
    def excerpt(self):
        """The first words the patient wrote, wherever they wrote them."""
        return next((text for _, text in [("", self.body), *self.prompt_answers()] if text), "")

    def experience_labels(self):
        labels = dict(Experience.choices)
        return [labels[value] for value in self.experiences if value in labels]


def _scale_validators():
    return [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]


class Entry(WrittenWords, KeptModel):
    """A patient's reflection, about an administration session or standing alone.

    It starts as a draft the page saves while the patient types, and becomes an entry
    when they submit it. Private by default: only a shared, submitted entry ever
    reaches the care team. Editing a submitted entry keeps what it said before as an
    `EntryRevision`; discarding a draft stamps `discarded_at` and hides it. Neither
    deletes a word.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries"
    )
    session = models.ForeignKey(
        AdministrationSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    body = models.TextField("your reflection", blank=True, max_length=ENTRY_MAX_CHARS)
    stood_out = models.TextField("what stood out", blank=True, max_length=PROMPT_MAX_CHARS)
    emotions = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    body_sensations = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    insights = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    intention = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    mood = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale_validators())
    anxiety = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_scale_validators()
    )
    experiences = models.JSONField(default=list, blank=True)
    experiences_other = models.CharField(blank=True, max_length=200)
    is_shared = models.BooleanField(default=False)
    is_for_discussion = models.BooleanField(default=False)
    has_crisis_language = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    discussed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The patient discarded this draft: hidden from every list and page, never deleted.
    discarded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["patient", "-submitted_at"], name="entry_patient_time"),
            # The API lists every entry, drafts too, by when it was begun (common.rest).
            models.Index(fields=["patient", "-created_at"], name="entry_patient_created"),
            models.Index(fields=["patient", "is_shared"], name="entry_patient_shared"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=SCALE_MIN, mood__lte=SCALE_MAX),
                name="entry_mood_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(anxiety__isnull=True)
                | Q(anxiety__gte=SCALE_MIN, anxiety__lte=SCALE_MAX),
                name="entry_anxiety_on_scale",
            ),
            # The agenda is the therapist's: a private entry never lands on it.
            models.CheckConstraint(
                condition=Q(is_for_discussion=False) | Q(is_shared=True),
                name="entry_discussion_needs_sharing",
            ),
            models.CheckConstraint(
                condition=Q(edited_at__isnull=True) | Q(submitted_at__isnull=False),
                name="entry_only_submitted_is_edited",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(submitted_at__isnull=False),
                name="entry_only_submitted_is_reviewed",
            ),
            # Only a draft is discarded; a submitted entry is edited, never thrown away.
            models.CheckConstraint(
                condition=Q(discarded_at__isnull=True) | Q(submitted_at__isnull=True),
                name="entry_only_draft_is_discarded",
            ),
        ]
        triggers = [never_deleted()]

    def __str__(self):
        # Never the text: this string may reach logs and admin screens.
        state = "draft" if self.is_draft else "entry"
        return f"Journal {state} {self.public_id}"

    def save(self, *args, **kwargs):
        self._derive_flags(timezone.now())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("journal:entry_detail", args=[self.public_id])

    # --- What it is ---

    @property
    def is_draft(self):
        return self.submitted_at is None

    @property
    def is_awaiting_review(self):
        if self.is_draft or not self.is_shared:
            return False
        return self.reviewed_at is None or bool(
            self.edited_at and self.edited_at > self.reviewed_at
        )

    @property
    def is_urgent(self):
        return self.has_crisis_language and self.is_awaiting_review

    @property
    def is_on_agenda(self):
        return self.is_shared and self.is_for_discussion and self.discussed_at is None

    @property
    def is_discarded(self):
        return self.discarded_at is not None

    @property
    def edit_count(self):
        """How many times the patient changed the entry after submitting it.

        Lists annotate `revision_count` (see `journal.selectors`); one entry counts its rows.
        """
        if self.edited_at is None:
            return 0
        counted = self.__dict__.get("revision_count")
        return counted if counted is not None else self.revisions.count()

    # --- Rules ---

    def clean(self):
        errors = {}
        if self.is_for_discussion and not self.is_shared:
            errors["is_for_discussion"] = _(
                "Your therapist can only bring an entry to the session if you share it. "
                "Choose “Share with my care team”, or untick this box."
            )
        unknown = set(self.experiences or []) - set(Experience.values)
        if not isinstance(self.experiences, list) or unknown:
            errors["experiences"] = _("Choose from the experiences listed.")
        if self.session_id and self.patient_id and self.session.patient_id != self.patient_id:
            errors["session"] = _("Choose one of your own sessions.")
        if errors:
            raise ValidationError(errors)

    def _derive_flags(self, now):
        self.has_crisis_language = crisis.has_crisis_language(self.all_text())
        if not self.is_shared:
            self.shared_at = None
        elif self.shared_at is None and self.submitted_at is not None:
            self.shared_at = now

    # --- Storing (journal.services decides when) ---

    def _store(self, *, submit):
        """Insert or update this draft, as a draft or (submit=True) as the finished entry.

        Returns False, changing nothing, if the row was submitted already: of two submits
        only one wins, and an autosave arriving after the submit cannot overwrite the entry.
        Raises IntegrityError if the key belongs to another patient's entry, and
        DraftDiscardedError if the patient discarded this draft: its words stay as they were.
        """
        now = timezone.now()
        submitted_at = now if submit else None
        if self._state.adding:
            try:
                with transaction.atomic():
                    self.submitted_at = submitted_at
                    self.updated_at = now
                    self.save(force_insert=True)
                return True
            except IntegrityError:
                self.submitted_at = None
                # The same draft key was stored a moment ago (a second tab, or a request
                # that crossed ours): carry on as an update of that row.
                stored = (
                    Entry.objects.filter(patient_id=self.patient_id, public_id=self.public_id)
                    .values("pk", "created_at")
                    .first()
                )
                if stored is None:
                    raise
                self.pk, self.created_at = stored["pk"], stored["created_at"]
                self._state.adding = False
        self.submitted_at = submitted_at
        self._derive_flags(now)
        attnames = [self._meta.get_field(name).attname for name in WRITTEN_FIELDS]
        values = {attname: getattr(self, attname) for attname in attnames}
        values.update(
            has_crisis_language=self.has_crisis_language,
            shared_at=self.shared_at,
            updated_at=now,
            submitted_at=submitted_at,
        )
        # Conditional update: only a draft changes, and never one the patient discarded.
        stored = Entry.objects.filter(
            pk=self.pk, submitted_at__isnull=True, discarded_at__isnull=True
        ).update(**values)
        if not stored:
            self.refresh_from_db()
            if self.is_discarded:
                raise DraftDiscardedError(self.public_id)
            return False
        self.updated_at = now
        return True


# --- Earlier versions ------------------------------------------------------------------


class EntryRevisionQuerySet(KeptQuerySet):
    """Earlier versions are written once and kept exactly as they were."""

    def update(self, **kwargs):
        raise KeptRecordError("Earlier versions of an entry never change.")

    def visible_to(self, user):
        from accounts.access import entry_revisions_visible_to

        return self & entry_revisions_visible_to(user)

    def oldest_first(self):
        return self.order_by("replaced_at", "pk")

    def newest_first(self):
        return self.order_by("-replaced_at", "-pk")


class EntryRevision(WrittenWords, models.Model):
    """What a submitted entry said before one of the patient's edits, kept as it was.

    Written by `journal.services.edit_entry` in the same transaction as the edit. Saving
    a draft is not a revision: only a change to a submitted entry is.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="revisions")
    # Every field the patient writes, as it was (see WRITTEN_FIELDS).
    session = models.ForeignKey(
        AdministrationSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(blank=True, max_length=ENTRY_MAX_CHARS)
    stood_out = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    emotions = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    body_sensations = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    insights = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    intention = models.TextField(blank=True, max_length=PROMPT_MAX_CHARS)
    mood = models.PositiveSmallIntegerField(null=True, blank=True)
    anxiety = models.PositiveSmallIntegerField(null=True, blank=True)
    experiences = models.JSONField(default=list, blank=True)
    experiences_other = models.CharField(blank=True, max_length=200)
    is_shared = models.BooleanField(default=False)
    is_for_discussion = models.BooleanField(default=False)
    # When the entry came to say this (its submission, or the edit before), and when the
    # patient's next edit replaced it.
    saved_at = models.DateTimeField(editable=False)
    replaced_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EntryRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["replaced_at", "pk"]
        indexes = [models.Index(fields=["entry", "replaced_at"], name="revision_entry_time")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        # Never the text: this string may reach logs and admin screens.
        return f"Earlier version {self.public_id} of journal entry {self.entry.public_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise KeptRecordError("Earlier versions of an entry never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise KeptRecordError("Earlier versions of an entry are kept, never deleted.")


# --- What the care team adds -----------------------------------------------------------


class Side(models.TextChoices):
    """Who wrote a message in the thread under an entry."""

    CARE_TEAM = "care_team", _("Care team")
    PATIENT = "patient", _("Patient")


class CommentQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import comments_visible_to

        return self & comments_visible_to(user)

    def from_care_team(self):
        return self.filter(author_side=Side.CARE_TEAM)

    def from_patient(self):
        return self.filter(author_side=Side.PATIENT)

    def unseen_by_patient(self):
        # The patient's own replies are never "new" to them.
        return self.from_care_team().filter(seen_by_patient_at__isnull=True)

    def unread_by_care_team(self):
        return self.from_patient().filter(read_by_care_team_at__isnull=True)

    def oldest_first(self):
        return self.order_by("created_at", "pk")


class Comment(KeptModel):
    """A message in the short thread under a shared entry.

    The care team writes first (a comment for the patient to read); the patient may
    answer, and the care team answer back. `author_side` says whose voice it is; a
    patient's message always answers one from the care team (`in_reply_to`). Each side
    has its own "seen" stamp: the patient sees the care team's words, the care team
    reads the patient's replies.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: what the care team wrote beside an entry stays with it.
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Every comment written before replies existed is the care team's: the default.
    author_side = models.CharField(max_length=10, choices=Side.choices, default=Side.CARE_TEAM)
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    body = models.TextField("comment", max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    seen_by_patient_at = models.DateTimeField(null=True, blank=True, editable=False)
    read_by_care_team_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["entry", "created_at"], name="comment_entry_time"),
            # The dashboard counts unread patient replies for every patient in a caseload;
            # they are few, so a partial index keeps that count from reading every comment.
            models.Index(
                fields=["entry"],
                condition=Q(author_side=Side.PATIENT, read_by_care_team_at__isnull=True),
                name="comment_unread_by_care_team",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author_side__in=Side.values), name="comment_side_known"
            ),
            # A patient answers their care team; they never start a thread on their own.
            models.CheckConstraint(
                condition=Q(author_side=Side.CARE_TEAM) | Q(in_reply_to__isnull=False),
                name="comment_patient_answers",
            ),
        ]
        triggers = [never_deleted()]

    def __str__(self):
        return f"Comment {self.public_id}"

    @property
    def is_from_patient(self):
        return self.author_side == Side.PATIENT


class ClinicalNoteQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import clinical_notes_visible_to

        return self & clinical_notes_visible_to(user)


class ClinicalNote(KeptModel):
    """A therapist's private note on an entry, for the care team only, never the patient."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="clinical_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    body = models.TextField("clinical note", max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClinicalNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        triggers = [never_deleted()]

    def __str__(self):
        return f"Clinical note {self.public_id}"


class EntryReadQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import entry_reads_visible_to

        return self & entry_reads_visible_to(user)


class EntryRead(KeptModel):
    """A therapist opened a patient's entry: who and when, shown to the patient."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="reads")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EntryReadQuerySet.as_manager()

    class Meta:
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["entry", "reader"], name="entry_read_entry_reader")]
        triggers = [never_deleted()]

    def __str__(self):
        return f"{self.reader} read entry {self.entry.public_id}"


# --- An intention before a session -----------------------------------------------------


class IntentionQuerySet(KeptQuerySet):
    def visible_to(self, user):
        from accounts.access import intentions_visible_to

        return self & intentions_visible_to(user)

    def pending(self):
        return self.filter(session__isnull=True)

    def attached(self):
        return self.filter(session__isnull=False)

    def newest_first(self):
        return self.order_by("-written_at", "-pk")


class Intention(KeptModel):
    """What the patient wants to bring into their next administration session.

    Written before the session and changed freely until the therapist records it; then
    `journal.services.record_session` attaches it to that session and it is frozen (on
    PostgreSQL a trigger refuses any change to an attached intention). One pending
    intention per patient at a time. Shared with the care team unless the patient says no.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intentions"
    )
    session = models.OneToOneField(
        AdministrationSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="intention",
    )
    body = models.TextField("what you want to bring", max_length=INTENTION_MAX_CHARS)
    is_shared = models.BooleanField("share with my care team", default=True)
    written_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = IntentionQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["patient", "-written_at"], name="intention_patient_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(session__isnull=True),
                name="intention_one_pending_per_patient",
            ),
        ]
        triggers = [
            never_deleted(),
            # Once it belongs to a session it is part of that session's record.
            pgtrigger.Protect(
                name="frozen_once_attached",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__session__isnull=False),
            ),
        ]

    def __str__(self):
        # Never the text: this string may reach logs and admin screens.
        return f"Intention {self.public_id}"

    @property
    def is_pending(self):
        return self.session_id is None

"""Informed consent: versioned documents, a patient's pass through one, and the signed record.

A published version never changes. Everything a patient does on the way to a signature
(opening and acknowledging sections, answering questions, signing, withdrawing) is kept
as append-only rows: the app, the admin and the API can add them, never change or delete
them. On PostgreSQL, database triggers refuse it too.
"""

import copy
import hashlib
import math
import uuid
from functools import cached_property

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from consent.rendering import section_passages, translated_anchor

WORDS_READ_PER_MINUTE = 150  # slow on purpose: anxious readers on small screens

# The language of a version's own fields. Other languages are ConsentTranslations.
ENGLISH = "en"
TRANSLATION_LANGUAGES = [("es", "Español")]

# Words the canonical (signed) text adds around the clinic's own, per language. Fixed here,
# not in the catalogue: a signed text must be rebuilt exactly, years later.
CANONICAL_WORDS = {
    "en": {"version": "version", "question": "Question"},
    "es": {"version": "versión", "question": "Pregunta"},
}


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete a record the clinic must keep as it is."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete are refused: these rows are part of a legal record."""

    def update(self, **kwargs):
        raise ImmutableRecordError(f"{self.model.__name__} records cannot be changed.")

    def delete(self):
        raise ImmutableRecordError(f"{self.model.__name__} records cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A row that is written once and then kept exactly as it is."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(f"{type(self).__name__} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{type(self).__name__} records cannot be deleted.")


class FrozenOncePublished(models.Model):
    """A row that may change while it is a draft, and never once it is published.

    Either the row has a status of its own (a version, a translation), or it belongs to
    one that does (`frozen_with` names that foreign key: a version's sections and change
    marks, a translation's sections). The stored status decides, never the one in memory:
    loading a published row and setting it back to draft does not unfreeze it. PostgreSQL
    enforces the same rule with a trigger on each table.
    """

    frozen_with = None  # the foreign key whose publication freezes this row, or None
    changed_message = ""
    deleted_message = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.is_frozen():
            raise ImmutableRecordError(self.changed_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise ImmutableRecordError(self.deleted_message)
        return super().delete(*args, **kwargs)

    def is_frozen(self):
        """Whether the stored row, or the one it belongs to, is published."""
        if self.frozen_with is None:
            model, pk = type(self), self.pk
        else:
            model = self._meta.get_field(self.frozen_with).related_model
            pk = getattr(self, f"{self.frozen_with}_id")
        return pk is not None and model.objects.published().filter(pk=pk).exists()


def _append_only_triggers():
    return [
        pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
    ]


def frozen_with_published_version(name, what):
    """A PostgreSQL trigger: rows of a published version (`what`) refuse UPDATE and DELETE.

    The database's own guard behind the models' save() and delete() checks, for anyone who
    reaches the tables without the app (a script, a console, a restored copy).
    """
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Update | pgtrigger.Delete,
        when=pgtrigger.Before,
        # Both names are constants from this module, never input, so the f-string is no
        # injection; the text must stay exactly so, or the migrations would see a change.
        func=f"""
                    IF EXISTS (
                        SELECT 1 FROM consent_consentversion
                        WHERE id = OLD.version_id AND status = 'published'
                    ) THEN
                        RAISE EXCEPTION '{what} of a published consent version never change';
                    END IF;
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    RETURN NEW;
                """,  # noqa: S608
    )


# --- The document -----------------------------------------------------------------


class ConsentVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ConsentVersion.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=ConsentVersion.Status.DRAFT)

    def current(self):
        """The version patients sign now: the newest published one."""
        return self.published().order_by("-number").first()


class ConsentVersion(FrozenOncePublished):
    """One wording of the clinic's consent. Drafts are edited; published versions never change."""

    changed_message = "A published consent version never changes."
    deleted_message = "A published consent version cannot be deleted."

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        PUBLISHED = "published", gettext_lazy("Published")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(
        help_text="Shown on the overview before the patient starts. Plain text or Markdown."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="drafts_based_on"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConsentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="published_versions_have_a_date",
            ),
        ]
        triggers = [
            # Publishing (draft to published) is the last change a version ever sees.
            pgtrigger.Protect(
                name="published_versions_never_change",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="published"),
            ),
        ]

    def __str__(self):
        return f"Version {self.number}: {self.title} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        if getattr(self, "text_language", ENGLISH) != ENGLISH:
            raise ImmutableRecordError("A version shown in translation is a copy: never saved.")
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def ordered_sections(self):
        translated = getattr(self, "translated_sections", None)
        if translated is not None:  # a copy in another language (`text_in`)
            return list(translated)
        return list(self.sections.order_by("position"))

    def canonical_text(self, sections=None, *, language=None):
        """The exact text a patient signs in `language`: every section with its question.

        English is the version's own fields; another language is its published (or, for a
        preview, draft) translation. The few words the text adds itself are fixed per
        language (CANONICAL_WORDS), never taken from the catalogue, so a signed text can
        always be rebuilt exactly.
        """
        sections = sections if sections is not None else self.ordered_sections()
        own = getattr(self, "text_language", ENGLISH)
        if language is not None and language != own:
            version, sections = self.text_in(language, sections)
            return version.canonical_text(sections)
        words = CANONICAL_WORDS[own]
        parts = [f"{self.title} ({words['version']} {self.number})", self.introduction.strip()]
        parts += [section.canonical_text() for section in sections]
        return "\n\n".join(parts) + "\n"

    def fingerprint(self, sections=None, *, language=None):
        """SHA-256 of the canonical text: proof, years later, of what exactly was signed."""
        text = self.canonical_text(sections, language=language)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # --- The text in other languages -------------------------------------------------

    def published_languages(self):
        """Languages a patient can read and sign this version in: English first."""
        return [ENGLISH, *self.translations.published().values_list("language", flat=True)]

    def reading_language(self, language):
        """The language a patient reads: theirs if published for this version, else English."""
        if (
            language
            and language != ENGLISH
            and self.translations.published().filter(language=language).exists()
        ):
            return language
        return ENGLISH

    def text_in(self, language, sections=None, *, drafts=False):
        """This version and its sections as read in `language`: copies holding its words.

        The copies keep every id, position and right answer, so forms, links and services
        work on them as on the originals; they cannot be saved. English returns the
        originals. Raises ConsentTranslation.DoesNotExist when no (published) text exists.
        """
        every_section = sections is None
        sections = sections if sections is not None else self.ordered_sections()
        if language == ENGLISH:
            return self, sections
        translations = self.translations.filter(language=language)
        if not drafts:
            translations = translations.published()
        translation = translations.get()
        texts = {t.section_id: t for t in translation.sections.all()}
        version = copy.copy(self)
        version.title, version.introduction = translation.title, translation.introduction
        version.text_language = language
        translated = [section.in_translation(texts.get(section.pk)) for section in sections]
        if every_section:
            version.translated_sections = translated
        return version, translated

    def estimated_minutes(self, sections=None):
        sections = sections if sections is not None else self.ordered_sections()
        words = sum(len(section.canonical_text().split()) for section in sections)
        return max(1, math.ceil(words / WORDS_READ_PER_MINUTE))

    def changed_section_slugs(self, since):
        """Slugs of sections that are new or worded differently from version `since`."""
        if since is None or since.pk == self.pk:
            return set()
        before = {s.slug: s.content_digest() for s in since.sections.all()}
        return {s.slug for s in self.sections.all() if before.get(s.slug) != s.content_digest()}


class ConsentSection(FrozenOncePublished):
    """One screen of a consent version, with an optional question to check understanding."""

    frozen_with = "version"
    changed_message = "Sections of a published version never change."
    deleted_message = "Sections of a published version cannot be deleted."

    version = models.ForeignKey(ConsentVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    slug = models.SlugField(
        max_length=80,
        help_text="Stays the same across versions, so changed sections can be marked.",
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text or Markdown (no HTML).")
    requires_acknowledgement = models.BooleanField(default=True)
    question_prompt = models.CharField(max_length=300, blank=True)
    question_choices = models.JSONField(default=list, blank=True)
    correct_choice = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Which choice is right, counting from 1."
    )
    question_explanation = models.TextField(
        blank=True, help_text="Shown after a wrong answer, before the patient tries again."
    )

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_section_position"),
            models.UniqueConstraint(fields=["version", "slug"], name="unique_section_slug"),
        ]
        triggers = [
            # Sections of a published version are frozen with it.
            frozen_with_published_version("published_sections_never_change", "Sections"),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    def save(self, *args, **kwargs):
        if getattr(self, "text_language", ENGLISH) != ENGLISH:
            raise ImmutableRecordError("A section shown in translation is a copy: never saved.")
        super().save(*args, **kwargs)

    @property
    def has_question(self):
        return bool(self.question_prompt)

    @property
    def numbered_choices(self):
        return list(enumerate(self.question_choices, start=1))

    def is_right_answer(self, choice):
        return self.has_question and choice == self.correct_choice

    def clean(self):
        if self.version_id and self.version.is_published:
            raise ValidationError("Sections of a published version never change.")
        if not self.question_prompt:
            if self.question_choices or self.correct_choice or self.question_explanation:
                raise ValidationError(
                    {"question_prompt": "Write the question, or clear its choices and answer."}
                )
            return
        choices = self.question_choices
        if not isinstance(choices, list) or not all(
            isinstance(c, str) and c.strip() for c in choices
        ):
            raise ValidationError({"question_choices": "Choices must be a list of short texts."})
        if not 2 <= len(choices) <= 4:
            raise ValidationError({"question_choices": "A question needs 2 to 4 choices."})
        if self.correct_choice is None or not 1 <= self.correct_choice <= len(choices):
            raise ValidationError(
                {"correct_choice": f"Pick the right choice: a number from 1 to {len(choices)}."}
            )
        if not self.question_explanation.strip():
            raise ValidationError(
                {"question_explanation": "Explain the right answer for a patient who missed it."}
            )

    def in_translation(self, text):
        """A copy of this section holding `text` (a SectionTranslation)'s words.

        A section left untranslated in a draft keeps its English words in the copy.
        """
        section = copy.copy(self)
        section.english = self
        section.text_language = text.translation.language if text else ENGLISH
        if text is not None:
            section.title, section.body = text.title, text.body
            section.question_prompt = text.question_prompt
            section.question_choices = list(text.question_choices)
            section.question_explanation = text.question_explanation
        return section

    def canonical_text(self):
        words = CANONICAL_WORDS[getattr(self, "text_language", ENGLISH)]
        parts = [f"{self.position}. {self.title}", self.body.strip()]
        if self.has_question:
            parts.append(f"{words['question']}: {self.question_prompt}")
            parts += [f"  ({number}) {choice}" for number, choice in self.numbered_choices]
        return "\n\n".join(parts)

    @property
    def word_count(self):
        return len(self.canonical_text().split())

    @property
    def fast_reading_seconds(self):
        """Seconds its words take at the pace above which reading counts as skimming."""
        return math.ceil(self.word_count * 60 / settings.CONSENT_FAST_READING_WORDS_PER_MINUTE)

    def content_digest(self):
        """What the patient reads here, ignoring its place in the order."""
        content = "\x1f".join([self.title, self.body, self.question_prompt, *self.question_choices])
        return hashlib.sha256(content.encode("utf-8")).hexdigest()


class SectionChangeQuerySet(models.QuerySet):
    def material(self):
        return self.filter(kind=SectionChange.Kind.MATERIAL)


class SectionChange(FrozenOncePublished):
    """How the clinic marked one section that changed in a version, and why.

    Compared with the version published before it, matched by slug: a new, reworded or
    removed section. Material sends patients who signed before back to read it and sign
    again; cosmetic (wording only) is shown once as "What's new". Frozen with its version.
    """

    frozen_with = "version"
    changed_message = "Change marks of a published version never change."
    deleted_message = "Change marks of a published version cannot be deleted."

    class Kind(models.TextChoices):
        MATERIAL = "material", gettext_lazy("Material: patients read it again and sign again")
        COSMETIC = "cosmetic", gettext_lazy("Cosmetic: wording only, patients are told what's new")

    version = models.ForeignKey(
        ConsentVersion, on_delete=models.CASCADE, related_name="section_changes"
    )
    slug = models.SlugField(
        max_length=80,
        help_text="The changed section's slug (for a removed section, its slug before).",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.CharField(
        max_length=300, help_text='In plain words: patients read it in "What\'s new".'
    )
    marked_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SectionChangeQuerySet.as_manager()

    class Meta:
        ordering = ["version", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="one_mark_per_section"),
            models.CheckConstraint(
                condition=Q(kind__in=["material", "cosmetic"]), name="section_change_kind"
            ),
        ]
        triggers = [
            # Marks of a published version are frozen with it.
            frozen_with_published_version("published_marks_never_change", "Change marks"),
        ]

    def __str__(self):
        return f"{self.slug}: {self.kind}"

    @property
    def is_material(self):
        return self.kind == self.Kind.MATERIAL


# --- The text in another language ------------------------------------------------------


class ConsentTranslationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ConsentTranslation.Status.PUBLISHED)


class ConsentTranslation(FrozenOncePublished):
    """A version's whole text in another language: its own published text, signed as written.

    English lives in the version's own fields. A translation is drafted and published on
    its own, for a draft or a published version; once published it never changes, like a
    published version. The version stays the unit of consent: a patient who signed
    version 1 in English has signed version 1, whatever language they read in later.
    """

    changed_message = "A published translation never changes."
    deleted_message = "A published translation cannot be deleted."

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    version = models.ForeignKey(
        ConsentVersion, on_delete=models.PROTECT, related_name="translations"
    )
    language = models.CharField(max_length=8, choices=TRANSLATION_LANGUAGES)
    title = models.CharField(max_length=200)
    introduction = models.TextField(help_text="Shown on the overview. Plain text or Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ConsentTranslationQuerySet.as_manager()

    class Meta:
        ordering = ["version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="one_translation_per_language"
            ),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="published_translations_have_a_date",
            ),
        ]
        triggers = [
            # Publishing (draft to published) is the last change a translation ever sees.
            pgtrigger.Protect(
                name="published_translations_never_change",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="published"),
            ),
        ]

    def __str__(self):
        return f"Version {self.version.number} in {self.get_language_display()} ({self.status})"

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class SectionTranslation(FrozenOncePublished):
    """One section's words in a translation: title, body and question. Frozen with it.

    The right answer is the section's own (`correct_choice`): a translation gives the same
    choices, in the same order, in its language.
    """

    frozen_with = "translation"
    changed_message = "Sections of a published translation never change."
    deleted_message = "Sections of a published translation cannot be deleted."

    translation = models.ForeignKey(
        ConsentTranslation, on_delete=models.CASCADE, related_name="sections"
    )
    section = models.ForeignKey(ConsentSection, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text or Markdown (no HTML).")
    question_prompt = models.CharField(max_length=300, blank=True)
    question_choices = models.JSONField(default=list, blank=True)
    question_explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["translation", "section__position"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "section"], name="one_text_per_section"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="published_section_texts_never_change",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func="""
                    IF EXISTS (
                        SELECT 1 FROM consent_consenttranslation
                        WHERE id = OLD.translation_id AND status = 'published'
                    ) THEN
                        RAISE EXCEPTION 'Sections of a published translation never change';
                    END IF;
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.section.position}. {self.title}"

    def clean(self):
        if self.translation_id and self.translation.is_published:
            raise ValidationError("Sections of a published translation never change.")
        if (
            self.section_id
            and self.translation_id
            and self.section.version_id != self.translation.version_id
        ):
            raise ValidationError("That section belongs to another version.")
        if not self.section_id:
            return
        section = self.section
        if bool(self.question_prompt) != section.has_question:
            raise ValidationError(
                {"question_prompt": "Translate the question exactly when the section has one."}
            )
        if section.has_question:
            choices = self.question_choices
            if not isinstance(choices, list) or not all(
                isinstance(c, str) and c.strip() for c in choices
            ):
                raise ValidationError(
                    {"question_choices": "Choices must be a list of short texts."}
                )
            if len(choices) != len(section.question_choices):
                raise ValidationError(
                    {
                        "question_choices": f"Give the same {len(section.question_choices)} "
                        "choices as the English question, in the same order."
                    }
                )
            if not self.question_explanation.strip():
                raise ValidationError({"question_explanation": "Translate the explanation."})
        elif self.question_choices or self.question_explanation:
            raise ValidationError(
                {"question_choices": "This section has no question: leave these empty."}
            )


# --- A patient's consent ------------------------------------------------------------


class ConsentQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        from accounts.access import consents_visible_to

        return self & consents_visible_to(user)

    def with_record(self):
        return self.select_related("version", "signature", "withdrawal", "patient")

    def unfinished(self):
        return self.filter(signature__isnull=True)

    def signed(self):
        return self.filter(signature__isnull=False)


class Consent(AppendOnlyModel):
    """One patient's pass through one consent version, from the first section to signing.

    A patient who withdraws and consents again, or who re-consents to a new version,
    starts a new Consent: every earlier one stays on record as it was.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents"
    )
    version = models.ForeignKey(ConsentVersion, on_delete=models.PROTECT, related_name="consents")
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    renews = models.ForeignKey(
        "Signature",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        help_text="The earlier signature this pass renews after a material change: the "
        "sections that did not change are carried over from it.",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        triggers = _append_only_triggers()

    def __str__(self):
        return f"{self.patient} — consent version {self.version.number}"

    @property
    def is_signed(self):
        return hasattr(self, "signature")

    @property
    def is_withdrawn(self):
        return hasattr(self, "withdrawal")

    def acknowledged_sections(self):
        return {
            a.section_id: a for a in self.acknowledgements.all() if a.acknowledged_at is not None
        }

    @cached_property
    def carried_over_section_ids(self):
        """Sections the patient need not read again: carried over from the signature renewed.

        Written once, when the pass starts, so it is safe to keep for the request.
        """
        if self.renews_id is None:
            return frozenset()
        return frozenset(c.section_id for c in self.carried_over.all())

    def sections_to_read(self, sections=None):
        """The sections of this pass: all of them, or only those materially changed."""
        sections = sections if sections is not None else self.version.ordered_sections()
        carried = self.carried_over_section_ids
        return [s for s in sections if s.pk not in carried]

    def next_section(self, sections=None):
        """The first section to read not yet acknowledged, or None when all are done."""
        done = self.acknowledged_sections()
        return next((s for s in self.sections_to_read(sections) if s.pk not in done), None)

    def has_passed_question(self, section):
        if not section.has_question:
            return True
        return self.quiz_attempts.filter(section=section, is_correct=True).exists()


class AcknowledgementQuerySet(AppendOnlyQuerySet):
    def stamp_acknowledged(self, when):
        """The one change an acknowledgement may see: its time, set once."""
        return models.QuerySet.update(
            self.filter(acknowledged_at__isnull=True), acknowledged_at=when
        )


class Acknowledgement(models.Model):
    """When a patient first opened a section and when they acknowledged it.

    Written in two steps (opened, then acknowledged) and never changed after that.
    """

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="acknowledgements")
    section = models.ForeignKey(ConsentSection, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["section__position"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "section"], name="one_acknowledgement"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | Q(acknowledged_at__gte=models.F("opened_at")),
                name="acknowledged_after_opened",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
            # The only change allowed is the one-time stamp of acknowledgement.
            pgtrigger.Protect(
                name="acknowledged_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__acknowledged_at__isnull=False)
                | pgtrigger.Q(new__acknowledged_at__isnull=True)
                | pgtrigger.Q(old__opened_at__df=pgtrigger.F("new__opened_at"))
                | pgtrigger.Q(old__consent_id__df=pgtrigger.F("new__consent_id"))
                | pgtrigger.Q(old__section_id__df=pgtrigger.F("new__section_id")),
            ),
        ]

    def __str__(self):
        return f"{self.consent.patient} acknowledged {self.section}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Acknowledgements cannot be deleted.")

    @property
    def seconds_open(self):
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.opened_at).total_seconds())

    @property
    def was_read_quickly(self):
        """Acknowledged sooner than its words can be read (CONSENT_FAST_READING_WORDS_PER_MINUTE).

        A hint for the therapist to talk the section through, not proof of anything: the
        patient may have read it before, or on paper.
        """
        seconds = self.seconds_open
        return seconds is not None and seconds < self.section.fast_reading_seconds


class QuizAttempt(AppendOnlyModel):
    """One answer to a section's question, right or wrong: every attempt is kept."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="quiz_attempts")
    section = models.ForeignKey(ConsentSection, on_delete=models.PROTECT, related_name="+")
    choice = models.PositiveSmallIntegerField()
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at", "id"]
        triggers = _append_only_triggers()

    def __str__(self):
        verdict = "right" if self.is_correct else "wrong"
        return f"{verdict} answer to {self.section}"


class CarriedOverSection(AppendOnlyModel):
    """A section a re-consenting patient did not read again: unchanged, or changed only in
    wording, since the signature their pass renews (`Consent.renews`). Sealed with the
    new signature, so the record shows what was read now and what was carried over."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="carried_over")
    section = models.ForeignKey(ConsentSection, on_delete=models.PROTECT, related_name="+")
    carried_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section__position"]
        constraints = [
            models.UniqueConstraint(fields=["consent", "section"], name="carried_over_once"),
        ]
        triggers = _append_only_triggers()

    def __str__(self):
        return f"{self.section} carried over"


class WhatsNewSeen(AppendOnlyModel):
    """A patient saw "What's new" in a version that changed only in wording for them."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="whats_new_seen"
    )
    version = models.ForeignKey(ConsentVersion, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="whats_new_seen_once"),
        ]
        triggers = _append_only_triggers()

    def __str__(self):
        return f"{self.patient} saw what's new in version {self.version.number}"


# What signing means. Part of the signed record, so it is fixed here per language (below),
# never read from the translation catalogue, whose wording may change.
SIGNATURE_MEANING = (
    "By typing my full name, I sign this consent. I confirm that I read each section of "
    '"{title}" (version {number}), that I could ask my care team questions, that I understand '
    "the risks and side effects it describes, and that I agree to take part in "
    "ketamine-assisted psychotherapy at {clinic}. I know that taking part is my choice and "
    "that I can withdraw my consent at any time."
)

# The statement signed, per language: fixed here (not in the catalogue), like the text.
SIGNATURE_MEANINGS = {
    "en": SIGNATURE_MEANING,
    "es": (
        "Al escribir mi nombre completo, firmo este consentimiento. Confirmo que leí cada "
        'sección de "{title}" (versión {number}), que pude hacer preguntas a mi equipo de '
        "atención, que entiendo los riesgos y los efectos secundarios que describe, y que "
        "acepto participar en la psicoterapia asistida con ketamina en {clinic}. Sé que "
        "participar es mi decisión y que puedo retirar mi consentimiento en cualquier momento."
    ),
}


class Signature(AppendOnlyModel):
    """A signed consent: who, when, what exactly (text and fingerprint), and from where.

    Also how the patient proved who they were when signing (21 CFR 11.200), and a seal:
    a keyed HMAC over the whole record, acknowledgements and answers included (11.70),
    made with a key from the environment (SIGNATURE_KEYS) that the database never holds.
    `consent.seals` makes and checks it.
    """

    class ConfirmedBy(models.TextChoices):
        PASSWORD = "password", gettext_lazy("password")
        PASSWORD_AND_CODE = "password_and_code", gettext_lazy("password and two-factor code")
        NOT_ASKED = (
            "not_asked",
            gettext_lazy("not asked (signed before the app asked for the password)"),
        )

    class SealedWhen(models.TextChoices):
        AT_SIGNING = "at_signing", gettext_lazy("when it was signed")
        BY_MIGRATION = "by_migration", gettext_lazy("later, by a migration, not when it was signed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="signature")
    typed_name = models.CharField(max_length=300)
    signer_email = models.EmailField(
        max_length=254, help_text="The patient's email address when they signed."
    )
    meaning = models.TextField(help_text="The statement the patient confirmed when signing.")
    signed_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(
        max_length=8, default=ENGLISH, help_text="The language of the text signed (en, es...)."
    )
    signed_text = models.TextField(help_text="Every section's text exactly as signed.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the signed text.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    identity_confirmed_by = models.CharField(max_length=20, choices=ConfirmedBy.choices)
    identity_confirmed_at = models.DateTimeField(null=True, blank=True)
    seal_key_id = models.CharField(
        max_length=40, help_text="Which of SIGNATURE_KEYS made the seal (the key is never stored)."
    )
    seal = models.CharField(max_length=64, help_text="HMAC-SHA256 of the whole record.")
    sealed_at = models.DateTimeField()
    sealed_when = models.CharField(max_length=20, choices=SealedWhen.choices)

    class Meta:
        ordering = ["-signed_at"]
        constraints = [
            # Every signature carries a seal from the moment it is stored.
            models.CheckConstraint(
                condition=~Q(seal="") & ~Q(seal_key_id=""), name="signatures_are_sealed"
            ),
        ]
        triggers = _append_only_triggers()

    def __str__(self):
        return f"Signature of {self.typed_name} on version {self.consent.version.number}"

    @property
    def text_is_intact(self):
        """True when the kept text still matches its fingerprint."""
        return hashlib.sha256(self.signed_text.encode("utf-8")).hexdigest() == self.fingerprint

    @property
    def is_sealed_at_signing(self):
        return self.sealed_when == self.SealedWhen.AT_SIGNING


class Withdrawal(AppendOnlyModel):
    """A patient taking back a signed consent, with their reason if they gave one."""

    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-withdrawn_at"]
        triggers = _append_only_triggers()

    def __str__(self):
        return f"Withdrawal of {self.consent}"


class CareTeamQuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.access import consent_questions_visible_to

        return self & consent_questions_visible_to(user)

    def open(self):
        return self.filter(answered_at__isnull=True)


class CareTeamQuestion(models.Model):
    """A question a patient asks their care team about a consent section."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="questions")
    section = models.ForeignKey(ConsentSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=2000)
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CareTeamQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False, answered_by__isnull=False),
                name="answers_have_an_author_and_time",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="never_deleted", operation=pgtrigger.Delete),
        ]

    def __str__(self):
        return f"Question about {self.section}"

    @property
    def is_answered(self):
        return self.answered_at is not None


# --- Where a wrong answer sends the patient ------------------------------------------


class QuestionPassage(models.Model):
    """The passage of a section that its question tests: a wrong answer links back to it.

    Kept beside the section, not in it: which passage a question points at is help for the
    reader, not words anyone signs. Neither the fingerprint nor a signature's seal covers
    it, so shipping a link for a signed version's question leaves every record verifiable.
    """

    section = models.OneToOneField(
        ConsentSection, on_delete=models.CASCADE, related_name="question_passage"
    )
    anchor = models.CharField(
        max_length=80, help_text="The id of a passage of the section's text, like passage-..."
    )

    def __str__(self):
        return f"{self.section}: #{self.anchor}"

    def anchor_in(self, section):
        """This passage's id in `section` as read (a translated copy keeps the passage order).

        Passage ids come from a passage's first words, so a translation has its own; the
        passage is found by its place in the English text instead. "" when a translation
        does not keep the passages one for one.
        """
        english = getattr(section, "english", None)
        if english is None or english.body == section.body:
            return self.anchor
        return translated_anchor(self.anchor, english.body, section.body)

    def clean(self):
        if not self.section.has_question:
            raise ValidationError({"anchor": "Only a section with a question links to a passage."})
        if self.anchor not in {p.anchor for p in section_passages(self.section.body)}:
            raise ValidationError(
                {
                    "anchor": "That passage is not in the section's text (was it reworded?). "
                    "Pick the passage again."
                }
            )

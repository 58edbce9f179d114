"""Validated measures: published questionnaires as data, schedules, answers and alerts.

A measure (PHQ-9, say) has versions. A version holds everything that makes the
questionnaire what it is, as data: its items word for word, its answer scale, its
severity bands, the answers that alert the care team, its reliable-change threshold and
its attribution. A published version never changes (the app refuses, and on PostgreSQL
a trigger refuses too); new wording is a new version. A clinic adds a measure with
`manage.py load_measure <file.json>`, without code.

A patient's answers are a `MeasureResponse`: a draft, private to the patient, saved on
every answer, until they submit it; then it is scored and never changes. Who may see
what is decided in `accounts.access`; `visible_to(user)` is the one way to load these rows.
"""

import uuid

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class RecordKeptError(Exception):
    """Raised when code tries to change a published version or a submitted response."""


def _protected(name, operation, condition=None):
    if condition is None:
        return pgtrigger.Protect(name=name, operation=operation)
    return pgtrigger.Protect(name=name, operation=operation, condition=condition)


# --- The questionnaires ----------------------------------------------------------------


class MeasureQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("position", "code")


class Measure(models.Model):
    """One questionnaire the clinic uses, whatever its version: what a schedule points at."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A short, stable name for code and files ("phq9"); patients never see it.
    code = models.SlugField(max_length=30, unique=True)
    # The name people know it by ("PHQ-9"), from its newest version.
    name = models.CharField(max_length=40)
    # Where it comes in lists (the therapist's page, the API).
    position = models.PositiveSmallIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class MeasureVersionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("measure_id", "-number")

    def current_for(self, measure):
        """The version patients answer now: the newest one."""
        return self.filter(measure=measure).order_by("-number").first()


class MeasureVersion(models.Model):
    """One published wording of a measure, with its scale, scoring and rules. Never changes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    # What it asks about, in plain words ("depression"), for the therapist.
    topic = models.CharField(max_length=80)
    # The question every item answers ("Over the last 2 weeks, how often have you been
    # bothered by any of the following problems?").
    instructions = models.TextField()
    # The items, in order, word for word as published: ["Little interest or ...", ...].
    items = models.JSONField()
    # The answers, in order: [{"value": 0, "label": "Not at all"}, ...].
    scale = models.JSONField()
    # Severity by total score, covering every total: [{"min": 0, "max": 4, "label": ...}].
    bands = models.JSONField()
    # Answers the care team is alerted to: [{"item": 9, "at_least": 1, "notice": ...}],
    # the notice being what the patient reads before they start.
    alert_items = models.JSONField(default=list, blank=True)
    # A change of at least this many points between two totals is a reliable change.
    reliable_change = models.PositiveSmallIntegerField(null=True, blank=True)
    # The highest total possible (items times the highest answer), kept for lists and charts.
    max_score = models.PositiveSmallIntegerField(editable=False)
    minutes = models.PositiveSmallIntegerField(default=3)
    attribution = models.TextField()
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MeasureVersionQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="measure_version_once"),
        ]
        triggers = [
            _protected("published_never_changes", pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.name} version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordKeptError("A published measure never changes: load a new version.")
        self.max_score = len(self.items) * max(choice["value"] for choice in self.scale)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordKeptError("A published measure is kept: patients answered it.")

    # --- What it is, worked out from the data ---

    @property
    def item_count(self):
        return len(self.items)

    @property
    def values(self):
        return [choice["value"] for choice in self.scale]

    def item_text(self, position):
        return self.items[position - 1]

    def label_for(self, value):
        return next((c["label"] for c in self.scale if c["value"] == value), "")

    def score(self, answers):
        """The total score: the sum of every item's answer. `answers` maps position to value."""
        return sum(int(value) for value in answers.values())

    def band_for(self, total):
        """The severity band ({"min", "max", "label"}) this total falls in."""
        return next((b for b in self.bands if b["min"] <= total <= b["max"]), None)

    def flagged_items(self, answers):
        """The positions whose answer alerts the care team, by the version's alert rules."""
        flagged = []
        for rule in self.alert_items:
            value = answers.get(str(rule["item"]))
            if value is not None and int(value) >= rule["at_least"]:
                flagged.append(rule["item"])
        return flagged

    @property
    def alert_notices(self):
        return [rule["notice"] for rule in self.alert_items if rule.get("notice")]

    def is_reliable_change(self, change):
        return self.reliable_change is not None and abs(change) >= self.reliable_change


# --- Schedules -------------------------------------------------------------------------


class ScheduleMode(models.TextChoices):
    OFF = "off", _("Off")
    EVERY_DAYS = "every_days", _("Every N days")
    AFTER_SESSIONS = "after_sessions", _("After every K sessions")


INTERVAL_MAX = 365


class MeasureScheduleQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.access import measure_schedules_visible_to

        return self & measure_schedules_visible_to(user)

    def on(self):
        return self.exclude(mode=ScheduleMode.OFF)


class MeasureSchedule(models.Model):
    """When a patient is asked to answer a measure, set by a therapist in their care.

    On: due once before anything else (the baseline, before the first session), then
    again every `interval` days, or after every `interval` administration sessions,
    counted from the patient's last submitted answers.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="measure_schedules",
        limit_choices_to={"role": Role.PATIENT},
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="schedules")
    mode = models.CharField(max_length=20, choices=ScheduleMode.choices, default=ScheduleMode.OFF)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MeasureScheduleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "measure"], name="one_schedule_per_measure"),
            models.CheckConstraint(
                condition=Q(mode__in=ScheduleMode.values), name="schedule_mode_known"
            ),
            models.CheckConstraint(
                condition=Q(mode=ScheduleMode.OFF) | Q(interval__gte=1, interval__lte=INTERVAL_MAX),
                name="schedule_on_has_interval",
            ),
        ]

    def __str__(self):
        return f"{self.measure} schedule for {self.patient}"

    @property
    def is_on(self):
        return self.mode != ScheduleMode.OFF


# --- A patient's answers -----------------------------------------------------------------


class MeasureResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.access import measure_responses_visible_to

        return self & measure_responses_visible_to(user)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)

    def of(self, patient):
        return self.filter(patient=patient)


class MeasureResponse(models.Model):
    """A patient's answers to one version of a measure: a draft, then submitted and scored.

    The draft is the patient's own (nobody else sees it) and keeps every answer as it is
    given, so they can stop and come back. Submitted answers never change.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="measure_responses",
        limit_choices_to={"role": Role.PATIENT},
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(MeasureVersion, on_delete=models.PROTECT, related_name="responses")
    # {"1": 0, "2": 3, ...}: item position (as text, JSON's keys) to the value chosen.
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    total_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    band = models.CharField(max_length=60, blank=True, editable=False)
    # The occurrence of the schedule this answered ("phq9:baseline"), if it was due.
    due_key = models.CharField(max_length=120, blank=True, editable=False)

    objects = MeasureResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["patient", "measure", "-submitted_at"], name="response_latest"),
            models.Index(fields=["patient", "-started_at"], name="response_patient_time"),
        ]
        constraints = [
            # One draft per measure: "start" twice resumes the same one.
            models.UniqueConstraint(
                fields=["patient", "measure"],
                condition=Q(submitted_at__isnull=True),
                name="one_draft_per_measure",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(total_score__isnull=False),
                name="submitted_response_is_scored",
            ),
        ]
        triggers = [
            _protected(
                "submitted_never_changes",
                pgtrigger.Update,
                condition=pgtrigger.Q(old__submitted_at__isnull=False),
            ),
            _protected("never_deleted", pgtrigger.Delete),
        ]

    def __str__(self):
        # Never the answers: this string may reach logs and admin screens.
        state = "draft" if self.is_draft else "response"
        return f"{self.measure} {state} {self.public_id}"

    def save(self, *args, **kwargs):
        # Services change drafts with conditional updates; a saved row that was submitted
        # is refused here (and on PostgreSQL by a trigger too).
        if (
            not self._state.adding
            and type(self).objects.filter(pk=self.pk, submitted_at__isnull=False).exists()
        ):
            raise RecordKeptError("Submitted answers never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordKeptError("Answers to a measure are kept, never deleted.")

    @property
    def is_draft(self):
        return self.submitted_at is None

    def answer_rows(self):
        """Each answer given, in question order: position, question, value, and the answer
        in words (the patient's own copy lists them so)."""
        version = self.version
        return [
            {
                "position": position,
                "question": version.item_text(position),
                "value": value,
                "answer": version.label_for(value),
            }
            for position, value in sorted((int(k), v) for k, v in self.answers.items())
        ]

    def answer_to(self, position):
        value = self.answers.get(str(position))
        return None if value is None else int(value)

    @property
    def answered_count(self):
        return len(self.answers)

    def first_unanswered(self):
        """The position of the first item without an answer, or None when all have one."""
        for position in range(1, self.version.item_count + 1):
            if str(position) not in self.answers:
                return position
        return None

    @property
    def flagged_items(self):
        return self.version.flagged_items(self.answers)

    @property
    def has_flagged_answer(self):
        return bool(self.flagged_items)

    def answered_items(self):
        """(position, item text, value, label) for every item, unanswered ones with None."""
        rows = []
        for position, text in enumerate(self.version.items, start=1):
            value = self.answer_to(position)
            label = self.version.label_for(value) if value is not None else ""
            rows.append((position, text, value, label))
        return rows


# --- Alerts for the care team --------------------------------------------------------------


class MeasureAlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.access import measure_alerts_visible_to

        return self & measure_alerts_visible_to(user)

    def open(self):
        return self.filter(acknowledged_at__isnull=True)


class MeasureAlert(models.Model):
    """A submitted answer that a measure's rules flag (PHQ-9 item 9 above 0): the patient
    is urgent on their therapists' dashboard until one of them acknowledges it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.OneToOneField(MeasureResponse, on_delete=models.PROTECT, related_name="alert")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="measure_alerts"
    )
    # The positions of the flagged items, e.g. [9].
    items = models.JSONField(default=list)
    raised_at = models.DateTimeField(default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = MeasureAlertQuerySet.as_manager()

    class Meta:
        ordering = ["raised_at"]
        indexes = [models.Index(fields=["patient", "acknowledged_at"], name="alert_patient_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="acknowledged_alert_says_by_whom",
            ),
        ]
        triggers = [_protected("never_deleted", pgtrigger.Delete)]

    def __str__(self):
        return f"Measure alert {self.public_id}"

    def delete(self, *args, **kwargs):
        raise RecordKeptError("Alerts are kept, never deleted.")

    @property
    def is_open(self):
        return self.acknowledged_at is None

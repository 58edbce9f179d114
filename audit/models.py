"""The audit trail: one append-only row per event, each carrying the hash of the one before.

An event says who (the actor, and the email they used), what (a kind, and the public id of
the object it touched, never a patient's words), about whom (the patient whose record it
is), when, and from where (the client address, read through the trusted proxies). Rows are
never changed or deleted: the app refuses, and on PostgreSQL a trigger refuses too. The
chain of hashes makes an edit, a deletion or a gap visible to `manage.py verify_audit`.
"""

import hashlib
import json
from datetime import UTC

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditTrailError(Exception):
    """Raised when code tries to change or delete an audit event."""


class Kind(models.TextChoices):
    LOGIN_SUCCEEDED = "login.succeeded", "Logged in"
    LOGIN_FAILED = "login.failed", "Login refused"
    LOCKED_OUT = "login.locked_out", "Locked out after failed logins"
    LOGGED_OUT = "logout", "Logged out"
    IDLE_LOGOUT = "logout.idle", "Logged out after idle time"
    PASSWORD_CHANGED = "password.changed", "Password changed"
    PASSWORD_RESET = "password.reset", "Password reset"
    TWO_FACTOR_ADDED = "two_factor.added", "Two-factor added"
    TWO_FACTOR_REMOVED = "two_factor.removed", "Two-factor removed"
    RECOVERY_CODES_RESET = "two_factor.codes_reset", "Recovery codes renewed"
    TOKEN_ISSUED = "token.issued", "App token issued"
    TOKEN_REVOKED = "token.revoked", "App token revoked"
    INVITATION_SENT = "invitation.sent", "Invitation sent"
    INVITATION_ACCEPTED = "invitation.accepted", "Invitation accepted"
    EMAIL_CHANGED = "account.email_changed", "Email address changed"
    ACCOUNT_DEACTIVATED = "account.deactivated", "Account deactivated"
    CONSENT_STARTED = "consent.started", "Consent started"
    CONSENT_SIGNED = "consent.signed", "Consent signed"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent withdrawn"
    VERSION_PUBLISHED = "consent_version.published", "Consent version published"
    CONSENT_RECORD_VIEWED = "consent_record.viewed", "Consent record viewed"
    CONSENT_COPY_VIEWED = "consent_copy.viewed", "Signed copy viewed"
    CONSENT_PDF_VIEWED = "consent_pdf.viewed", "Signed copy downloaded as PDF"
    WHATS_NEW_SEEN = "consent_whats_new.seen", "What's new in the consent seen"
    ENTRY_VIEWED = "entry.viewed", "Journal entry read"
    ENTRIES_LISTED = "entries.listed", "Journal entries listed"
    AGENDA_VIEWED = "agenda.viewed", "Integration agenda viewed"
    MEASURE_SUBMITTED = "measure.submitted", "Measure answered"
    MEASURES_VIEWED = "measures.viewed", "Measure answers viewed"
    MEASURE_SCHEDULE_SET = "measure_schedule.set", "Measure schedule set"
    MEASURE_ALERT_ACKNOWLEDGED = "measure_alert.acknowledged", "Measure alert acknowledged"
    EXPORTED = "export.downloaded", "Data exported"
    FHIR_EXPORTED = "export.fhir", "Exported for a clinic's record system (FHIR)"
    REMINDERS_CHANGED = "reminders.changed", "Email reminders changed"
    REMINDER_UNSUBSCRIBED = "reminders.unsubscribed", "Reminder turned off from an email"
    ADMIN_CHANGED = "admin.changed", "Changed in the admin"


# What counts as someone looking at a patient's words, shown to the patient.
LOOKING_KINDS = (Kind.ENTRY_VIEWED, Kind.ENTRIES_LISTED, Kind.AGENDA_VIEWED)

GENESIS_HASH = "0" * 64


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailError("Audit events cannot be changed.")

    def delete(self):
        raise AuditTrailError("Audit events cannot be deleted.")

    def in_order(self):
        return self.order_by("sequence")

    def about(self, patient):
        return self.filter(patient=patient)

    def by(self, actor):
        return self.filter(actor=actor)

    def looks_at_words(self):
        return self.filter(kind__in=LOOKING_KINDS)


class AuditEvent(models.Model):
    """One thing that happened, kept as it was, linked to the event before it."""

    # 1, 2, 3... with no gaps: a missing number is a deleted event.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The address the actor used (or typed, for a refused login), as it was at the time.
    actor_email = models.CharField(max_length=254, blank=True)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Small facts about the event (a count, a format, a field name): never a patient's words.
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailError("Audit events cannot be deleted.")

    def canonical(self):
        """Every stored fact of the event, in a fixed form, for its hash."""
        facts = {
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.astimezone(UTC).isoformat(),
            "kind": self.kind,
            "actor": self.actor_id,
            "actor_email": self.actor_email,
            "patient": self.patient_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "detail": self.detail,
            "previous_hash": self.previous_hash,
        }
        return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self):
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()

"""Who turned which reminder off, and which reminders were sent (so each goes once)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderOptOutQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)


class ReminderOptOut(models.Model):
    """A person turned one kind of reminder off. Every kind is on until they do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    # A key of reminders.kinds.KINDS; not choices, so a new kind needs no migration.
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReminderOptOutQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind} off"


class SentReminder(models.Model):
    """The ledger: this reminder was queued for this person, about this occurrence.

    The unique constraint is what sends a reminder once: two schedulers running at the
    same moment both try to insert the row, and only one of them can.
    """

    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    # What it is about, in the kind's own terms: a session's public id, a local date.
    occurrence_key = models.CharField(max_length=64)
    # Where the email's button leads: a path in the app, never words.
    link_path = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "occurrence_key"], name="each_reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="sent_reminder_created")]

    def __str__(self):
        return f"{self.kind} {self.occurrence_key}"

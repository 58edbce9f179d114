"""Every change to reminders: finding and queueing what is due, and turning kinds on or off.

`send_due_reminders` is what the scheduled command runs. It is safe to run every few
minutes, and twice at once: each reminder is written to the ledger (SentReminder) in
the same transaction that queues its email, and the ledger's unique constraint lets
only one run write it.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import Kind
from audit.services import record_event
from common.tasks import enqueue_with_transaction
from reminders import tasks
from reminders.kinds import KINDS, kinds_for
from reminders.models import ReminderOptOut, SentReminder

UNSUBSCRIBE_SALT = "reminders.unsubscribe"


# --- Sending what is due ---------------------------------------------------------------


def send_due_reminders(*, now=None):
    """Queue an email for every reminder due now that was not sent before.

    Never to a deactivated account, to the wrong role, or to someone who turned that
    kind off. Returns how many were queued by this run.
    """
    now = now or timezone.now()
    queued = 0
    for kind in KINDS.values():
        turned_off = set(
            ReminderOptOut.objects.filter(kind=kind.key).values_list("user_id", flat=True)
        )
        for due in kind.find_due(now):
            recipient = due.recipient
            if not recipient.is_active or recipient.role != kind.audience:
                continue
            if recipient.pk in turned_off:
                continue
            if _queue_once(due):
                queued += 1
    return queued


def _queue_once(due):
    """Write the ledger row and queue its email together, unless another run already did."""
    already = SentReminder.objects.filter(
        kind=due.kind, recipient=due.recipient, occurrence_key=due.occurrence_key
    )
    if already.exists():
        return False
    try:
        with transaction.atomic():
            reminder = SentReminder.objects.create(
                kind=due.kind,
                recipient=due.recipient,
                occurrence_key=due.occurrence_key,
                link_path=due.link_path,
            )
            enqueue_with_transaction(tasks.send_reminder, reminder_id=reminder.pk)
    except IntegrityError:
        # Another run wrote it between our look and our insert: on PostgreSQL our insert
        # waited for theirs to commit, then was refused. It is theirs to send.
        return False
    return True


# --- Turning kinds on and off ----------------------------------------------------------


@transaction.atomic
def set_reminder_preferences(*, user, turned_on, request=None):
    """Turn this person's reminder kinds on or off: {kind key: True or False}.

    Kinds left out stay as they are. A kind that is not theirs is refused.
    """
    theirs = {kind.key for kind in kinds_for(user)}
    unknown = sorted(set(turned_on) - theirs)
    if unknown:
        raise ValidationError(_("There is no such reminder for your account."))
    now_off = set(ReminderOptOut.objects.of(user).values_list("kind", flat=True))
    turning_off = sorted(key for key, on in turned_on.items() if not on and key not in now_off)
    turning_on = sorted(key for key, on in turned_on.items() if on and key in now_off)
    if not turning_off and not turning_on:
        return
    ReminderOptOut.objects.bulk_create(
        [ReminderOptOut(user=user, kind=key) for key in turning_off], ignore_conflicts=True
    )
    ReminderOptOut.objects.of(user).filter(kind__in=turning_on).delete()
    record_event(
        Kind.REMINDERS_CHANGED,
        actor=user,
        patient=user if user.is_patient else None,
        target=user,
        request=request,
        detail={"turned_off": turning_off, "turned_on": turning_on},
    )


@transaction.atomic
def unsubscribe(*, token, request=None):
    """Turn off the one kind an email's unsubscribe link names; returns (user, kind).

    The link is all the proof there is (no login: a mail client posts it), so it is
    signed, and names one person and one kind. Raises ValidationError for a link that
    was altered or not made by the app.
    """
    user, kind = read_unsubscribe_token(token)
    created = ReminderOptOut.objects.get_or_create(user=user, kind=kind.key)[1]
    if created:
        record_event(
            Kind.REMINDER_UNSUBSCRIBED,
            patient=user if user.is_patient else None,
            target=user,
            request=request,
            detail={"kind": kind.key},
        )
    return user, kind


def unsubscribe_token(*, user, kind_key):
    """The signed token of an email's one-click unsubscribe link: this person, this kind."""
    return signing.dumps({"user": str(user.public_id), "kind": kind_key}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user, kind) from a link the app made; ValidationError for anything else."""
    refused = ValidationError(_("This link does not work. Change your reminders in the app."))
    try:
        claims = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise refused from error
    if not isinstance(claims, dict):
        raise refused
    kind = KINDS.get(claims.get("kind"))
    user = User.objects.filter(public_id=claims.get("user")).first() if kind else None
    if user is None or kind.audience != user.role:
        raise refused
    return user, kind

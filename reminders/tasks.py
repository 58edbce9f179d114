"""The reminder email, written and sent by the worker.

The task holds the ledger row's id and nothing else; the email says only that something
is waiting, and links to the app. It carries a one-click unsubscribe link (RFC 8058).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from accounts.tasks import in_language_of
from reminders.kinds import KINDS
from reminders.models import ReminderOptOut, SentReminder


@task()
def send_reminder(*, reminder_id):
    """Email one reminder from the ledger; returns whether it was sent.

    Checked again here, since time passed since it was queued: a person who turned the
    kind off or was deactivated meanwhile gets nothing.
    """
    from reminders.services import unsubscribe_token

    reminder = SentReminder.objects.select_related("recipient").get(pk=reminder_id)
    recipient = reminder.recipient
    kind = KINDS.get(reminder.kind)
    if kind is None or not recipient.is_active:
        return False
    if ReminderOptOut.objects.filter(user=recipient, kind=kind.key).exists():
        return False
    token = unsubscribe_token(user=recipient, kind_key=kind.key)
    unsubscribe_url = settings.SITE_URL + reverse("reminders:unsubscribe", args=[token])
    context = {
        "recipient": recipient,
        "line": kind.email_line,
        "link": settings.SITE_URL + reminder.link_path,
        "settings_link": settings.SITE_URL + reverse("reminders:settings"),
        "unsubscribe_link": unsubscribe_url,
        "kind_label": kind.label,
        "clinic_name": settings.CLINIC_NAME,
    }
    with in_language_of(recipient):
        subject = render_to_string("reminders/email/reminder_subject.txt", context).strip()
        body = render_to_string("reminders/email/reminder.txt", context)
    EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()
    return True

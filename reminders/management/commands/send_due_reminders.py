"""Queue the email reminders that are due. Safe to run every few minutes, and twice at once."""

from django.core.management.base import BaseCommand

from reminders.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Find the reminders due now (after a session, answers, comments, the therapists' "
        "digest) and queue one email each; a reminder already sent is never sent again."
    )

    def handle(self, *args, **options):
        queued = send_due_reminders()
        self.stdout.write(f"Queued {queued} reminder email{'s' if queued != 1 else ''}.")

"""Walk the audit trail's hash chain and report the first break, if any."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.selectors import verify_chain


class Command(BaseCommand):
    help = (
        "Check that no audit event was changed, deleted or left out. Prints the first break "
        "and exits non-zero; prints the chain's head hash when it is intact."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--holds",
            metavar="HASH",
            help=(
                "A head hash printed by an earlier run, kept somewhere else: the chain must "
                "still hold that event. This catches the newest events being cut off the end, "
                "which the links alone cannot show."
            ),
        )

    def handle(self, *args, holds=None, **options):
        report = verify_chain()
        if not report.is_intact:
            broken = report.first_break
            raise CommandError(f"audit event {broken.sequence}: {broken.problem}")
        if holds and not AuditEvent.objects.filter(hash=holds.strip().lower()).exists():
            raise CommandError(
                f"the trail no longer holds the event with hash {holds}: events were cut off"
            )
        self.stdout.write(f"{report.events} audit events, chain intact. Head: {report.head}")

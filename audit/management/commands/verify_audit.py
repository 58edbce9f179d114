"""Walk the audit trail's hash chain and report the first break, if any."""

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import verify_chain


class Command(BaseCommand):
    help = (
        "Check that no audit event was changed, deleted or left out. Prints the first break "
        "and exits non-zero; prints the chain's head hash when it is intact."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.is_intact:
            broken = report.first_break
            raise CommandError(f"audit event {broken.sequence}: {broken.problem}")
        self.stdout.write(f"{report.events} audit events, chain intact. Head: {report.head}")

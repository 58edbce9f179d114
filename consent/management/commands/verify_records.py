"""Recompute every signed consent and report what no longer holds. Exit non-zero if anything."""

from django.core.management.base import BaseCommand, CommandError

from consent.selectors import verify_signed_records


class Command(BaseCommand):
    help = (
        "Check every signed consent: its text against its SHA-256 fingerprint, its seal "
        "(HMAC) against the record with SIGNATURE_KEYS, and its acknowledgements and answers. "
        "Prints one line per problem (consent id: what is wrong) and exits non-zero; prints a "
        "summary when all is well."
    )

    def handle(self, *args, **options):
        report = verify_signed_records()
        for found in report.problems:
            self.stdout.write(f"consent {found.consent}: {found.problem}")
        if not report.is_intact:
            broken = len({found.consent for found in report.problems})
            problems = len(report.problems)
            raise CommandError(
                f"{broken} of {report.checked} signed consents failed verification "
                f"({problems} problem{'s' if problems != 1 else ''})."
            )
        keys = ", ".join(f"{key}: {count}" for key, count in sorted(report.sealed_by_key.items()))
        summary = f"{report.checked} signed consents verified: text, fingerprint and seal intact."
        if keys:
            summary += f" Sealed with keys {keys}."
        if report.sealed_by_migration == 1:
            summary += " 1 was sealed by a migration after signing: its seal covers the time since."
        elif report.sealed_by_migration:
            summary += (
                f" {report.sealed_by_migration} were sealed by a migration after signing: "
                "their seals cover the time since."
            )
        self.stdout.write(self.style.SUCCESS(summary))

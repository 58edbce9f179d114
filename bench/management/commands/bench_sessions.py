"""Log in the benchmark's people and write their session cookies to a JSON file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import logins


class Command(BaseCommand):
    help = (
        "Mint real sessions for the measured patient and therapist and for fresh writer "
        "patients (who take the load's writes), and write them as JSON for bench/run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--writers", type=int, default=400)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **options):
        found = logins.logins(writers=options["writers"])
        options["out"].write_text(json.dumps(found, indent=2))
        self.stdout.write(
            f"Logged in the patient ({found['patient_entries']} entries), the therapist "
            f"({found['therapist_patients']} patients) and {len(found['writers'])} writers."
        )

"""Fill the benchmark's database with a whole clinic (see bench/clinic.py)."""

from time import monotonic

from django.core.management.base import BaseCommand

from bench import clinic


class Command(BaseCommand):
    help = (
        "Seed a clinic at scale for the benchmark: therapists, patients in their care, a "
        "year of administration sessions and journal entries, comments, reads and sealed "
        "signed consents. Skips a database that is already seeded."
    )

    def add_arguments(self, parser):
        defaults = clinic.Sizes()
        parser.add_argument("--therapists", type=int, default=defaults.therapists)
        parser.add_argument(
            "--patients-per-therapist", type=int, default=defaults.patients_per_therapist
        )
        parser.add_argument("--entries", type=int, default=defaults.entries_per_patient)
        parser.add_argument("--sessions", type=int, default=defaults.sessions_per_patient)
        parser.add_argument("--seed", type=int, default=12, help="Same seed, same clinic.")

    def handle(self, *args, **options):
        if clinic.is_seeded():
            self.stdout.write("The clinic is already seeded; nothing to do.")
            return
        sizes = clinic.Sizes(
            therapists=options["therapists"],
            patients_per_therapist=options["patients_per_therapist"],
            entries_per_patient=options["entries"],
            sessions_per_patient=options["sessions"],
        )
        started = monotonic()
        clinic.seed(sizes, seed_value=options["seed"], say=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Clinic seeded in {monotonic() - started:.0f} s."))

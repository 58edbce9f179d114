"""Create the simulated clinic for the load test, through the app's own services.

Run by `loadtest/run` against its own database, never a clinic's:

    python loadtest/people.py --therapists 10 --patients 40 --out loadtest/out/people.json

Therapists get a password and an authenticator secret (staff must log in with a code);
each patient is added to a therapist's care and joins through an invitation, as on the
web, and starts with a few weeks of entries so lists have pages to turn. The emails,
the password and the secrets go to a JSON file the simulated users read.
"""

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Known to the simulated users; long enough for the app's password rules.
PASSWORD = "load-test-password-not-secret"  # noqa: S105 (a throwaway database)
BASE_URL = "https://127.0.0.1:8802"
EARLIER_ENTRIES_PER_PATIENT = 25


def therapist_email(number):
    return f"therapist{number:03d}@load.example"


def patient_email(number):
    return f"patient{number:03d}@load.example"


def create_clinic(*, therapist_count, patient_count):
    """The therapists and patients, as the list the simulated users log in with."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.db import transaction
    from django.test import override_settings

    from accounts.models import Role, User
    from accounts.services import accept_invitation, invite_patient, issue_invitation

    therapists, people = [], []
    for number in range(1, therapist_count + 1):
        email = therapist_email(number)
        with transaction.atomic():
            therapist = User.objects.create_user(
                email=email,
                password=PASSWORD,
                first_name="Therapist",
                last_name=f"{number:03d}",
                role=Role.THERAPIST,
            )
            secret = generate_totp_secret()
            TOTP.activate(therapist, secret)
        therapists.append(therapist)
        people.append({"role": "therapist", "email": email, "totp_secret": secret})

    # The invitation mail has nowhere to go in a load test; the link is accepted here.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for number in range(1, patient_count + 1):
            email = patient_email(number)
            therapist = therapists[(number - 1) % len(therapists)]
            patient = invite_patient(
                therapist=therapist,
                first_name="Patient",
                last_name=f"{number:03d}",
                email=email,
                base_url=BASE_URL,
            )
            invitation, _link_token = issue_invitation(patient=patient, invited_by=therapist)
            accept_invitation(invitation=invitation, password=PASSWORD)
            _write_earlier_entries(patient)
            people.append({"role": "patient", "email": email, "therapist": therapist.email})
    return people


def _write_earlier_entries(patient):
    """A few weeks of journal before the test, some shared, so pages have history."""
    import uuid

    from django.utils import timezone

    from journal.models import Entry
    from journal.services import submit_entry

    for day in range(EARLIER_ENTRIES_PER_PATIENT):
        entry = submit_entry(
            patient=patient,
            draft_key=uuid.uuid4(),
            fields={
                "body": f"Before the load test, day {day + 1}: a walk, and some quiet.",
                "mood": (day % 9) + 1,
                "is_shared": day % 2 == 0,
            },
        )
        written = timezone.now() - timedelta(days=EARLIER_ENTRIES_PER_PATIENT - day)
        # Spread over past weeks, as a real journal is; the services always write "now".
        Entry.objects.filter(pk=entry.pk).update(
            created_at=written, updated_at=written, submitted_at=written
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--therapists", type=int, required=True)
    parser.add_argument("--patients", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args(argv)
    if options.therapists < 1 or options.patients < 1:
        parser.error("The clinic needs at least one therapist and one patient.")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    people = create_clinic(therapist_count=options.therapists, patient_count=options.patients)
    options.out.write_text(json.dumps({"password": PASSWORD, "people": people}, indent=2))
    print(
        f"Created {options.therapists} therapists and {options.patients} patients "
        f"({EARLIER_ENTRIES_PER_PATIENT} earlier entries each)."
    )


if __name__ == "__main__":
    main()

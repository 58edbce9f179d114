"""Demo data for trying the app: run as often as you like, it never duplicates anything."""

import base64
import hashlib

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import access
from accounts.models import CareTeamMembership, Role, User

DEMO_PASSWORDS = {
    Role.CLINIC_ADMIN: "demo-admin-pass",
    Role.THERAPIST: "demo-therapist-pass",
    Role.PATIENT: "demo-patient-pass",
}

CLINIC_ADMIN = ("admin@example.com", "Ruth", "Alvarez")
THERAPISTS = [
    ("maya.okafor@example.com", "Maya", "Okafor"),
    ("jonas.berg@example.com", "Jonas", "Berg"),
]
# Each patient with the therapist (by email) who cares for them.
PATIENTS = [
    ("sam.rivera@example.com", "Sam", "Rivera", "maya.okafor@example.com"),
    ("lena.novak@example.com", "Lena", "Novak", "maya.okafor@example.com"),
    ("omar.haddad@example.com", "Omar", "Haddad", "jonas.berg@example.com"),
    ("grace.kim@example.com", "Grace", "Kim", "jonas.berg@example.com"),
]


def demo_totp_secret(email):
    """The demo staff's authenticator secret: fixed, so a demo phone app keeps working.

    Anyone who reads this file can compute it, which is why seed_demo refuses to run
    without DJANGO_DEBUG.
    """
    return base64.b32encode(hashlib.sha256(f"kap-demo:{email}".encode()).digest()[:20]).decode()


class Command(BaseCommand):
    help = "Create (or refresh) the demo clinic admin, therapists and patients."

    @transaction.atomic
    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo accounts have published passwords and codes; they are for a "
                "DJANGO_DEBUG=true machine only, never a clinic's database."
            )
        self._person(*CLINIC_ADMIN, role=Role.CLINIC_ADMIN)
        therapists = {
            email: self._person(email, first, last, role=Role.THERAPIST)
            for email, first, last in THERAPISTS
        }
        for email, first, last, therapist_email in PATIENTS:
            patient = self._person(email, first, last, role=Role.PATIENT)
            CareTeamMembership.objects.get_or_create(
                patient=patient, therapist=therapists[therapist_email]
            )
        call_command("seed_consent_demo", stdout=self.stdout)
        call_command("seed_journal_demo", stdout=self.stdout)
        call_command("seed_measures_demo", stdout=self.stdout)
        self._print_logins()

    def _person(self, email, first_name, last_name, *, role):
        is_admin = role == Role.CLINIC_ADMIN
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "role": role,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        user.set_password(DEMO_PASSWORDS[role])
        user.save(update_fields=["password"])
        if access.must_use_two_factor(user):
            # Staff log in with two-factor; the demo sets it up with a known secret.
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
            TOTP.activate(user, demo_totp_secret(email))
        return user

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        rows = [(CLINIC_ADMIN[0], Role.CLINIC_ADMIN)]
        rows += [(email, Role.THERAPIST) for email, *_ in THERAPISTS]
        rows += [(email, Role.PATIENT) for email, *_ in PATIENTS]
        for email, role in rows:
            self.stdout.write(f"  {role.label:<13} {email:<28} password: {DEMO_PASSWORDS[role]}")
        self.stdout.write(
            "Staff also need a code from an authenticator app. Add the secret below to one, "
            "or print the current code with `python manage.py demo_code <email>`:"
        )
        for email, _role in rows:
            if _role != Role.PATIENT:
                self.stdout.write(f"  {email:<28} secret: {demo_totp_secret(email)}")

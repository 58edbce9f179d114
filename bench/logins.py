"""Logged-in sessions for the load generator, minted the way a real login makes them.

`django.contrib.auth.login` runs through the session engine the app uses (cached_db), with
its signals (the two-factor note, the audit trail's login event); allauth's record of how
the person authenticated is added as its login flow adds it (a password, plus the
authenticator for staff). Only the password check itself is skipped, since hashing it is
what the benchmark must not measure a thousand times.
"""

import uuid
from dataclasses import asdict, dataclass
from importlib import import_module

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import RequestFactory
from django.utils.crypto import get_random_string

from accounts.models import Role, User
from bench import clinic
from consent.models import ConsentVersion, QuizAttempt
from consent.services import start_consent

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@dataclass(frozen=True)
class Login:
    email: str
    sessionid: str
    csrftoken: str

    @property
    def cookie(self):
        return (
            f"{settings.SESSION_COOKIE_NAME}={self.sessionid}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrftoken}"
        )


def log_in(user):
    """A new session for `user`, and a CSRF secret to send as cookie and header."""
    engine = import_module(settings.SESSION_ENGINE)
    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_USER_AGENT="bench (wrk)"
    )
    request.session = engine.SessionStore()
    login(request, user, backend=BACKEND)
    record_authentication(request, user, method="password", email=user.email)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        record_authentication(request, user, method="mfa", type="totp", id=authenticator.pk)
    request.session.save()
    # Django accepts any 32-letter secret as the CSRF cookie; the same value in the
    # X-CSRFToken header passes its check, as the app's pages send it.
    return Login(
        email=user.email,
        sessionid=request.session.session_key,
        csrftoken=get_random_string(32),
    )


def make_writers(count, *, run_id):
    """Patients who write during the run, each halfway into a fresh consent.

    Writes go to them, never to the patient whose pages are measured, so a second run
    measures the same pages as the first. Each has started the current consent and
    answered its questions (as a patient does before acknowledging those sections), so
    every acknowledgement the load posts is a real one, section after section.
    """
    version = ConsentVersion.objects.current()
    sections = version.ordered_sections()
    password = make_password(None)
    writers = User.objects.bulk_create(
        [
            User(
                email=f"writer-{run_id}-{number:04d}@{clinic.EMAIL_DOMAIN}",
                first_name="Bench",
                last_name=f"Writer {number}",
                role=Role.PATIENT,
                password=password,
            )
            for number in range(1, count + 1)
        ]
    )
    for writer in writers:
        with transaction.atomic():
            consent = start_consent(patient=writer)
            QuizAttempt.objects.bulk_create(
                QuizAttempt(
                    consent=consent,
                    section=section,
                    choice=section.correct_choice,
                    is_correct=True,
                )
                for section in sections
                if section.has_question
            )
    return writers


def logins(*, writers, run_id=None):
    """Sessions for the measured patient and therapist, and for `writers` fresh writers."""
    run_id = run_id or uuid.uuid4().hex[:8]
    patient = User.objects.get(email=clinic.BENCH_PATIENT_EMAIL)
    therapist = User.objects.get(email=clinic.BENCH_THERAPIST_EMAIL)
    entry = (
        patient.journal_entries.filter(submitted_at__isnull=False)
        .order_by("-submitted_at")[:1]
        .get()
    )
    return {
        "run_id": run_id,
        "patient": asdict(log_in(patient)),
        "patient_entry": str(entry.public_id),
        "patient_public_id": str(patient.public_id),
        "patient_first_name": patient.first_name,
        "patient_full_name": patient.get_full_name(),
        "therapist_first_name": therapist.first_name,
        "patient_entries": patient.journal_entries.filter(submitted_at__isnull=False).count(),
        "therapist": asdict(log_in(therapist)),
        "therapist_patients": therapist.patient_memberships.count(),
        "sections": ConsentVersion.objects.current().sections.count(),
        "writers": [asdict(log_in(w)) for w in make_writers(writers, run_id=run_id)],
    }

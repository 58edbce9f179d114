"""`python manage.py verify_records`: someone with database access edits a signed consent.

The triggers refuse such edits on PostgreSQL, but whoever controls the database can set
them aside; SQLite has none. Either way the record no longer matches its fingerprint or
its seal, and the command says which consent and what is wrong, and exits non-zero.
"""

import hashlib
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from consent import services
from consent.models import QuizAttempt
from tests.factories.accounts import TEST_PASSWORD, PatientFactory
from tests.factories.consent import sign_request, signed_consent

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's triggers refuse a plain UPDATE"
)


def verify_records():
    """Run the command; return (succeeded, what it printed)."""
    out = StringIO()
    try:
        call_command("verify_records", stdout=out)
    except CommandError as failure:
        return False, out.getvalue() + str(failure)
    return True, out.getvalue()


@contextmanager
def triggers_set_aside():
    """What a database owner can do: PostgreSQL's triggers let this connection through."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore():
            yield
    else:
        yield


def tamper(sql, params=()):
    with triggers_set_aside(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def signed(patient, consent_version):
    return signed_consent(patient, consent_version)


def test_all_is_well_prints_a_summary(signed, therapist, consent_version):
    signed_consent(PatientFactory(care_team=[therapist]), consent_version)
    succeeded, printed = verify_records()
    assert succeeded
    assert "2 signed consents verified: text, fingerprint and seal intact." in printed
    assert "Sealed with keys dev-1: 2." in printed


def test_no_signed_consents_is_no_problem(db):
    succeeded, printed = verify_records()
    assert succeeded
    assert "0 signed consents verified" in printed


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE consent_signature SET typed_name = 'Someone Else'",
        "UPDATE consent_signature SET signed_at = signed_at - INTERVAL '1 day'",
    ],
)
def test_postgresql_edit_with_triggers_disabled_is_caught(signed, sql):
    with pgtrigger.ignore("consent.Signature:append_only"), connection.cursor() as cursor:
        cursor.execute(sql)
    succeeded, printed = verify_records()
    assert not succeeded
    assert f"consent {signed.public_id}: the seal does not match the record" in printed
    assert "1 of 1 signed consents failed verification" in printed


@on_sqlite
@pytest.mark.parametrize(
    ("column", "value"),
    [("typed_name", "Someone Else"), ("signed_at", "2020-01-01 09:00:00")],
)
def test_a_raw_sql_edit_is_caught(signed, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE consent_signature SET {column} = %s", [value])  # noqa: S608
    succeeded, printed = verify_records()
    assert not succeeded
    assert f"consent {signed.public_id}: the seal does not match the record" in printed


def test_an_edited_text_no_longer_matches_its_fingerprint(signed):
    tamper("UPDATE consent_signature SET signed_text = signed_text || ' You waive all rights.'")
    succeeded, printed = verify_records()
    assert not succeeded
    assert f"consent {signed.public_id}: the signed text does not match its SHA-256" in printed
    assert "differs from the text of version 1" in printed


def test_text_and_fingerprint_rewritten_together_are_caught_by_the_seal(signed):
    # Anyone can compute a SHA-256; only the key makes a seal.
    forged = signed.signature.signed_text + " You waive all rights."
    tamper(
        "UPDATE consent_signature SET signed_text = %s, fingerprint = %s",
        [forged, hashlib.sha256(forged.encode()).hexdigest()],
    )
    succeeded, printed = verify_records()
    assert not succeeded
    assert "the signed text does not match" not in printed
    assert "the seal does not match the record" in printed


def test_a_reading_time_changed_after_signing_is_caught(signed):
    acknowledgement = signed.acknowledgements.order_by("section__position").first()
    tamper(
        "UPDATE consent_acknowledgement SET opened_at = %s WHERE id = %s",
        [acknowledgement.opened_at - timedelta(minutes=10), acknowledgement.pk],
    )
    succeeded, printed = verify_records()
    assert not succeeded
    assert f"consent {signed.public_id}: the seal does not match the record" in printed


def test_a_wrong_answer_deleted_after_signing_is_caught(patient, consent_version):
    consent = services.start_consent(patient=patient)
    for section in consent_version.ordered_sections():
        if section.has_question:
            wrong = 1 if section.correct_choice != 1 else 2
            services.answer_question(consent=consent, section=section, choice=wrong)
            services.answer_question(
                consent=consent, section=section, choice=section.correct_choice
            )
        services.acknowledge_section(consent=consent, section=section, confirmed=True)
    services.sign_consent(
        consent=consent,
        typed_name="Sam Rivera",
        confirms_meaning=True,
        password=TEST_PASSWORD,
        request=sign_request(),
    )
    assert verify_records()[0]
    tamper("DELETE FROM consent_quizattempt WHERE is_correct = %s", [False])
    succeeded, printed = verify_records()
    assert not succeeded
    assert "the seal does not match the record" in printed


def test_an_answer_added_after_signing_is_caught(signed):
    section = next(s for s in signed.version.ordered_sections() if s.has_question)
    # The app refuses answers once signed; the table only refuses changes and deletions.
    QuizAttempt.objects.create(
        consent=signed,
        section=section,
        choice=section.correct_choice,
        is_correct=True,
        answered_at=timezone.now(),
    )
    succeeded, printed = verify_records()
    assert not succeeded
    assert "the seal does not match the record" in printed
    assert f"consent {signed.public_id}: an answer is dated after the signature" in printed


def test_a_seal_moved_to_another_record_does_not_verify(signed, therapist, consent_version):
    other = signed_consent(PatientFactory(care_team=[therapist]), consent_version)
    tamper(
        "UPDATE consent_signature SET seal = %s WHERE id = %s",
        [other.signature.seal, signed.signature.pk],
    )
    succeeded, printed = verify_records()
    assert not succeeded
    assert f"consent {signed.public_id}: the seal does not match" in printed
    assert f"consent {other.public_id}" not in printed

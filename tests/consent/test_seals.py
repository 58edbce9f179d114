"""Each signature carries a keyed seal over the whole record (21 CFR 11.70), with a key that
the database never holds: keys come from SIGNATURE_KEYS, rotate, and old ones still verify.
"""

import hashlib
import hmac
import importlib
import json
from types import SimpleNamespace

import pgtrigger
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from consent import seals
from consent.models import Signature
from consent.selectors import verify_signed_records
from tests.factories.accounts import PatientFactory
from tests.factories.consent import signed_consent

NEW_KEY = ("k2027", "a-new-secret-of-at-least-thirty-two-characters")
OLD_KEY = ("k2026", "the-old-secret-of-at-least-thirty-two-characters")


@pytest.fixture
def keys(settings):
    def use(*pairs):
        settings.SIGNATURE_KEYS = dict(pairs)

    return use


def test_a_new_signature_is_sealed_with_the_first_key(keys, patient, consent_version):
    keys(NEW_KEY, OLD_KEY)
    signature = signed_consent(patient, consent_version).signature
    assert signature.seal_key_id == "k2027"
    assert signature.sealed_when == "at_signing"
    assert signature.sealed_at >= signature.signed_at
    assert seals.check(signature).is_intact


def test_the_seal_is_an_hmac_over_every_fact_of_the_record(keys, patient, consent_version):
    keys(NEW_KEY)
    consent = signed_consent(patient, consent_version)
    signature = Signature.objects.get(consent=consent)
    canonical = seals.canonical_record(
        signature,
        acknowledgements=consent.acknowledgements.all(),
        attempts=consent.quiz_attempts.all(),
    )
    expected = hmac.new(NEW_KEY[1].encode(), canonical.encode(), hashlib.sha256).hexdigest()
    assert signature.seal == expected

    facts = json.loads(canonical)
    # Canonical: sorted keys, no spaces, times in UTC.
    assert canonical == json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert facts["patient"] == {"public_id": str(patient.public_id), "email": patient.email}
    assert facts["typed_name"] == "Sam Rivera"
    assert facts["signed_at"].endswith("+00:00")
    assert facts["meaning"] == signature.meaning
    assert facts["text_sha256"] == consent_version.fingerprint()
    assert [a["position"] for a in facts["acknowledgements"]] == list(range(1, 12))
    assert all(a["opened_at"] and a["acknowledged_at"] for a in facts["acknowledgements"])
    questions = [s for s in consent_version.ordered_sections() if s.has_question]
    assert [(a["position"], a["is_correct"]) for a in facts["answers"]] == [
        (s.position, True) for s in questions
    ]
    assert facts["ip_address"] == "203.0.113.7"
    assert facts["user_agent"] == "Phone browser 1.0"
    assert facts["identity"]["confirmed_by"] == "password"
    assert facts["seal"]["key_id"] == "k2027"


def test_an_old_key_still_verifies_after_rotation(keys, patient, therapist, consent_version):
    keys(OLD_KEY)
    first = signed_consent(patient, consent_version).signature
    # The clinic rotates: a new key first, the old one kept after it.
    keys(NEW_KEY, OLD_KEY)
    second = signed_consent(PatientFactory(care_team=[therapist]), consent_version).signature
    assert (first.seal_key_id, second.seal_key_id) == ("k2026", "k2027")
    report = verify_signed_records()
    assert report.is_intact
    assert report.sealed_by_key == {"k2026": 1, "k2027": 1}


def test_a_record_sealed_with_a_key_no_longer_configured_is_reported(
    keys, patient, consent_version
):
    keys(OLD_KEY)
    consent = signed_consent(patient, consent_version)
    keys(NEW_KEY)  # the old key was dropped too soon
    report = verify_signed_records()
    assert [(p.consent, p.problem) for p in report.problems] == [
        (
            consent.public_id,
            "sealed with key 'k2026', which is not in SIGNATURE_KEYS: it cannot be verified "
            "(was an old key dropped too soon?)",
        )
    ]


def test_the_same_record_under_another_key_does_not_verify(keys, patient, consent_version):
    keys(("k2026", NEW_KEY[1]))
    signed_consent(patient, consent_version)
    # Someone swaps the secret behind the same key id: the seal no longer matches.
    keys(("k2026", OLD_KEY[1]))
    assert not verify_signed_records().is_intact


def test_the_signed_copy_and_the_pdf_show_the_seal(client, patient, consent_version):
    consent = signed_consent(patient, consent_version)
    client.force_login(patient)
    page = client.get(reverse("consent:copy", args=[consent.public_id])).content.decode()
    assert consent.signature.fingerprint in page
    assert consent.signature.seal in page
    assert consent.signature.seal_key_id in page
    assert "The record matches its seal." in page
    assert "Identity confirmed by" in page


# --- Signatures made before seals existed -----------------------------------------------


def _unseal(signature):
    """Make the row look as it did before migration 0003 sealed nothing: no seal, not asked."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rolled back with the test: the constraint added by 0005 did not exist yet.
            # (Deferred foreign-key checks are run first: ALTER TABLE waits for none.)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE consent_signature DROP CONSTRAINT signatures_are_sealed")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        with pgtrigger.ignore("consent.Signature:append_only"):
            cursor.execute(
                "UPDATE consent_signature SET seal = '', seal_key_id = '', signer_email = '', "
                "identity_confirmed_by = 'not_asked', identity_confirmed_at = NULL "
                "WHERE id = %s",
                [signature.pk],
            )
        if connection.vendor != "postgresql":
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def _run_sealing_migration():
    migration = importlib.import_module("consent.migrations.0004_seal_existing_signatures")
    state = MigrationExecutor(connection).loader.project_state(
        ("consent", "0003_signature_identity_and_seal")
    )
    migration.seal_existing_signatures(state.apps, SimpleNamespace(connection=connection))


def test_the_migration_seals_old_signatures_and_says_so(
    client, keys, patient, therapist, consent_version
):
    keys(NEW_KEY, OLD_KEY)
    old = signed_consent(patient, consent_version).signature
    _unseal(old)
    assert not verify_signed_records().is_intact

    _run_sealing_migration()
    old.refresh_from_db()
    assert old.seal_key_id == "k2027"
    assert old.sealed_when == "by_migration"
    assert old.identity_confirmed_by == "not_asked"
    assert old.signer_email == patient.email
    # The app verifies what the migration sealed: both write the same canonical record.
    report = verify_signed_records()
    assert report.is_intact
    assert report.sealed_by_migration == 1

    # Run again, it changes nothing.
    seal = old.seal
    _run_sealing_migration()
    old.refresh_from_db()
    assert old.seal == seal

    client.force_login(therapist)
    page = client.get(reverse("consent:copy", args=[old.consent.public_id])).content.decode()
    assert "after signing, when the clinic began sealing records" in page
    assert "Not asked (signed before the app asked for the password)" in page

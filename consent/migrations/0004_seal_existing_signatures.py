"""Seal every signature made before signatures were sealed, and say so honestly.

These records get the same keyed HMAC-SHA256 as new ones (see consent/seals.py), made with
the first of SIGNATURE_KEYS, but with `sealed_when = "by_migration"` and `sealed_at` set
to now: the seal proves nothing changed since this migration ran, not since signing. Their
`identity_confirmed_by` stays "not_asked" (the app did not ask for the password then) and
`signer_email` is the patient's address as it is now.

The canonical form is copied here, frozen as it was when this migration was written, so
that the migration always does what it did; consent.seals must produce the same text
(tests/consent/test_seals.py checks that a record sealed here verifies). Safe to run twice:
only unsealed rows are touched.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations
from django.utils import timezone

# The append-only trigger of consent_signature (migration 0001), set aside for this
# transaction only: sealing is the one change an old signature ever gets.
APPEND_ONLY_TRIGGER = "pgtrigger_append_only_6a4fc"


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else None


def _canonical(signature, acknowledgements, attempts):
    consent = signature.consent
    facts = {
        "format": 1,
        "signature": str(signature.public_id),
        "consent": str(consent.public_id),
        "version": {"number": consent.version.number, "public_id": str(consent.version.public_id)},
        "patient": {"public_id": str(consent.patient.public_id), "email": signature.signer_email},
        "typed_name": signature.typed_name,
        "signed_at": _utc(signature.signed_at),
        "meaning": signature.meaning,
        "text_sha256": signature.fingerprint,
        "acknowledgements": sorted(
            (
                {
                    "section": a.section.slug,
                    "position": a.section.position,
                    "opened_at": _utc(a.opened_at),
                    "acknowledged_at": _utc(a.acknowledged_at),
                }
                for a in acknowledgements
            ),
            key=lambda a: (a["position"], a["section"]),
        ),
        "answers": sorted(
            (
                {
                    "section": q.section.slug,
                    "position": q.section.position,
                    "choice": q.choice,
                    "is_correct": q.is_correct,
                    "answered_at": _utc(q.answered_at),
                }
                for q in attempts
            ),
            key=lambda q: (q["answered_at"], q["position"], q["choice"], q["is_correct"]),
        ),
        "ip_address": signature.ip_address,
        "user_agent": signature.user_agent,
        "identity": {
            "confirmed_by": signature.identity_confirmed_by,
            "confirmed_at": _utc(signature.identity_confirmed_at),
        },
        "seal": {
            "key_id": signature.seal_key_id,
            "sealed_at": _utc(signature.sealed_at),
            "sealed_when": signature.sealed_when,
        },
    }
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def seal_existing_signatures(apps, schema_editor):
    Signature = apps.get_model("consent", "Signature")
    Acknowledgement = apps.get_model("consent", "Acknowledgement")
    QuizAttempt = apps.get_model("consent", "QuizAttempt")
    unsealed = Signature.objects.filter(seal="").select_related(
        "consent__patient", "consent__version"
    )
    if not unsealed.exists():
        return
    key_id, secret = next(iter(settings.SIGNATURE_KEYS.items()))
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + APPEND_ONLY_TRIGGER + "}"]
            )
    now = timezone.now()
    for signature in list(unsealed):
        consent = signature.consent
        signature.signer_email = consent.patient.email
        signature.identity_confirmed_by = "not_asked"
        signature.identity_confirmed_at = None
        signature.seal_key_id = key_id
        signature.sealed_at = now
        signature.sealed_when = "by_migration"
        canonical = _canonical(
            signature,
            Acknowledgement.objects.filter(consent=consent).select_related("section"),
            QuizAttempt.objects.filter(consent=consent).select_related("section"),
        )
        seal = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
        Signature.objects.filter(pk=signature.pk, seal="").update(
            signer_email=signature.signer_email,
            identity_confirmed_by="not_asked",
            identity_confirmed_at=None,
            seal_key_id=key_id,
            sealed_at=now,
            sealed_when="by_migration",
            seal=seal,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0003_signature_identity_and_seal"),
    ]

    operations = [
        # Nothing to undo: the fields themselves go with 0003.
        migrations.RunPython(seal_existing_signatures, migrations.RunPython.noop),
    ]

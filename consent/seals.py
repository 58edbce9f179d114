"""The seal on a signature: a keyed HMAC-SHA256 over the whole signed record (21 CFR 11.70).

The SHA-256 fingerprint proves which text was signed; anyone can recompute it, so someone
who can write to the database could change the text and its fingerprint together. The seal
covers everything else as well (who, the typed name, when, the meaning, the fingerprint,
every acknowledgement and answer, from where, how identity was confirmed) and needs a key
that lives only in the environment (SIGNATURE_KEYS). Without the key, no edit to the record
can be sealed again: `python manage.py verify_records` finds it.

Keys rotate: each has an id, stored beside the seal. The first key in SIGNATURE_KEYS seals
new signatures; any key still listed verifies the ones it sealed.

`canonical_record` must keep producing exactly the same text for a stored record, or every
earlier seal stops verifying. Migration 0004 holds a copy of it, frozen as it was then.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.utils import timezone

FORMAT = 1


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else None


def canonical_record(signature, *, acknowledgements, attempts, carried_over=()):
    """Every sealed fact of a signature, as canonical JSON (sorted keys, UTC ISO times).

    A renewal (a pass that re-read only the materially changed sections) also seals which
    sections were carried over and from which signature. Only then is the key present, so
    every record sealed before renewals existed still produces exactly its old text.
    """
    consent = signature.consent
    facts = {
        "format": FORMAT,
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
    # The language of the text signed. English is implied when absent, so every record
    # sealed before translations existed still produces exactly its old text.
    language = getattr(signature, "language", "en") or "en"
    if language != "en":
        facts["language"] = language
    carried_over = list(carried_over)
    if carried_over:
        facts["carried_over"] = {
            "from_signature": str(consent.renews.public_id) if consent.renews_id else None,
            "sections": sorted(
                (
                    {
                        "section": c.section.slug,
                        "position": c.section.position,
                        "carried_at": _utc(c.carried_at),
                    }
                    for c in carried_over
                ),
                key=lambda c: (c["position"], c["section"]),
            ),
        }
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _carried_over(consent, *, fresh):
    """Sections a renewal carried over; no query for the passes that read everything."""
    if consent.renews_id is None:
        return []
    if fresh:
        return list(consent.carried_over.select_related("section"))
    return list(consent.carried_over.all())


def _hmac(secret, canonical):
    return hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(signature, *, sealed_when):
    """Seal a signature about to be saved, with the first of SIGNATURE_KEYS.

    Reads the consent's acknowledgements and answers from the database, as they stand now.
    """
    consent = signature.consent
    key_id, secret = next(iter(settings.SIGNATURE_KEYS.items()))
    signature.seal_key_id = key_id
    signature.sealed_at = timezone.now()
    signature.sealed_when = sealed_when
    canonical = canonical_record(
        signature,
        acknowledgements=consent.acknowledgements.select_related("section"),
        attempts=consent.quiz_attempts.select_related("section"),
        carried_over=_carried_over(consent, fresh=True),
    )
    signature.seal = _hmac(secret, canonical)
    return signature


def published_text(version, language):
    """The version's published text in `language`, or None when it has none."""
    from consent.models import ConsentTranslation

    try:
        return version.canonical_text(language=language)
    except ConsentTranslation.DoesNotExist:
        return None


@dataclass(frozen=True)
class Check:
    """What a fresh look at one signed record found: an empty list means it is intact."""

    problems: list[str]

    @property
    def is_intact(self):
        return not self.problems


def check(signature, *, version_text=None):
    """Recompute everything a signature proves and say, in plain words, what no longer holds.

    Reads the consent's acknowledgements, answers and version sections through `.all()`, so
    a list can prefetch them (`consent.selectors.signatures_to_verify`); `version_text` is
    the version's canonical text in the signature's language when the caller already has it.
    """
    consent = signature.consent
    rows = {
        "acknowledgements": list(consent.acknowledgements.all()),
        "attempts": list(consent.quiz_attempts.all()),
        "carried_over": _carried_over(consent, fresh=False),
    }
    if version_text is None:
        version_text = published_text(consent.version, signature.language)
    problems = []
    if not signature.text_is_intact:
        problems.append("the signed text does not match its SHA-256 fingerprint")
    if version_text is None:
        problems.append(
            f"version {consent.version.number} has no published text in {signature.language!r}, "
            "the language the record says was signed"
        )
    elif signature.signed_text != version_text:
        problems.append(
            f"the signed text differs from the text of version {consent.version.number}"
            + (f" in {signature.language!r}" if signature.language != "en" else "")
        )
    if not signature.seal:
        problems.append("the record has no seal")
    elif signature.seal_key_id not in settings.SIGNATURE_KEYS:
        problems.append(
            f"sealed with key {signature.seal_key_id!r}, which is not in SIGNATURE_KEYS: "
            "it cannot be verified (was an old key dropped too soon?)"
        )
    else:
        secret = settings.SIGNATURE_KEYS[signature.seal_key_id]
        expected = _hmac(secret, canonical_record(signature, **rows))
        if not hmac.compare_digest(expected, signature.seal):
            problems.append(
                "the seal does not match the record: the signature, its acknowledgements "
                "or its answers were changed after signing"
            )
    version_sections = {s.pk for s in consent.version.sections.all()}
    acknowledged = {a.section_id for a in rows["acknowledgements"] if a.acknowledged_at}
    carried = {c.section_id for c in rows["carried_over"]}
    if acknowledged | carried != version_sections:
        problems.append("not every section of the version is acknowledged or carried over")
    if any(
        a.acknowledged_at and a.acknowledged_at > signature.signed_at
        for a in rows["acknowledgements"]
    ):
        problems.append("an acknowledgement is dated after the signature")
    if any(q.answered_at > signature.signed_at for q in rows["attempts"]):
        problems.append("an answer is dated after the signature")
    return Check(problems)

"""Sam's records, one of every kind, and Grace's beside them: what an export must (not) hold."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from consent import services as consent_services
from consent.models import Consent
from journal import services as journal_services
from tests.factories.consent import read_in_order, signed_consent
from tests.factories.journal import AdministrationSessionFactory, EntryFactory

SAMS_SHARED_WORDS = "The music felt like a wave over the hills."
SAMS_PRIVATE_WORDS = "I have not told anyone about the dream with the lighthouse."
SAMS_FIRST_WORDS = "I dreamt of a lighthouse."
SAMS_DRAFT_WORDS = "Half a thought about the drive home"
SAMS_QUESTION = "Can my partner drive me home after the session?"
MAYAS_ANSWER = "Yes, any adult you trust can drive you home."
MAYAS_COMMENT = "Thank you for sharing the wave image; let us start there."
MAYAS_CLINICAL_NOTE = "Possible avoidance around family topics; revisit."
GRACES_WORDS = "Grace wrote about the orchard in spring."


@dataclass
class SamsRecords:
    session: object
    shared_entry: object
    private_entry: object
    draft: object
    first_consent: object
    second_consent: object
    question: object


@pytest.fixture
def sams_records(patient, therapist, other_patient, other_therapist, consent_version):
    """Sam signed, withdrew and is reading again; wrote a shared, a private and a draft entry."""
    session = AdministrationSessionFactory(
        patient=patient,
        recorded_by=therapist,
        dose_mg=Decimal("35.0"),
        notes="Tolerated well.",
    )
    shared_entry = EntryFactory(
        patient=patient,
        session=session,
        shared=True,
        is_for_discussion=True,
        body=SAMS_SHARED_WORDS,
        insights="Letting go is allowed.",
        mood=7,
        anxiety=3,
        experiences=["vivid_imagery", "nausea"],
        experiences_other="A hum in my ears",
    )
    journal_services.comment_on_entry(entry=shared_entry, author=therapist, body=MAYAS_COMMENT)
    journal_services.add_clinical_note(
        entry=shared_entry, author=therapist, body=MAYAS_CLINICAL_NOTE
    )
    journal_services.open_entry(entry=shared_entry, reader=therapist)
    journal_services.mark_reviewed(entry=shared_entry, by=therapist)
    private_entry = EntryFactory(patient=patient, body=SAMS_FIRST_WORDS, mood=10)
    # Sam rewrote his private entry: what it said first is kept as an earlier version.
    private_entry = journal_services.edit_entry(
        entry=private_entry, fields={"body": SAMS_PRIVATE_WORDS}
    )
    draft = EntryFactory(patient=patient, draft=True, body=SAMS_DRAFT_WORDS)

    # The first pass: a question to the care team, answered; a wrong answer, then the
    # right one; signed; then withdrawn with a reason.
    first = consent_services.start_consent(patient=patient)
    sections = consent_version.ordered_sections()
    consent_services.open_section(consent=first, section=sections[0])
    question = consent_services.ask_care_team(
        consent=first, section=sections[0], text=SAMS_QUESTION
    )
    consent_services.answer_care_team_question(
        question=question, therapist=therapist, text=MAYAS_ANSWER
    )
    questioned = next(section for section in sections if section.has_question)
    wrong = next(n for n, _ in questioned.numbered_choices if n != questioned.correct_choice)
    read_in_order(first, upto=questioned.position - 1)
    consent_services.answer_question(consent=first, section=questioned, choice=wrong)
    signed_consent(patient, consent_version)  # reads on from there, and signs
    consent_services.withdraw_consent(patient=patient, reason="I need more time to decide.")
    # The second pass: begun, one section read.
    second = consent_services.start_consent(patient=patient)
    read_in_order(second, upto=1)

    # Grace, in another therapist's care, writes and signs too.
    EntryFactory(patient=other_patient, shared=True, body=GRACES_WORDS)
    signed_consent(other_patient, consent_version)
    return SamsRecords(
        session=session,
        shared_entry=shared_entry,
        private_entry=private_entry,
        draft=draft,
        first_consent=Consent.objects.get(pk=first.pk),
        second_consent=Consent.objects.get(pk=second.pk),
        question=question,
    )

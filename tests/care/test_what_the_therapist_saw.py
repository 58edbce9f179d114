"""Maya opens Sam's page: the audit trail keeps that she saw his shared entries and consent.

One event for the list of entries (with how many), one per consent record shown, each
with who, whose and from where; never the words. The roster shows no words, so it
records no look. Jonas gets a 404 and leaves no trace about Sam.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from consent.models import CareTeamQuestion
from tests.factories.consent import signed_consent
from tests.factories.journal import EntryFactory

LAKE = "The lake was calm."


@pytest.fixture
def sams_record(patient, therapist, consent_version, session):
    consent = signed_consent(patient, consent_version)
    question = CareTeamQuestion.objects.create(
        consent=consent,
        section=consent_version.ordered_sections()[0],
        text="Can I drive home afterwards?",
    )
    EntryFactory(patient=patient, session=session, shared=True, body=LAKE)
    EntryFactory(patient=patient, shared=True, body="A walk by the river.")
    EntryFactory(patient=patient, session=session, body="Only for me.")
    return {"consent": consent, "question": question}


def _events_about(patient, *kinds):
    return list(AuditEvent.objects.about(patient).filter(kind__in=kinds).order_by("sequence"))


def test_opening_sams_page_records_the_list_and_the_consent_record(
    client_for, therapist, patient, sams_record
):
    response = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert response.status_code == 200

    [listed] = _events_about(patient, Kind.ENTRIES_LISTED)
    # Two shared entries on the page; the private one is neither shown nor counted.
    assert listed.detail == {"count": 2}
    assert (listed.actor, listed.object_id) == (therapist, str(patient.public_id))
    assert listed.ip_address == "127.0.0.1"
    [consent_seen] = _events_about(patient, Kind.CONSENT_RECORD_VIEWED)
    assert consent_seen.actor == therapist
    assert consent_seen.object_id == str(sams_record["consent"].public_id)
    for event in (listed, consent_seen):
        assert LAKE not in str(event.detail) and "drive home" not in str(event.detail)


def test_each_opening_is_recorded_again(client_for, therapist, patient, sams_record):
    client = client_for(therapist)
    url = reverse("care:patient", args=[patient.public_id])
    client.get(url)
    client.get(url)
    assert len(_events_about(patient, Kind.ENTRIES_LISTED)) == 2


def test_a_refused_answer_shows_the_page_again_and_is_recorded_too(
    client_for, therapist, patient, sams_record
):
    response = client_for(therapist).post(
        reverse("care:answer_consent_question", args=[sams_record["question"].public_id]),
        {"answer": " "},
    )
    assert response.status_code == 422 and LAKE in response.content.decode()
    assert len(_events_about(patient, Kind.ENTRIES_LISTED)) == 1


def test_a_page_without_shared_entries_records_no_list(client_for, therapist, patient):
    EntryFactory(patient=patient, body="Only for me.")
    client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert _events_about(patient, Kind.ENTRIES_LISTED, Kind.CONSENT_RECORD_VIEWED) == []


def test_the_roster_shows_no_words_and_records_no_look(client_for, therapist, patient):
    EntryFactory(patient=patient, shared=True, body="I want to die some nights.")
    page = client_for(therapist).get(reverse("care:roster")).content.decode()
    # The urgent entry is named (who, when), not quoted: opening it is what gets recorded.
    assert "Urgent: crisis language" in page
    assert "want to die" not in page
    assert not AuditEvent.objects.about(patient).looks_at_words().exists()


def test_jonas_gets_404_for_sams_page_and_leaves_no_trace(
    client_for, other_therapist, patient, sams_record
):
    response = client_for(other_therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert response.status_code == 404
    assert not AuditEvent.objects.about(patient).filter(actor=other_therapist).exists()

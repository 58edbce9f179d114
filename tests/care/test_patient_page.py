"""One page per patient: the therapist finds account, consent and journal in one place."""

import pytest
from django.urls import reverse

from consent.models import CareTeamQuestion
from tests.factories.accounts import PatientFactory
from tests.factories.consent import signed_consent
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


@pytest.fixture
def sams_record(patient, therapist, consent_version):
    consent = signed_consent(patient, consent_version)
    question = CareTeamQuestion.objects.create(
        consent=consent,
        section=consent_version.ordered_sections()[0],
        text="Can I drive home afterwards?",
    )
    session = AdministrationSessionFactory(patient=patient, recorded_by=therapist)
    EntryFactory(patient=patient, session=session, shared=True, body="The lake was calm.")
    EntryFactory(patient=patient, session=session, body="Only for me.")
    return {"consent": consent, "question": question}


def test_therapist_sees_account_consent_and_journal_on_one_page(
    client_for, therapist, patient, sams_record
):
    page = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))

    assert page.status_code == 200
    text = page.content.decode()
    for part in ('id="journal"', 'id="consent"', 'id="account"'):
        assert part in text
    assert "The lake was calm." in text
    assert "Consent signed (version 1" in text
    assert "Can I drive home afterwards?" in text
    assert "Maya Okafor (you)" in text
    # Private words never reach the care team, even on the page that gathers everything.
    assert "Only for me." not in text


def test_therapist_answers_a_consent_question_from_the_patient_page(
    client_for, therapist, patient, sams_record
):
    question = sams_record["question"]
    response = client_for(therapist).post(
        reverse("care:answer_consent_question", args=[question.public_id]),
        {"answer": "No: someone should drive you home."},
    )

    assert response.status_code == 303
    assert response["Location"].endswith(
        reverse("care:patient", args=[patient.public_id]) + "#consent-questions"
    )
    question.refresh_from_db()
    assert question.answer == "No: someone should drive you home."
    assert question.answered_by == therapist


def test_a_refused_answer_comes_back_with_the_therapists_words(
    client_for, therapist, patient, sams_record
):
    question = sams_record["question"]
    words = "Yes. " * 1000  # far past the 4000 characters an answer may have
    response = client_for(therapist).post(
        reverse("care:answer_consent_question", args=[question.public_id]), {"answer": words}
    )

    assert response.status_code == 422
    assert words.strip() in response.content.decode()
    question.refresh_from_db()
    assert not question.is_answered


def test_other_therapist_cannot_answer_sams_consent_question(
    client_for, other_therapist, sams_record
):
    question = sams_record["question"]
    response = client_for(other_therapist).post(
        reverse("care:answer_consent_question", args=[question.public_id]),
        {"answer": "Not your patient."},
    )

    assert response.status_code == 404
    question.refresh_from_db()
    assert not question.is_answered


def test_therapist_records_a_session_and_lands_on_the_patients_page(
    client_for, therapist, patient, consent_version
):
    response = client_for(therapist).post(
        reverse("care:session_new", args=[patient.public_id]),
        {"occurred_at": "2026-11-20T10:00", "route": "lozenge", "dose_mg": "", "notes": ""},
    )

    assert response.status_code == 303
    assert response["Location"] == reverse("care:patient", args=[patient.public_id])
    assert patient.administration_sessions.get().route == "lozenge"


def test_other_therapist_cannot_record_a_session_for_sam(client_for, other_therapist, patient):
    response = client_for(other_therapist).post(
        reverse("care:session_new", args=[patient.public_id]),
        {"occurred_at": "2026-11-20T10:00", "route": "lozenge"},
    )

    assert response.status_code == 404
    assert not patient.administration_sessions.exists()


def test_a_patient_who_has_not_joined_shows_how_to_resend_the_link(client_for, therapist):
    invited = PatientFactory(invited=True, care_team=[therapist])
    page = client_for(therapist).get(reverse("care:patient", args=[invited.public_id]))

    assert reverse("care:invitation_resend", args=[invited.public_id]) in page.content.decode()


def test_the_patient_page_costs_the_same_queries_for_one_entry_or_many(
    client_for,
    therapist,
    patient,
    sams_record,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client = client_for(therapist)
    url = reverse("care:patient", args=[patient.public_id])
    client.get(url)  # warm the session
    # The page's reads, and the audit events for what it shows (the list of entries, the
    # consent record): each a few statements, more on PostgreSQL (the chain's lock).
    # At most 31: on PostgreSQL each audit event also takes the chain's advisory lock.
    with django_assert_max_num_queries(31) as few:
        client.get(url)
    for _ in range(15):
        session = AdministrationSessionFactory(patient=patient, recorded_by=therapist)
        EntryFactory(patient=patient, session=session, shared=True, for_discussion=True)
    # The same count with 16 sessions and entries: no query per entry, session or group.
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_an_empty_answer_is_refused_kindly_and_nothing_is_stored(
    client_for, therapist, patient, sams_record
):
    question = sams_record["question"]
    response = client_for(therapist).post(
        reverse("care:answer_consent_question", args=[question.public_id]), {"answer": "   "}
    )

    assert response.status_code == 422
    assert "Write an answer" in response.content.decode()
    question.refresh_from_db()
    assert not question.is_answered


def test_html_in_a_patients_question_is_shown_as_text(client_for, therapist, patient, sams_record):
    question = sams_record["question"]
    CareTeamQuestion.objects.filter(pk=question.pk).update(text="<script>alert(1)</script>")

    page = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))

    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text

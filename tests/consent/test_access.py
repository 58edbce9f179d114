"""No patient or therapist can reach another's consent record; each role stays on its pages."""

import pytest
from django.urls import reverse

from consent.models import CareTeamQuestion


@pytest.fixture
def open_question(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    client.post(reverse("consent:ask", args=[1]), {"text": "Will it hurt?"})
    client.logout()
    return CareTeamQuestion.objects.get()


def record_urls(consent):
    return [
        reverse("consent:copy", args=[consent.public_id]),
        reverse("consent:copy_pdf", args=[consent.public_id]),
    ]


def test_the_patient_and_their_therapist_open_the_signed_copy(
    client, patient, therapist, signed_consent
):
    for person in (patient, therapist):
        client.force_login(person)
        for url in record_urls(signed_consent):
            assert client.get(url).status_code == 200, url


def test_other_patient_gets_404_for_my_signed_copy(client, other_patient, signed_consent):
    client.force_login(other_patient)
    for url in record_urls(signed_consent):
        assert client.get(url).status_code == 404, url
    url = reverse("consent:signed", args=[signed_consent.public_id])
    assert client.get(url).status_code == 404


def test_other_therapist_gets_404_for_my_patients_consent(
    client, other_therapist, patient, signed_consent
):
    client.force_login(other_therapist)
    for url in record_urls(signed_consent):
        assert client.get(url).status_code == 404, url
    url = reverse("care:patient", args=[patient.public_id])
    assert client.get(url).status_code == 404


def test_clinic_admin_sees_no_consent_record_in_the_app(
    client, clinic_admin, patient, signed_consent
):
    client.force_login(clinic_admin)
    for url in record_urls(signed_consent):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("care:patient", args=[patient.public_id])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, signed_consent, patient):
    urls = [
        *record_urls(signed_consent),
        reverse("consent:overview"),
        reverse("consent:step", args=[1]),
        reverse("care:patient", args=[patient.public_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_therapists_get_403_on_the_patient_flow(client, therapist, consent_version):
    client.force_login(therapist)
    for url in [
        reverse("consent:overview"),
        reverse("consent:step", args=[1]),
        reverse("consent:sign"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("consent:start")).status_code == 403


def test_patients_get_403_on_the_therapist_record(client, patient, consent_version):
    client.force_login(patient)
    url = reverse("care:patient", args=[patient.public_id])
    assert client.get(url).status_code == 403


def test_other_therapist_cannot_answer_my_patients_question(client, other_therapist, open_question):
    client.force_login(other_therapist)
    url = reverse("care:answer_consent_question", args=[open_question.public_id])
    assert client.post(url, {"answer": "Sneaky"}).status_code == 404
    open_question.refresh_from_db()
    assert not open_question.is_answered


def test_a_patient_cannot_answer_their_own_question(client, patient, open_question):
    client.force_login(patient)
    url = reverse("care:answer_consent_question", args=[open_question.public_id])
    assert client.post(url, {"answer": "Me"}).status_code == 403


def test_therapist_sees_open_questions_on_the_patient_list(client, therapist, open_question):
    client.force_login(therapist)
    page = client.get(reverse("care:roster")).content.decode()
    assert "1 open question" in page


def test_an_answered_question_cannot_be_answered_twice(client, therapist, open_question):
    client.force_login(therapist)
    url = reverse("care:answer_consent_question", args=[open_question.public_id])
    client.post(url, {"answer": "First answer"})
    response = client.post(url, {"answer": "Second answer"}, follow=True)
    assert "already has an answer" in response.content.decode()
    open_question.refresh_from_db()
    assert open_question.answer == "First answer"


def test_patient_list_query_count_does_not_grow_with_patients(
    client, therapist, consent_version, django_assert_max_num_queries
):
    from tests.factories.accounts import PatientFactory

    client.force_login(therapist)
    PatientFactory.create_batch(3, care_team=[therapist])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("care:roster"))
    PatientFactory.create_batch(30, care_team=[therapist])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("care:roster"))


def test_a_refused_answer_keeps_the_therapists_words(client, therapist, open_question):
    client.force_login(therapist)
    url = reverse("care:answer_consent_question", args=[open_question.public_id])
    too_long = "Take your time. " * 300
    response = client.post(url, {"answer": too_long})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Take your time. Take your time." in page
    assert "at most 4000 characters" in page or "4000" in page
    open_question.refresh_from_db()
    assert not open_question.is_answered

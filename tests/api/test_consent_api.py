"""A native app walks a patient through consent with the same rules as the web pages."""

import pytest

from consent.models import Signature, Withdrawal

BASE = "/api/v1/consent"


@pytest.fixture
def client(api_as, patient, consent_version):
    return api_as(patient)


def read_all(client, version, upto=None):
    client.post(f"{BASE}/start/")
    for section in version.ordered_sections():
        if upto is not None and section.position > upto:
            break
        assert client.get(f"{BASE}/sections/{section.position}/").status_code == 200
        if section.has_question:
            client.post(
                f"{BASE}/sections/{section.position}/answer/",
                {"choice": section.correct_choice},
                format="json",
            )
        response = client.post(
            f"{BASE}/sections/{section.position}/acknowledge/", {"confirmed": True}, format="json"
        )
        assert response.status_code == 200, response.json()


def test_overview_has_the_document_without_the_answers(client, consent_version):
    body = client.get(f"{BASE}/").json()
    assert body["status"]["kind"] == "not_started"
    assert body["document"]["number"] == 1
    assert body["document"]["fingerprint"] == consent_version.fingerprint()
    assert len(body["document"]["sections"]) == 11
    questions = [s["question"] for s in body["document"]["sections"] if s["question"]]
    assert questions and all("correct_choice" not in q for q in questions)


def test_sections_before_start_are_refused_with_a_message(client):
    response = client.get(f"{BASE}/sections/1/")
    assert response.status_code == 400
    assert "Start the consent first" in response.json()["message"]


def test_skipping_ahead_is_refused(client, consent_version):
    client.post(f"{BASE}/start/")
    response = client.get(f"{BASE}/sections/3/")
    assert response.status_code == 400
    assert "in order" in response.json()["message"]
    forged = client.post(f"{BASE}/sections/3/acknowledge/", {"confirmed": True}, format="json")
    assert forged.status_code == 400


def test_a_wrong_answer_comes_back_with_the_explanation(client, consent_version):
    section = next(s for s in consent_version.ordered_sections() if s.has_question)
    read_all(client, consent_version, upto=section.position - 1)
    client.get(f"{BASE}/sections/{section.position}/")
    wrong = 1 if section.correct_choice != 1 else 2
    response = client.post(
        f"{BASE}/sections/{section.position}/answer/", {"choice": wrong}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["is_correct"] is False
    assert response.json()["explanation"] == section.question_explanation
    refused = client.post(
        f"{BASE}/sections/{section.position}/acknowledge/", {"confirmed": True}, format="json"
    )
    assert refused.status_code == 400
    assert "answer the question" in refused.json()["message"]


def test_acknowledging_needs_confirmation(client, consent_version):
    client.post(f"{BASE}/start/")
    response = client.post(f"{BASE}/sections/1/acknowledge/", {"confirmed": False}, format="json")
    assert response.status_code == 400
    assert "confirmed" in response.json()["errors"]


def test_wrong_types_get_field_errors(client, consent_version):
    client.post(f"{BASE}/start/")
    response = client.post(f"{BASE}/sections/2/answer/", {"choice": "two"}, format="json")
    assert response.status_code == 400
    assert "choice" in response.json()["errors"]


def test_the_patient_signs_with_the_name_check_and_gets_the_record(
    client, patient, consent_version
):
    read_all(client, consent_version)
    mismatch = client.post(
        f"{BASE}/sign/", {"typed_name": "Someone Else", "confirms_meaning": True}, format="json"
    )
    assert mismatch.status_code == 400
    assert "does not match" in mismatch.json()["errors"]["typed_name"][0]

    signed = client.post(
        f"{BASE}/sign/", {"typed_name": " sam rivera ", "confirms_meaning": True}, format="json"
    )
    assert signed.status_code == 201
    record = signed.json()
    assert record["signature"]["fingerprint"] == consent_version.fingerprint()
    assert record["signature"]["text_is_intact"] is True
    again = client.post(
        f"{BASE}/sign/", {"typed_name": "Sam Rivera", "confirms_meaning": True}, format="json"
    )
    assert again.json()["public_id"] == record["public_id"]
    assert Signature.objects.count() == 1

    assert client.get(f"{BASE}/").json()["status"]["kind"] == "signed"
    records = client.get(f"{BASE}/records/").json()
    assert records["count"] == 1
    pdf = client.get(f"{BASE}/records/{record['public_id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_patient_withdraws_through_the_api(client, consent_version):
    read_all(client, consent_version)
    client.post(
        f"{BASE}/sign/", {"typed_name": "Sam Rivera", "confirms_meaning": True}, format="json"
    )
    response = client.post(f"{BASE}/withdraw/", {"reason": "Changed my mind"}, format="json")
    assert response.status_code == 201
    assert response.json()["withdrawal"]["reason"] == "Changed my mind"
    assert Withdrawal.objects.count() == 1
    assert client.get(f"{BASE}/").json()["status"]["kind"] == "withdrawn"


def test_nothing_to_withdraw_is_a_clear_400(client):
    response = client.post(f"{BASE}/withdraw/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "You have no signed consent to withdraw."


def test_questions_go_to_the_therapist_and_answers_come_back(
    client, api_as, therapist, patient, consent_version
):
    client.post(f"{BASE}/start/")
    asked = client.post(f"{BASE}/sections/1/questions/", {"text": "How long?"}, format="json")
    assert asked.status_code == 201
    question_id = asked.json()["public_id"]

    as_therapist = api_as(therapist)
    listing = as_therapist.get(f"/api/v1/patients/{patient.public_id}/consent-questions/").json()
    assert [q["text"] for q in listing["results"]] == ["How long?"]
    answered = as_therapist.post(
        f"{BASE}/questions/{question_id}/answer/", {"answer": "About an hour."}, format="json"
    )
    assert answered.status_code == 200

    mine = api_as(patient).get(f"{BASE}/questions/").json()
    assert mine["results"][0]["answer"] == "About an hour."
    assert mine["results"][0]["answered_by"] == "Maya Okafor"

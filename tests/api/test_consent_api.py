"""A native app walks a patient through consent with the same rules as the web pages."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings

from audit.models import AuditEvent, Kind
from consent import services
from consent.models import Signature, Withdrawal
from tests.factories.accounts import TEST_PASSWORD, current_code
from tests.factories.consent import read_for, signed_consent

BASE = "/api/v1/consent"
SIGN = {"typed_name": "Sam Rivera", "confirms_meaning": True, "password": TEST_PASSWORD}


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
    mismatch = client.post(f"{BASE}/sign/", {**SIGN, "typed_name": "Someone Else"}, format="json")
    assert mismatch.status_code == 400
    assert "does not match" in mismatch.json()["errors"]["typed_name"][0]

    signed = client.post(f"{BASE}/sign/", {**SIGN, "typed_name": " sam rivera "}, format="json")
    assert signed.status_code == 201
    record = signed.json()
    assert record["signature"]["fingerprint"] == consent_version.fingerprint()
    assert record["signature"]["text_is_intact"] is True
    again = client.post(f"{BASE}/sign/", SIGN, format="json")
    assert again.json()["public_id"] == record["public_id"]
    assert Signature.objects.count() == 1

    assert client.get(f"{BASE}/").json()["status"]["kind"] == "signed"
    records = client.get(f"{BASE}/records/").json()
    assert len(records["results"]) == 1
    pdf = client.get(f"{BASE}/records/{record['public_id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_patient_withdraws_through_the_api(client, consent_version):
    read_all(client, consent_version)
    client.post(f"{BASE}/sign/", SIGN, format="json")
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


# --- Signing asks for the password again (21 CFR 11.200) ---------------------------------


def test_signing_needs_the_password(client, consent_version):
    read_all(client, consent_version)
    missing = client.post(
        f"{BASE}/sign/", {"typed_name": "Sam Rivera", "confirms_meaning": True}, format="json"
    )
    assert missing.status_code == 400
    assert missing.json()["errors"]["password"] == ["This field is required."]
    empty = client.post(f"{BASE}/sign/", {**SIGN, "password": ""}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"]["password"] == ["Type your password."]
    assert not Signature.objects.exists()


def test_a_wrong_password_is_a_400_on_the_password_field(client, consent_version):
    read_all(client, consent_version)
    response = client.post(f"{BASE}/sign/", {**SIGN, "password": "a-guess"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"password": ["That is not the password of your account."]}
    assert not Signature.objects.exists()


def test_guessing_the_password_through_the_api_locks_like_a_login(
    client, api_as, patient, consent_version
):
    read_all(client, consent_version)
    for guess in range(settings.LOGIN_ATTEMPTS_LIMIT):
        response = client.post(f"{BASE}/sign/", {**SIGN, "password": f"g{guess}"}, format="json")
        assert response.status_code == 400
    locked = client.post(f"{BASE}/sign/", SIGN, format="json")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == settings.LOGIN_ATTEMPTS_TIMEOUT_SECONDS
    assert "Too many wrong attempts" in locked.json()["message"]
    assert not Signature.objects.exists()
    # The app's own login is locked as well: one limit for the account.
    login = api_as(None).post(
        "/api/v1/auth/token/",
        {"email": patient.email, "password": TEST_PASSWORD, "device_name": "Another phone"},
        format="json",
    )
    assert login.status_code == 429


def test_with_two_factor_the_code_is_needed_too(client, patient, consent_version):
    patient.totp_secret = generate_totp_secret()
    TOTP.activate(patient, patient.totp_secret)
    read_all(client, consent_version)
    without = client.post(f"{BASE}/sign/", SIGN, format="json")
    assert without.status_code == 400
    assert without.json()["errors"]["code"] == ["Type the code your authenticator app shows now."]
    signed = client.post(
        f"{BASE}/sign/", {**SIGN, "code": current_code(patient.totp_secret)}, format="json"
    )
    assert signed.status_code == 201
    assert signed.json()["signature"]["identity_confirmed_by"] == "password_and_code"


def test_the_record_shows_identity_and_the_seal(client, patient, consent_version):
    read_all(client, consent_version)
    signature = client.post(f"{BASE}/sign/", SIGN, format="json").json()["signature"]
    stored = Signature.objects.get()
    assert signature["identity_confirmed_by"] == "password"
    assert signature["identity_confirmed_by_label"] == "password"
    assert signature["identity_confirmed_at"]
    assert signature["seal_key_id"] == stored.seal_key_id == next(iter(settings.SIGNATURE_KEYS))
    assert signature["seal"] == stored.seal
    assert signature["sealed_when"] == "at_signing"
    assert signature["signer_email"] == patient.email
    assert "password" not in signature


# --- Reading times, as the therapist reads them ------------------------------------------


def test_the_therapist_sees_seconds_open_and_which_sections_were_read_fast(
    api_as, therapist, patient, consent_version
):
    read_for(patient, consent_version, 300, 2)
    records = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/consent/").json()
    first, second = records["results"][0]["acknowledgements"]
    assert (first["seconds_open"], first["was_read_quickly"]) == (300, False)
    assert (second["seconds_open"], second["was_read_quickly"]) == (2, True)
    assert second["fast_reading_seconds"] > 2


def test_a_slower_floor_flags_nothing(settings, api_as, therapist, patient, consent_version):
    settings.CONSENT_FAST_READING_WORDS_PER_MINUTE = 100_000
    read_for(patient, consent_version, 300, 2)
    records = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/consent/").json()
    assert not any(a["was_read_quickly"] for a in records["results"][0]["acknowledgements"])


# --- Every look at a signed record is in the audit trail ---------------------------------


def looks(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("sequence"))


def test_starting_signing_and_withdrawing_through_the_api_are_recorded(
    client, patient, consent_version
):
    read_all(client, consent_version)
    client.post(f"{BASE}/sign/", SIGN, format="json", REMOTE_ADDR="198.51.100.9")
    client.post(f"{BASE}/withdraw/", {"reason": "Sam's own words"}, format="json")
    for kind in (Kind.CONSENT_STARTED, Kind.CONSENT_SIGNED, Kind.CONSENT_WITHDRAWN):
        [event] = looks(kind)
        assert (event.actor, event.patient) == (patient, patient)
    assert looks(Kind.CONSENT_SIGNED)[0].ip_address == "198.51.100.9"
    assert "Sam's own words" not in looks(Kind.CONSENT_WITHDRAWN)[0].canonical()


@pytest.mark.parametrize("viewer", ["patient", "therapist"])
def test_opening_a_signed_record_or_its_pdf_is_recorded(
    request, api_as, patient, consent_version, viewer
):
    consent = signed_consent(patient, consent_version)
    person = request.getfixturevalue(viewer)
    api = api_as(person)
    assert api.get(f"{BASE}/records/{consent.public_id}/").status_code == 200
    assert api.get(f"{BASE}/records/{consent.public_id}/pdf/").status_code == 200
    for kind in (Kind.CONSENT_RECORD_VIEWED, Kind.CONSENT_PDF_VIEWED):
        [event] = looks(kind)
        assert (event.actor, event.patient) == (person, patient)
        assert event.object_id == str(consent.public_id)


def test_lists_record_a_look_at_each_signed_record_they_hand_out(
    api_as, patient, therapist, consent_version
):
    signed = signed_consent(patient, consent_version)
    services.withdraw_consent(patient=patient)
    services.start_consent(patient=patient)
    api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/consent/")
    api_as(patient).get(f"{BASE}/records/")
    seen = [(e.actor, e.object_id) for e in looks(Kind.CONSENT_RECORD_VIEWED)]
    # The unsigned pass in progress is no signed record: only the signed one is noted.
    assert seen == [(therapist, str(signed.public_id)), (patient, str(signed.public_id))]


def test_someone_elses_record_is_a_404_and_records_no_look(
    api_as, other_therapist, patient, consent_version
):
    consent = signed_consent(patient, consent_version)
    api = api_as(other_therapist)
    assert api.get(f"{BASE}/records/{consent.public_id}/").status_code == 404
    assert api.get(f"{BASE}/records/{consent.public_id}/pdf/").status_code == 404
    assert not looks(Kind.CONSENT_RECORD_VIEWED)
    assert not looks(Kind.CONSENT_PDF_VIEWED)

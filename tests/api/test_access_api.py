"""Every endpoint, tried by every role: only the right people get in, and no list leaks."""

import pytest
from django.urls import reverse

from consent.models import CareTeamQuestion
from tests.factories.consent import signed_consent


@pytest.fixture
def setup(signed_consent_for_api):
    return signed_consent_for_api


@pytest.fixture
def signed_consent_for_api(patient, consent_version):
    consent = signed_consent(patient, consent_version)
    question = CareTeamQuestion.objects.create(
        consent=consent, section=consent_version.ordered_sections()[0], text="Why?"
    )
    return consent, question


def urls(patient, consent, question):
    return {
        "patient_record": f"/api/v1/consent/records/{consent.public_id}/",
        "patient_record_pdf": f"/api/v1/consent/records/{consent.public_id}/pdf/",
        "therapist_patient": f"/api/v1/patients/{patient.public_id}/",
        "therapist_patient_consent": f"/api/v1/patients/{patient.public_id}/consent/",
        "therapist_patient_questions": f"/api/v1/patients/{patient.public_id}/consent-questions/",
    }


ROLES = ["patient", "other_patient", "therapist", "other_therapist", "clinic_admin", None]

# What each role gets for another person's (or their own) patient-specific URLs.
EXPECTED = {
    "patient_record": {"patient": 200, "other_patient": 404, "therapist": 200,
                       "other_therapist": 404, "clinic_admin": 404, None: 401},
    "patient_record_pdf": {"patient": 200, "other_patient": 404, "therapist": 200,
                           "other_therapist": 404, "clinic_admin": 404, None: 401},
    "therapist_patient": {"patient": 403, "other_patient": 403, "therapist": 200,
                          "other_therapist": 404, "clinic_admin": 403, None: 401},
    "therapist_patient_consent": {"patient": 403, "other_patient": 403, "therapist": 200,
                                  "other_therapist": 404, "clinic_admin": 403, None: 401},
    "therapist_patient_questions": {"patient": 403, "other_patient": 403, "therapist": 200,
                                    "other_therapist": 404, "clinic_admin": 403, None: 401},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_role_gets_exactly_what_it_may(request, api_as, patient, setup, name, role):
    consent, question = setup
    person = request.getfixturevalue(role) if role else None
    response = api_as(person).get(urls(patient, consent, question)[name])
    assert response.status_code == EXPECTED[name][role], (name, role)


PATIENT_ONLY = [
    ("get", "/api/v1/consent/"),
    ("post", "/api/v1/consent/start/"),
    ("get", "/api/v1/consent/sections/1/"),
    ("post", "/api/v1/consent/sections/1/acknowledge/"),
    ("post", "/api/v1/consent/sections/1/answer/"),
    ("post", "/api/v1/consent/sections/1/questions/"),
    ("get", "/api/v1/consent/questions/"),
    ("post", "/api/v1/consent/sign/"),
    ("post", "/api/v1/consent/withdraw/"),
    ("get", "/api/v1/consent/records/"),
    ("get", "/api/v1/journal/looks/"),
]
THERAPIST_ONLY = [("get", "/api/v1/patients/")]


@pytest.mark.parametrize(("method", "url"), PATIENT_ONLY)
@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_patient_endpoints_refuse_other_roles(request, api_as, setup, method, url, role):
    response = getattr(api_as(request.getfixturevalue(role)), method)(url, {}, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "This is for patients."


@pytest.mark.parametrize(("method", "url"), PATIENT_ONLY + THERAPIST_ONLY)
def test_every_endpoint_wants_a_login(api, setup, method, url):
    assert getattr(api, method)(url, {}, format="json").status_code == 401


def test_other_therapist_cannot_answer_my_patients_question(api_as, other_therapist, setup):
    _, question = setup
    url = f"/api/v1/consent/questions/{question.public_id}/answer/"
    response = api_as(other_therapist).post(url, {"answer": "x"}, format="json")
    assert response.status_code == 404
    question.refresh_from_db()
    assert not question.is_answered


def test_lists_never_leak_another_patients_rows(api_as, other_patient, other_therapist, setup):
    assert len(api_as(other_patient).get("/api/v1/consent/records/").json()["results"]) == 0
    assert len(api_as(other_patient).get("/api/v1/consent/questions/").json()["results"]) == 0
    patients = api_as(other_therapist).get("/api/v1/patients/").json()
    assert [p["first_name"] for p in patients["results"]] == ["Grace"]


def test_therapist_patient_list_shows_consent_status(api_as, therapist, setup):
    body = api_as(therapist).get("/api/v1/patients/").json()
    assert len(body["results"]) == 1
    consent = body["results"][0]["consent"]
    assert consent["kind"] == "signed"
    assert consent["signed_version"] == 1


def test_the_api_urls_are_namespaced(db):
    assert reverse("api:consent") == "/api/v1/consent/"

"""Measures through the API: the same rules as the web pages, item 9 included."""

import pytest

from audit.models import AuditEvent, Kind
from measures.models import MeasureAlert, MeasureResponse, MeasureSchedule
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, schedule, shipped_measures

pytestmark = pytest.mark.django_db


def test_anyone_logged_in_lists_the_measures_word_for_word(api_as, patient):
    shipped_measures()  # as migrated, even after a live-server test flushed the tables
    body = api_as(patient).get("/api/v1/measures/").json()
    by_code = {measure["code"]: measure for measure in body}
    assert [len(by_code[c]["items"]) for c in ("phq9", "gad7", "pcl5")] == [9, 7, 20]
    assert by_code["phq9"]["alert_items"][0]["item"] == 9
    assert by_code["pcl5"]["scale"][4] == {"value": 4, "label": "Extremely"}


def test_a_patient_answers_a_phq9_with_item_9_above_0_end_to_end(api_as, patient, therapist):
    client = api_as(patient)
    schedule(patient, "phq9", by=therapist)
    due = client.get("/api/v1/measures/due/").json()
    assert [(d["code"], d["due_key"], d["is_baseline"]) for d in due] == [
        ("phq9", "phq9:baseline", True)
    ]
    started = client.post("/api/v1/measures/responses/", {"measure": "phq9"}, format="json")
    assert started.status_code == 201
    key = started.json()["public_id"]
    again = client.post("/api/v1/measures/responses/", {"measure": "phq9"}, format="json")
    assert again.json()["public_id"] == key  # resumes the same draft
    for position, value in enumerate(PHQ9_WITH_ITEM_9, start=1):
        answer = client.put(
            f"/api/v1/measures/responses/{key}/answers/{position}/", {"value": value}, format="json"
        )
        assert answer.status_code == 200
    body = answer.json()
    assert body["shows_crisis_help"] is True and body["next_question"] is None
    assert not MeasureAlert.objects.exists()
    sent = client.post(f"/api/v1/measures/responses/{key}/submit/")
    assert sent.status_code == 200
    assert sent.json()["total_score"] == 8 and sent.json()["band"] == "Mild"
    assert client.post(f"/api/v1/measures/responses/{key}/submit/").status_code == 200
    alert = MeasureAlert.objects.get(patient=patient)
    assert client.get("/api/v1/measures/due/").json() == []

    therapist_client = api_as(therapist)
    summary = therapist_client.get(f"/api/v1/patients/{patient.public_id}/measures/").json()
    phq9 = next(row for row in summary if row["code"] == "phq9")
    assert phq9["open_alert"] == str(alert.public_id) and phq9["latest_score"] == 8
    roster = therapist_client.get("/api/v1/patients/").json()["results"]
    assert roster[0]["open_measure_alerts"] == 1
    acknowledged = therapist_client.post(f"/api/v1/measures/alerts/{alert.public_id}/acknowledge/")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"]
    assert (
        therapist_client.get("/api/v1/patients/").json()["results"][0]["open_measure_alerts"] == 0
    )


@pytest.mark.parametrize(
    ("sent", "status", "words"),
    [
        ({"value": 4}, 400, "Choose one of the answers."),
        ({"value": -1}, 400, ""),
        ({"value": "two"}, 400, "Choose one of the answers."),
        ({"value": True}, 400, ""),
        ({}, 400, ""),
    ],
)
def test_an_answer_off_the_scale_or_of_the_wrong_type_is_refused(
    api_as, patient, sent, status, words
):
    draft = answered(patient, "phq9", [1], draft=True)
    response = api_as(patient).put(
        f"/api/v1/measures/responses/{draft.public_id}/answers/2/", sent, format="json"
    )
    assert response.status_code == status
    assert words in response.json()["message"] + str(response.json()["errors"])
    draft.refresh_from_db()
    assert draft.answers == {"1": 1}


def test_a_question_number_past_the_last_is_refused(api_as, patient):
    draft = answered(patient, "gad7", [], draft=True)
    response = api_as(patient).put(
        f"/api/v1/measures/responses/{draft.public_id}/answers/8/", {"value": 1}, format="json"
    )
    assert response.status_code == 400
    assert "There are 7 questions" in str(response.json()["errors"])


def test_answering_after_submitting_is_refused_kindly(api_as, patient):
    sent = answered(patient, "gad7", [0] * 7)
    response = api_as(patient).put(
        f"/api/v1/measures/responses/{sent.public_id}/answers/1/", {"value": 3}, format="json"
    )
    assert response.status_code == 400
    assert "You already sent these answers" in response.json()["message"]


def test_another_patients_response_is_a_404(api_as, patient, other_patient):
    draft = answered(patient, "gad7", [1], draft=True)
    client = api_as(other_patient)
    assert client.get(f"/api/v1/measures/responses/{draft.public_id}/").status_code == 404
    put = client.put(
        f"/api/v1/measures/responses/{draft.public_id}/answers/2/", {"value": 1}, format="json"
    )
    assert put.status_code == 404
    assert client.post(f"/api/v1/measures/responses/{draft.public_id}/submit/").status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {"1": 1}


def test_an_unknown_measure_code_is_a_clear_400(api_as, patient):
    response = api_as(patient).post(
        "/api/v1/measures/responses/", {"measure": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "no measure with this code" in str(response.json()["errors"])
    assert not MeasureResponse.objects.exists()


def test_a_therapist_sets_a_schedule_and_reads_submitted_responses_only(api_as, patient, therapist):
    answered(patient, "gad7", [1] * 7)
    answered(patient, "phq9", [1, 1], draft=True)
    client = api_as(therapist)
    url = f"/api/v1/patients/{patient.public_id}/measure-schedules/"
    set_ = client.post(
        url, {"measure": "pcl5", "mode": "every_days", "interval": 30}, format="json"
    )
    assert set_.status_code == 200 and set_.json()["mode"] == "every_days"
    assert MeasureSchedule.objects.get(patient=patient).interval == 30
    assert [row["measure"] for row in client.get(url).json()] == ["pcl5"]
    listed = client.get(f"/api/v1/patients/{patient.public_id}/measure-responses/").json()
    assert [row["code"] for row in listed["results"]] == ["gad7"]
    assert AuditEvent.objects.filter(kind=Kind.MEASURES_VIEWED, actor=therapist).exists()
    bad = client.post(url, {"measure": "pcl5", "mode": "every_days"}, format="json")
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["other_therapist", "clinic_admin", "other_patient"])
def test_outsiders_neither_set_schedules_nor_read_scores(request, api_as, patient, who):
    answered(patient, "gad7", [1] * 7)
    client = api_as(request.getfixturevalue(who))
    base = f"/api/v1/patients/{patient.public_id}"
    assert client.get(f"{base}/measures/").status_code in (403, 404)
    assert client.get(f"{base}/measure-responses/").status_code in (403, 404)
    posted = client.post(
        f"{base}/measure-schedules/", {"measure": "phq9", "mode": "off"}, format="json"
    )
    assert posted.status_code in (403, 404)
    assert not MeasureSchedule.objects.exists()

"""The care team: the urgent flag on the dashboard, scores and change, schedules, access."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from measures.models import MeasureSchedule
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, measure

pytestmark = pytest.mark.django_db


def test_an_item_9_alert_puts_the_patient_at_the_top_until_a_therapist_acknowledges_it(
    client_for, patient, therapist
):
    alerting = answered(patient, "phq9", PHQ9_WITH_ITEM_9)
    client = client_for(therapist)
    roster = client.get(reverse("care:roster")).content.decode()
    assert "Urgent: thoughts of self-harm on a questionnaire" in roster
    assert roster.index("Urgent: thoughts of self-harm") < roster.index('id="patient-list"')
    assert "Urgent questionnaire answer" in roster
    response = client.post(reverse("measures:alert_acknowledge", args=[alerting.alert.public_id]))
    assert response.status_code == 303
    alerting.alert.refresh_from_db()
    assert alerting.alert.acknowledged_by == therapist
    event = AuditEvent.objects.get(kind=Kind.MEASURE_ALERT_ACKNOWLEDGED)
    assert event.actor == therapist and event.patient == patient
    roster = client.get(reverse("care:roster")).content.decode()
    assert "Urgent: thoughts of self-harm" not in roster
    # A second tap (or a colleague's) keeps the first acknowledgement.
    client.post(reverse("measures:alert_acknowledge", args=[alerting.alert.public_id]))
    assert AuditEvent.objects.filter(kind=Kind.MEASURE_ALERT_ACKNOWLEDGED).count() == 1


@pytest.mark.parametrize("who", ["other_therapist", "patient", "other_patient", "clinic_admin"])
def test_nobody_outside_the_care_team_acknowledges_an_alert(request, client_for, patient, who):
    alert = answered(patient, "phq9", PHQ9_WITH_ITEM_9).alert
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("measures:alert_acknowledge", args=[alert.public_id]))
    assert response.status_code == (404 if who == "other_therapist" else 403)
    alert.refresh_from_db()
    assert alert.is_open


def test_the_patient_page_shows_latest_score_band_and_a_reliable_change(
    client_for, patient, therapist
):
    now = timezone.now()
    answered(patient, "phq9", [2, 2, 2, 2, 2, 2, 2, 0, 0], submitted_at=now - timedelta(days=30))
    answered(patient, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], submitted_at=now - timedelta(days=1))
    answered(patient, "gad7", [2] * 7, submitted_at=now - timedelta(days=30))
    answered(patient, "gad7", [2, 2, 2, 2, 2, 2, 1], submitted_at=now - timedelta(days=1))
    page = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    text = page.content.decode()
    assert 'id="measures"' in text
    assert "<strong>8</strong> of 27, mild" in text
    assert "Improved by 6 points since the first — a reliable change (14 on" in text
    assert "Improved by 1 point since the first (14 on" in text
    event = AuditEvent.objects.filter(kind=Kind.MEASURES_VIEWED).latest("sequence")
    assert event.actor == therapist and event.detail == {"count": 2}


def test_a_therapist_sets_a_schedule_on_the_patient_page(client_for, patient, therapist):
    client = client_for(therapist)
    url = reverse("measures:schedule_set", args=[patient.public_id, measure("phq9").public_id])
    assert url in client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    response = client.post(url, {"mode": "after_sessions", "interval": "2"})
    assert response.status_code == 303
    assert response["Location"].endswith("#measures")
    saved = MeasureSchedule.objects.get(patient=patient)
    assert (saved.mode, saved.interval, saved.set_by) == ("after_sessions", 2, therapist)
    page = client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    assert "baseline, then after every 2 sessions" in page


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"mode": "every_days", "interval": ""}, "Say how often"),
        ({"mode": "every_days", "interval": "0"}, "from 1 to 365"),
        ({"mode": "every_days", "interval": "lots"}, "whole number"),
        ({"mode": "<b>sometimes</b>", "interval": "3"}, "Choose off"),
    ],
)
def test_a_bad_schedule_is_shown_again_with_the_reason(client_for, patient, therapist, form, words):
    url = reverse("measures:schedule_set", args=[patient.public_id, measure("phq9").public_id])
    response = client_for(therapist).post(url, form)
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not MeasureSchedule.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_therapist", 404), ("patient", 403), ("clinic_admin", 403), (None, 302)],
)
def test_only_the_care_team_sets_a_schedule(request, client_for, patient, who, status):
    user = request.getfixturevalue(who) if who else None
    url = reverse("measures:schedule_set", args=[patient.public_id, measure("phq9").public_id])
    response = client_for(user).post(url, {"mode": "every_days", "interval": "7"})
    assert response.status_code == status
    assert not MeasureSchedule.objects.exists()


# --- Who sees answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("patient", 200),
        ("therapist", 200),
        ("other_patient", 404),
        ("other_therapist", 404),
        ("clinic_admin", 404),
        (None, 302),
    ],
)
def test_submitted_answers_are_seen_by_the_patient_and_their_care_team_only(
    request, client_for, patient, who, status
):
    sent = answered(patient, "gad7", [1] * 7)
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(reverse("measures:response", args=[sent.public_id]))
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["therapist", "other_therapist", "other_patient", "clinic_admin"])
def test_a_draft_is_private_to_the_patient(request, client_for, patient, who):
    draft = answered(patient, "gad7", [1, 1], draft=True)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("measures:response", args=[draft.public_id])).status_code == 404
    question = reverse("measures:question", args=[draft.public_id, 3])
    response = client.post(question, {"value": "2"})
    assert response.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.answers == {"1": 1, "2": 1}


@pytest.mark.parametrize(
    ("who", "status"),
    [("therapist", 200), ("other_therapist", 404), ("patient", 403), ("clinic_admin", 403)],
)
def test_the_patients_questionnaires_page_is_for_their_care_team(
    request, client_for, patient, who, status
):
    answered(patient, "phq9", [1] * 9)
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("measures:patient", args=[patient.public_id]))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Questionnaire scores over time" in text and "Mood and anxiety" in text
        viewer = request.getfixturevalue(who)
        assert AuditEvent.objects.filter(kind=Kind.MEASURES_VIEWED, actor=viewer).exists()


def test_the_therapists_pages_cost_the_same_queries_for_one_answer_or_many(
    client_for, patient, therapist
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(therapist)
    answered(patient, "phq9", [1] * 9, submitted_at=timezone.now() - timedelta(days=40))

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    urls = [reverse("measures:patient", args=[patient.public_id]), reverse("care:roster")]
    small = [count(url) for url in urls]
    for days in range(1, 30, 3):
        answered(
            patient, "phq9", [days % 4] * 9, submitted_at=timezone.now() - timedelta(days=days)
        )
        answered(patient, "gad7", [1] * 7, submitted_at=timezone.now() - timedelta(days=days))
    answered(patient, "pcl5", [1] * 20)
    assert [count(url) for url in urls] == small


def test_the_patients_own_pages_cost_the_same_queries_for_one_answer_or_many(client_for, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(patient)
    draft = answered(patient, "phq9", [1, 1], draft=True)

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    urls = [
        reverse("measures:mine"),
        reverse("measures:question", args=[draft.public_id, 3]),
        reverse("measures:review", args=[draft.public_id]),
    ]
    small = [count(url) for url in urls]
    for days in range(1, 30, 3):
        answered(patient, "gad7", [1] * 7, submitted_at=timezone.now() - timedelta(days=days))
    assert [count(url) for url in urls] == small

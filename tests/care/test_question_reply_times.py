"""Questions to the care team: the patient is told when to expect an answer, and the
therapist sees first (after urgent ones) the patients kept waiting longer than that."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from consent.models import CareTeamQuestion
from tests.care.helpers import roster_patients
from tests.commands import PRODUCTION_ENV, manage
from tests.factories.accounts import PatientFactory
from tests.factories.journal import EntryFactory


def ask(patient, *, hours_ago):
    """The patient asked a question about the first section `hours_ago` hours ago."""
    consent = consent_services.start_consent(patient=patient)
    section = consent.version.ordered_sections()[0]
    question = consent_services.ask_care_team(
        consent=consent, section=section, text="Can I drive home after a session?"
    )
    CareTeamQuestion.objects.filter(pk=question.pk).update(
        asked_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return question


@pytest.fixture
def caseload(therapist, consent_version):
    """Four of Maya's patients: urgent, asked yesterday morning, asked an hour ago, quiet."""
    urgent = PatientFactory(first_name="Urgent", last_name="Able", care_team=[therapist])
    EntryFactory(patient=urgent, shared=True, body="I keep thinking about suicide.")
    waiting = PatientFactory(first_name="Waiting", last_name="Zeller", care_team=[therapist])
    ask(waiting, hours_ago=30)
    recent = PatientFactory(first_name="Recent", last_name="Baker", care_team=[therapist])
    ask(recent, hours_ago=1)
    EntryFactory(patient=recent, shared=True)  # an entry to review, too
    PatientFactory(first_name="Quiet", last_name="Cole", care_team=[therapist])
    return waiting


def test_a_question_waiting_over_a_day_comes_right_after_urgent_ones(
    client_for, therapist, caseload
):
    page = client_for(therapist).get(reverse("care:roster"))
    rows = roster_patients(page)
    assert [p.first_name for p in rows] == ["Urgent", "Waiting", "Recent", "Quiet"]
    assert [(p.open_consent_questions, p.overdue_consent_questions) for p in rows[1:3]] == [
        (1, 1),
        (1, 0),
    ]
    html = page.content.decode()
    assert html.count("Question waiting over a day") == 1
    patient_page = reverse("care:patient", args=[caseload.public_id])
    assert f'href="{patient_page}#consent-questions"' in html


def test_an_answered_question_no_longer_waits(client_for, therapist, caseload):
    question = CareTeamQuestion.objects.get(consent__patient=caseload)
    consent_services.answer_care_team_question(
        question=question, therapist=therapist, text="Please have someone drive you."
    )
    page = client_for(therapist).get(reverse("care:roster"))
    assert "Question waiting over a day" not in page.content.decode()
    assert roster_patients(page)[1].first_name == "Recent"


@override_settings(CARE_TEAM_REPLY_HOURS=48)
def test_the_clinic_setting_decides_what_counts_as_waiting_too_long(
    client_for, therapist, caseload
):
    page = client_for(therapist).get(reverse("care:roster"))
    assert [p.first_name for p in roster_patients(page)][1] == "Recent"
    assert "waiting over" not in page.content.decode()


def test_the_api_roster_orders_and_counts_the_same(api_as, therapist, caseload):
    rows = api_as(therapist).get(reverse("api:patients")).json()["results"]
    assert [r["first_name"] for r in rows] == ["Urgent", "Waiting", "Recent", "Quiet"]
    assert [(r["open_consent_questions"], r["overdue_consent_questions"]) for r in rows] == [
        (0, 0),
        (1, 1),
        (1, 0),
        (0, 0),
    ]


def test_another_therapist_sees_no_waiting_patient_of_maya(client_for, other_therapist, caseload):
    page = client_for(other_therapist).get(reverse("care:roster"))
    assert "Waiting" not in [p.first_name for p in roster_patients(page)]
    assert "Question waiting" not in page.content.decode()


def test_waiting_questions_cost_no_query_per_patient(
    client_for, therapist, caseload, django_assert_num_queries
):
    client = client_for(therapist)
    client.get(reverse("care:roster"))
    with django_assert_num_queries(8) as small:
        client.get(reverse("care:roster"))
    for n in range(6):
        ask(PatientFactory(care_team=[therapist]), hours_ago=25 + n)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(reverse("care:roster"))
    assert page.content.decode().count("Question waiting over a day") == 7


# --- The patient is told when to expect an answer -----------------------------------------


@override_settings(CARE_TEAM_REPLY_WITHIN="within two working days")
def test_the_ask_form_its_confirmation_and_the_waiting_question_say_when(
    client_for, patient, consent_version
):
    client = client_for(patient)
    client.post(reverse("consent:start"))
    form = client.get(reverse("consent:step", args=[1])).content.decode()
    assert "answers here, usually within two working days." in form

    sent = client.post(reverse("consent:ask", args=[1]), {"text": "Can I bring a friend?"})
    page = client.get(sent["Location"]).content.decode()
    assert "They usually answer within two working days." in page
    assert "Waiting for an answer: your care team usually answers within two working days" in page


@override_settings(CARE_TEAM_REPLY_WITHIN="by the end of the next day")
def test_the_api_says_when_to_expect_an_answer_until_there_is_one(
    api_as, patient, therapist, consent_version
):
    api = api_as(patient)
    api.post(reverse("api:consent_start"))
    asked = api.post(
        reverse("api:consent_ask", args=[1]), {"text": "Can I eat before?"}, format="json"
    )
    assert asked.status_code == 201
    assert asked.json()["expect_answer"] == "by the end of the next day"

    question = CareTeamQuestion.objects.get(public_id=asked.json()["public_id"])
    consent_services.answer_care_team_question(
        question=question, therapist=therapist, text="A light meal hours before."
    )
    mine = api.get(reverse("api:consent_questions")).json()
    rows = mine["results"] if isinstance(mine, dict) else mine
    assert rows[0]["expect_answer"] == ""


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CARE_TEAM_REPLY_HOURS", "soon", "CARE_TEAM_REPLY_HOURS"),
        ("CARE_TEAM_REPLY_HOURS", "0", "from 1 to 336"),
        ("CARE_TEAM_REPLY_WITHIN", "  ", "CARE_TEAM_REPLY_WITHIN"),
    ],
)
def test_a_malformed_reply_time_setting_stops_the_app(name, value, says):
    result = manage("check", **{**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert says in result.stderr

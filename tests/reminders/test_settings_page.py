"""The reminder settings page and its API: one checkbox per kind, on by default."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from reminders.kinds import (
    CARE_TEAM_COMMENT,
    CONSENT_ANSWER,
    MEASURE_DUE,
    SESSION_REFLECTION,
    THERAPIST_DIGEST,
)
from reminders.models import ReminderOptOut

SETTINGS = reverse("reminders:settings")
API = reverse("api:me_reminders")


def test_the_account_page_links_to_the_reminders(client_for, patient):
    page = client_for(patient).get(reverse("accounts:devices")).content.decode()
    assert f'href="{SETTINGS}"' in page


def test_sam_sees_his_four_kinds_all_on(client_for, patient):
    page = client_for(patient).get(SETTINGS).content.decode()
    for key in (SESSION_REFLECTION, CONSENT_ANSWER, CARE_TEAM_COMMENT, MEASURE_DUE):
        assert f'name="{key}"' in page
    assert page.count("checked") == 4
    assert THERAPIST_DIGEST not in page


def test_sam_turns_one_kind_off_and_it_is_saved_and_recorded(client_for, patient):
    client = client_for(patient)
    response = client.post(
        SETTINGS, {SESSION_REFLECTION: "on", CONSENT_ANSWER: "on", MEASURE_DUE: "on"}, follow=True
    )
    assert response.redirect_chain == [(SETTINGS, 303)]
    assert "Your reminders are saved." in response.content.decode()
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [
        (patient.pk, CARE_TEAM_COMMENT)
    ]
    event = AuditEvent.objects.get(kind=Kind.REMINDERS_CHANGED)
    assert event.actor == patient
    assert event.detail == {"turned_off": [CARE_TEAM_COMMENT], "turned_on": []}

    # Saving the same choices again records nothing new; turning it back on does.
    client.post(SETTINGS, {SESSION_REFLECTION: "on", CONSENT_ANSWER: "on", MEASURE_DUE: "on"})
    assert AuditEvent.objects.filter(kind=Kind.REMINDERS_CHANGED).count() == 1
    client.post(
        SETTINGS,
        {SESSION_REFLECTION: "on", CONSENT_ANSWER: "on", MEASURE_DUE: "on", CARE_TEAM_COMMENT: "1"},
    )
    assert not ReminderOptOut.objects.exists()


def test_maya_has_only_her_digest(client_for, therapist):
    page = client_for(therapist).get(SETTINGS).content.decode()
    assert f'name="{THERAPIST_DIGEST}"' in page
    assert SESSION_REFLECTION not in page


def test_the_clinic_admin_gets_no_reminders(client_for, clinic_admin):
    page = client_for(clinic_admin).get(SETTINGS).content.decode()
    assert "Your account gets no email reminders." in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_grace_unticks_everything_which_touches_only_her_own(client_for, patient, other_patient):
    response = client_for(other_patient).post(SETTINGS, {})
    assert response.status_code == 303
    assert set(ReminderOptOut.objects.values_list("user", flat=True)) == {other_patient.pk}
    assert ReminderOptOut.objects.count() == 4


# --- The API ---------------------------------------------------------------------------


def test_sam_reads_and_changes_his_reminders_through_the_api(api_as, patient):
    api = api_as(patient)
    response = api.get(API)
    assert response.status_code == 200
    assert [(row["kind"], row["is_on"]) for row in response.json()["reminders"]] == [
        (SESSION_REFLECTION, True),
        (CONSENT_ANSWER, True),
        (CARE_TEAM_COMMENT, True),
        (MEASURE_DUE, True),
    ]

    response = api.put(
        API, {"reminders": [{"kind": CONSENT_ANSWER, "is_on": False}]}, format="json"
    )
    assert response.status_code == 200
    assert {row["kind"]: row["is_on"] for row in response.json()["reminders"]} == {
        SESSION_REFLECTION: True,
        CONSENT_ANSWER: False,
        CARE_TEAM_COMMENT: True,
        MEASURE_DUE: True,
    }
    assert AuditEvent.objects.filter(kind=Kind.REMINDERS_CHANGED, actor=patient).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"reminders": [{"kind": THERAPIST_DIGEST, "is_on": False}]},  # not a patient's kind
        {"reminders": [{"kind": "<script>alert(1)</script>", "is_on": False}]},
        {"reminders": [{"kind": CONSENT_ANSWER, "is_on": "perhaps"}]},
        {"reminders": "all off"},
        {},
    ],
)
def test_bad_choices_are_refused_and_change_nothing(api_as, patient, body):
    response = api_as(patient).put(API, body, format="json")
    assert response.status_code == 400
    assert "message" in response.json()
    assert not ReminderOptOut.objects.exists()


def test_anonymous_api_callers_get_401(api_as, db):
    assert api_as(None).get(API).status_code == 401

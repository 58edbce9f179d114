"""The one-click unsubscribe link in every reminder: it works once signed, for one person
and one kind, without login or CSRF, and a GET (a mail scanner) changes nothing."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, Kind
from reminders.kinds import CARE_TEAM_COMMENT, SESSION_REFLECTION, THERAPIST_DIGEST
from reminders.models import ReminderOptOut
from reminders.services import UNSUBSCRIBE_SALT, send_due_reminders, unsubscribe_token


@pytest.fixture
def mail_client():
    # A mail client's POST: no cookies, no session, and CSRF checks as in production.
    return Client(enforce_csrf_checks=True)


def link(token):
    return reverse("reminders:unsubscribe", args=[token])


def test_sam_unsubscribes_from_the_link_in_his_email_in_one_click(
    patient, sams_session, mailoutbox, run_worker, mail_client
):
    send_due_reminders()
    run_worker()
    url = mailoutbox[0].extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://testserver")

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Reminder turned off" in response.content.decode()
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [
        (patient.pk, SESSION_REFLECTION)
    ]
    event = AuditEvent.objects.get(kind=Kind.REMINDER_UNSUBSCRIBED)
    assert event.patient == patient and event.detail == {"kind": SESSION_REFLECTION}
    # Clicking again is harmless.
    assert mail_client.post(url).status_code == 200
    assert ReminderOptOut.objects.count() == 1


def test_opening_the_link_only_asks_a_mail_scanner_changes_nothing(patient, mail_client):
    url = link(unsubscribe_token(user=patient, kind_key=CARE_TEAM_COMMENT))
    for _ in range(3):
        response = mail_client.get(url)
        assert response.status_code == 200
    page = response.content.decode()
    assert "Stop this reminder?" in page
    assert f'method="post" action="{url}"' in page
    assert not ReminderOptOut.objects.exists()
    assert not AuditEvent.objects.filter(kind=Kind.REMINDER_UNSUBSCRIBED).exists()


def test_an_altered_token_is_refused(patient, mail_client):
    token = unsubscribe_token(user=patient, kind_key=SESSION_REFLECTION)
    payload, signature = token.rsplit(":", 1)
    altered = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        f"{payload}:{signature[::-1]}",
        "not-a-token",
        signing.dumps({"user": str(patient.public_id), "kind": SESSION_REFLECTION}),  # no salt
        signing.dumps(
            {"user": str(patient.public_id), "kind": SESSION_REFLECTION}, salt="another.purpose"
        ),
    ]
    for forged in altered:
        assert mail_client.post(link(forged)).status_code == 404, forged
        assert mail_client.get(link(forged)).status_code == 404, forged
    assert not ReminderOptOut.objects.exists()


def test_samss_link_cannot_unsubscribe_grace_nor_be_made_to(patient, other_patient, mail_client):
    sams = unsubscribe_token(user=patient, kind_key=SESSION_REFLECTION)
    # Swap Grace's id into Sam's signed payload: the signature no longer matches.
    payload, _, signature = sams.partition(":")
    claims = signing.loads(sams, salt=UNSUBSCRIBE_SALT)
    graces_claims = {**claims, "user": str(other_patient.public_id)}
    graces_payload = signing.dumps(graces_claims, salt=UNSUBSCRIBE_SALT).partition(":")[0]
    assert mail_client.post(link(f"{graces_payload}:{signature}")).status_code == 404

    assert mail_client.post(link(sams)).status_code == 200
    assert list(ReminderOptOut.objects.values_list("user", flat=True)) == [patient.pk]


def test_a_kind_that_is_not_for_that_person_is_refused(patient, mail_client):
    token = unsubscribe_token(user=patient, kind_key=THERAPIST_DIGEST)
    assert mail_client.post(link(token)).status_code == 404
    token = unsubscribe_token(user=patient, kind_key="no_such_kind")
    assert mail_client.post(link(token)).status_code == 404
    assert not ReminderOptOut.objects.exists()


def test_a_logged_in_colleague_posting_sams_link_turns_off_only_sams_reminder(
    client_for, patient, therapist
):
    client = client_for(therapist)
    token = unsubscribe_token(user=patient, kind_key=SESSION_REFLECTION)
    assert client.post(link(token)).status_code == 200
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [
        (patient.pk, SESSION_REFLECTION)
    ]

"""Every email goes through the queue, and the queue never holds a secret.

The attack: someone reads the task table (a backup, a Redis dump). They must find ids
and kinds, never a working invitation or password reset link.
"""

import json
import re

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import services
from accounts.models import Invitation
from tests.factories.accounts import PatientFactory

BASE_URL = "https://clinic.example/"


def stored_task_rows():
    return json.dumps(list(DBTaskResult.objects.values()), default=str)


def emailed_path(mail, marker):
    link = next(word for word in mail.body.split() if marker in word)
    return re.sub(r"^https?://[^/]+", "", link)


def test_an_invitation_link_exists_only_in_the_patients_email(
    client, therapist, mailoutbox, run_worker
):
    patient = PatientFactory(invited=True, care_team=[therapist])
    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    queued = stored_task_rows()
    assert mailoutbox == []  # nothing is sent inside the request

    run_worker()

    [mail] = mailoutbox
    path = emailed_path(mail, "/welcome/")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in queued and token not in stored_task_rows()
    invitation = Invitation.objects.get(patient=patient)
    assert invitation.token_hash not in queued  # not even its hash was queued
    # ...and the emailed link is the one that works.
    assert client.get(path).status_code == 200


def test_an_invitation_replaced_before_the_worker_ran_sends_only_the_new_one(
    client, therapist, mailoutbox, run_worker
):
    patient = PatientFactory(invited=True, care_team=[therapist])
    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    run_worker()
    [mail] = mailoutbox
    assert client.get(emailed_path(mail, "/welcome/")).status_code == 200


def test_a_password_reset_link_is_made_by_the_worker_and_never_queued(
    client, patient, mailoutbox, run_worker
):
    client.post(reverse("account_reset_password"), {"email": patient.email})
    queued = stored_task_rows()
    assert mailoutbox == []
    assert DBTaskResult.objects.get().args_kwargs == {
        "args": [],
        "kwargs": {"user_id": patient.pk},
    }

    run_worker()

    [mail] = mailoutbox
    path = emailed_path(mail, "/accounts/password/reset/key/")
    key = path.rstrip("/").rsplit("/", 1)[-1]
    assert key not in queued and key.split("-", 1)[1] not in stored_task_rows()
    response = client.get(path, follow=True)
    assert response.status_code == 200 and "password1" in response.content.decode()


def test_a_reset_asked_for_an_unknown_address_queues_and_sends_nothing(
    client, db, mailoutbox, run_worker
):
    client.post(reverse("account_reset_password"), {"email": "stranger@example.com"})
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mailoutbox == []


def test_a_change_that_rolls_back_queues_no_email(therapist, mailoutbox, run_worker):
    from django.db import transaction

    patient = PatientFactory(invited=True, care_team=[therapist])
    try:
        with transaction.atomic():
            services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
            raise RuntimeError("the page failed after sending")
    except RuntimeError:
        pass
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mailoutbox == []

"""`send_due_reminders` queues each reminder once; the worker sends it, with a way out."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reminders.kinds import CARE_TEAM_COMMENT, SESSION_REFLECTION
from reminders.models import ReminderOptOut, SentReminder
from reminders.services import send_due_reminders, set_reminder_preferences
from tests.factories.accounts import PatientFactory, TherapistFactory
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


def test_the_worker_emails_sam_once_with_a_link_and_a_one_click_unsubscribe(
    patient, sams_session, mailoutbox, run_worker
):
    assert send_due_reminders() == 1
    assert run_worker() == 1

    [mail] = mailoutbox
    assert mail.to == [patient.email]
    assert f"http://testserver/journal/write/?session={sams_session.public_id}" in mail.body
    # RFC 8058: the link in the header, and the promise that a POST to it is enough.
    unsubscribe = mail.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver/unsubscribe/") and unsubscribe.endswith("/>")
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in mail.body
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in mail.message().as_string()

    # The scheduler runs again in five minutes, and again: nothing more is sent.
    assert send_due_reminders() == 0
    call_command("send_due_reminders", verbosity=0)
    assert run_worker() == 0
    assert len(mailoutbox) == 1
    assert SentReminder.objects.get().occurrence_key == str(sams_session.public_id)


def test_the_queued_task_holds_the_ledgers_id_and_nothing_else(patient, sams_session):
    send_due_reminders()
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "reminders.tasks.send_reminder"
    assert task.args_kwargs == {
        "args": [],
        "kwargs": {"reminder_id": SentReminder.objects.get().pk},
    }


def test_sam_who_turned_that_kind_off_gets_nothing(patient, sams_session, mailoutbox, run_worker):
    set_reminder_preferences(user=patient, turned_on={SESSION_REFLECTION: False})
    assert send_due_reminders() == 0
    run_worker()
    assert mailoutbox == []
    assert not SentReminder.objects.exists()


def test_turning_it_off_after_it_was_queued_still_stops_it(
    patient, sams_session, mailoutbox, run_worker
):
    send_due_reminders()
    set_reminder_preferences(user=patient, turned_on={SESSION_REFLECTION: False})
    run_worker()
    assert mailoutbox == []


def test_a_deactivated_patient_gets_nothing(patient, sams_session, mailoutbox, run_worker):
    patient.is_active = False
    patient.save()
    assert send_due_reminders() == 0
    run_worker()
    assert mailoutbox == []


def test_other_kinds_stay_on_when_one_is_off(patient, therapist, mailoutbox, run_worker):
    set_reminder_preferences(user=patient, turned_on={SESSION_REFLECTION: False})
    AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, occurred_at=timezone.now() - timedelta(hours=4)
    )
    # Maya read it and wrote back (so her digest has nothing waiting).
    entry = EntryFactory(patient=patient, reviewed=True)
    entry.comments.create(author=therapist, body="Thank you for sharing this.")

    assert send_due_reminders() == 1
    run_worker()
    assert [mail.to for mail in mailoutbox] == [[patient.email]]
    assert SentReminder.objects.get().kind == CARE_TEAM_COMMENT


def test_maya_gets_her_digest_once_a_day(patient, therapist, mailoutbox, run_worker, settings):
    settings.REMINDER_DIGEST_HOUR = 0  # any time of the test's day
    EntryFactory(patient=patient, shared=True)
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    run_worker()
    assert [mail.to for mail in mailoutbox] == [[therapist.email]]
    assert "http://testserver/patients/" in mailoutbox[0].body


# --- Two schedulers at once (PostgreSQL) --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_running_at_the_same_moment_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so nothing overlaps")
    therapist = TherapistFactory()
    patients = [PatientFactory(care_team=[therapist]) for _ in range(12)]
    for patient in patients:
        AdministrationSessionFactory(
            patient=patient,
            recorded_by=therapist,
            occurred_at=timezone.now() - timedelta(hours=3),
        )
        EntryFactory(patient=patient, reviewed=True).comments.create(author=therapist, body="Hi.")
    ReminderOptOut.objects.create(user=patients[0], kind=CARE_TEAM_COMMENT)

    start = threading.Barrier(2)
    queued = []
    errors = []

    def scheduler():
        try:
            start.wait()
            queued.append(send_due_reminders())
        except Exception as error:  # noqa: BLE001  (reported below, on the main thread)
            errors.append(error)
        finally:
            connections.close_all()

    runs = [threading.Thread(target=scheduler) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()

    assert errors == []
    expected = 12 + 11  # a reflection each, and a comment for all but the one who opted out
    assert sum(queued) == expected
    assert SentReminder.objects.count() == expected
    assert DBTaskResult.objects.count() == expected

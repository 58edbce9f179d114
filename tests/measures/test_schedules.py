"""A therapist's schedule decides when a measure is due on the patient's home."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent, Kind
from measures import services
from measures.models import ScheduleMode
from measures.selectors import due_measures, patients_with_measures_due
from tests.factories.journal import AdministrationSessionFactory
from tests.factories.measures import answered, measure, schedule

pytestmark = pytest.mark.django_db


def due_codes(patient, now=None):
    return [(due.measure.code, due.due_key) for due in due_measures(patient, now=now)]


def test_nothing_is_due_without_a_schedule_or_with_it_off(patient, therapist):
    assert due_codes(patient) == []
    schedule(patient, "phq9", mode=ScheduleMode.OFF, interval=None)
    assert due_codes(patient) == []


def test_a_new_schedule_makes_the_baseline_due_before_the_first_session(patient, therapist):
    services.set_schedule(
        patient=patient, measure=measure("phq9"), mode="every_days", interval=14, by=therapist
    )
    assert due_codes(patient) == [("phq9", "phq9:baseline")]
    event = AuditEvent.objects.get(kind=Kind.MEASURE_SCHEDULE_SET)
    assert event.actor == therapist and event.patient == patient
    assert event.detail == {"measure": "phq9", "mode": "every_days", "interval": 14}


def test_every_n_days_is_due_on_the_nth_day_after_the_last_answers(patient, therapist):
    schedule(patient, "gad7", mode=ScheduleMode.EVERY_DAYS, interval=14)
    last = answered(patient, "gad7", [1] * 7, submitted_at=timezone.now() - timedelta(days=13))
    assert due_codes(patient) == []
    tomorrow = timezone.now() + timedelta(days=1)
    assert due_codes(patient, now=tomorrow) == [("gad7", f"gad7:after:{last.public_id}")]
    # The same occurrence keeps its key until the patient answers.
    assert due_codes(patient, now=tomorrow + timedelta(days=3))[0][1].endswith(str(last.public_id))


def test_after_every_k_sessions_counts_sessions_since_the_last_answers(patient, therapist):
    schedule(patient, "phq9", mode=ScheduleMode.AFTER_SESSIONS, interval=2)
    now = timezone.now()
    AdministrationSessionFactory(patient=patient, occurred_at=now - timedelta(days=20))
    last = answered(patient, "phq9", [0] * 9, submitted_at=now - timedelta(days=10))
    AdministrationSessionFactory(patient=patient, occurred_at=now - timedelta(days=5))
    assert due_codes(patient) == []
    AdministrationSessionFactory(patient=patient, occurred_at=now - timedelta(days=1))
    assert due_codes(patient) == [("phq9", f"phq9:after:{last.public_id}")]
    # Answering it ends that occurrence.
    answered(patient, "phq9", [0] * 9)
    assert due_codes(patient) == []


def test_turning_a_schedule_off_removes_what_was_due(patient, therapist):
    schedule(patient, "pcl5", mode=ScheduleMode.EVERY_DAYS, interval=30)
    assert due_codes(patient) == [("pcl5", "pcl5:baseline")]
    services.set_schedule(patient=patient, measure=measure("pcl5"), mode="off", by=therapist)
    assert due_codes(patient) == []


def test_patients_with_measures_due_lists_each_occurrence_once_for_active_patients(
    patient, other_patient, therapist
):
    schedule(patient, "phq9")
    schedule(patient, "gad7")
    schedule(other_patient, "phq9")
    other_patient.is_active = False
    other_patient.save()
    found = list(patients_with_measures_due())
    assert {(p.email, v.name, key) for p, v, key in found} == {
        (patient.email, "PHQ-9", "phq9:baseline"),
        (patient.email, "GAD-7", "gad7:baseline"),
    }
    assert all(version.number == 1 for _, version, _ in found)


@pytest.mark.parametrize(
    ("mode", "interval", "words"),
    [
        ("every_days", None, "whole number"),
        ("every_days", 0, "1 to 365"),
        ("after_sessions", 366, "1 to 365"),
        ("weekly", 7, "Choose off"),
        ("every_days", "7", "whole number"),
    ],
)
def test_a_schedule_needs_a_known_mode_and_a_sensible_interval(
    patient, therapist, mode, interval, words
):
    with pytest.raises(ValidationError) as refused:
        services.set_schedule(
            patient=patient, measure=measure("phq9"), mode=mode, interval=interval, by=therapist
        )
    assert words in str(refused.value)

"""When each kind of reminder is due: the rules, checked kind by kind."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from reminders.kinds import (
    CARE_TEAM_COMMENT,
    CONSENT_ANSWER,
    KINDS,
    MEASURE_DUE,
    SESSION_REFLECTION,
    THERAPIST_DIGEST,
)
from tests.factories.journal import (
    AdministrationSessionFactory,
    CommentFactory,
    EntryFactory,
    ReplyFactory,
)
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, measure, schedule

CLINIC = ZoneInfo("America/New_York")


def due(kind, now=None):
    return list(KINDS[kind].find_due(now or timezone.now()))


# --- After a session -------------------------------------------------------------------


def test_sam_is_invited_to_reflect_a_few_hours_after_his_session(patient, sams_session):
    [reminder] = due(SESSION_REFLECTION)
    assert reminder.recipient == patient
    assert reminder.occurrence_key == str(sams_session.public_id)
    assert reminder.link_path == f"/journal/write/?session={sams_session.public_id}"


def test_no_invitation_right_after_the_session_nor_for_one_days_ago(patient, therapist):
    AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, occurred_at=timezone.now() - timedelta(minutes=30)
    )
    AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, occurred_at=timezone.now() - timedelta(days=5)
    )
    assert due(SESSION_REFLECTION) == []


def test_no_invitation_once_sam_wrote_about_the_session(patient, sams_session):
    EntryFactory(patient=patient, session=sams_session)
    assert due(SESSION_REFLECTION) == []


def test_a_draft_kept_or_discarded_still_leaves_the_invitation(patient, sams_session):
    EntryFactory(patient=patient, session=sams_session, draft=True)
    EntryFactory(patient=patient, session=sams_session, draft=True, discarded_at=timezone.now())
    assert [reminder.recipient for reminder in due(SESSION_REFLECTION)] == [patient]


# --- Answers and comments ----------------------------------------------------------------


def test_sam_hears_when_his_therapist_answers_his_consent_question(
    patient, therapist, sams_question
):
    assert due(CONSENT_ANSWER) == []  # not answered yet

    sams_question.answer = "We will talk it through together."
    sams_question.answered_by = therapist
    sams_question.answered_at = timezone.now()
    sams_question.save()

    [reminder] = due(CONSENT_ANSWER)
    assert reminder.recipient == patient
    assert reminder.occurrence_key == str(sams_question.public_id)
    assert reminder.link_path == "/consent/"


def test_an_answer_given_long_ago_is_not_announced(patient, therapist, sams_question):
    sams_question.answer = "Yes."
    sams_question.answered_by = therapist
    sams_question.answered_at = timezone.now() - timedelta(days=30)
    sams_question.save()
    assert due(CONSENT_ANSWER) == []


def test_sam_hears_his_care_team_wrote_on_his_entry_until_he_has_seen_it(patient, therapist):
    entry = EntryFactory(patient=patient, shared=True)
    comment = CommentFactory(entry=entry, author=therapist)

    [reminder] = due(CARE_TEAM_COMMENT)
    assert reminder.recipient == patient
    assert reminder.occurrence_key == str(comment.public_id)
    assert reminder.link_path == entry.get_absolute_url()

    comment.seen_by_patient_at = timezone.now()
    comment.save()
    assert due(CARE_TEAM_COMMENT) == []


# --- The therapist's digest --------------------------------------------------------------


def at_clinic(hour, day=10):
    return datetime(2026, 3, day, hour, 30, tzinfo=CLINIC)


def test_maya_gets_a_digest_after_seven_when_an_entry_awaits_review(patient, therapist):
    EntryFactory(patient=patient, shared=True)

    assert due(THERAPIST_DIGEST, at_clinic(6)) == []  # before REMINDER_DIGEST_HOUR
    [reminder] = due(THERAPIST_DIGEST, at_clinic(7))
    assert reminder.recipient == therapist
    # One a clinic day: the key is the local date, the same all day long.
    assert reminder.occurrence_key == "2026-03-10"
    assert due(THERAPIST_DIGEST, at_clinic(23))[0].occurrence_key == "2026-03-10"
    assert due(THERAPIST_DIGEST, at_clinic(8, day=11))[0].occurrence_key == "2026-03-11"


def test_an_open_consent_question_is_something_waiting_too(therapist, sams_question):
    assert [reminder.recipient for reminder in due(THERAPIST_DIGEST, at_clinic(9))] == [therapist]


def test_no_digest_when_nothing_waits_nor_for_a_colleague_without_the_patient(
    patient, therapist, other_therapist
):
    EntryFactory(patient=patient, reviewed=True)  # read already
    EntryFactory(patient=patient)  # private: never the therapist's to review
    assert due(THERAPIST_DIGEST, at_clinic(9)) == []

    EntryFactory(patient=patient, shared=True)
    assert [reminder.recipient for reminder in due(THERAPIST_DIGEST, at_clinic(9))] == [therapist]


def test_a_reply_from_sam_waiting_to_be_read_is_something_waiting(patient, therapist):
    entry = EntryFactory(patient=patient, reviewed=True)
    comment = CommentFactory(entry=entry, author=therapist)
    assert due(THERAPIST_DIGEST, at_clinic(9)) == []

    ReplyFactory(in_reply_to=comment)
    assert [reminder.recipient for reminder in due(THERAPIST_DIGEST, at_clinic(9))] == [therapist]


def test_an_unacknowledged_answer_to_item_9_is_something_waiting(patient, therapist):
    answered(patient, "phq9", PHQ9_WITH_ITEM_9, alert=True)
    assert [reminder.recipient for reminder in due(THERAPIST_DIGEST, at_clinic(9))] == [therapist]


# --- A questionnaire that is due ---------------------------------------------------------


def test_sam_is_reminded_of_a_questionnaire_his_therapist_scheduled(patient, therapist):
    assert due(MEASURE_DUE) == []  # nothing scheduled, nothing due

    schedule(patient, "phq9", by=therapist)
    [reminder] = due(MEASURE_DUE)
    assert reminder.recipient == patient
    assert reminder.occurrence_key == "phq9:baseline"
    assert reminder.link_path == f"/measures/start/{measure('phq9').public_id}/"


def test_once_sam_answers_the_next_reminder_waits_for_the_next_occasion(patient, therapist):
    schedule(patient, "phq9", interval=14, by=therapist)
    answered(patient, "phq9", [0] * 9)
    assert due(MEASURE_DUE) == []

    [reminder] = due(MEASURE_DUE, timezone.now() + timedelta(days=15))
    # A new occasion has a new key, so it is sent once more, and once only.
    assert reminder.occurrence_key.startswith("phq9:after:")

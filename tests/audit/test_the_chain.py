"""The audit trail is a chain: editing, deleting or leaving out an event breaks it visibly."""

import threading

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from audit.models import GENESIS_HASH, AuditEvent, AuditTrailError, Kind
from audit.selectors import verify_chain
from audit.services import record_event, recorded_together

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers and locks are PostgreSQL's"
)


@pytest.fixture
def three_events(patient, therapist):
    return [
        record_event(Kind.LOGIN_SUCCEEDED, actor=patient, patient=patient, ip_address="10.0.0.7"),
        record_event(Kind.ENTRIES_LISTED, actor=therapist, patient=patient, detail={"count": 4}),
        record_event(Kind.LOGGED_OUT, actor=patient, patient=patient),
    ]


def _verify_audit():
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_event_carries_the_hash_of_the_one_before(three_events):
    first, second, third = three_events
    assert [e.sequence for e in three_events] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert "3 audit events, chain intact" in _verify_audit()
    assert verify_chain().head == third.hash


def test_an_event_says_who_what_when_and_from_where_without_words(three_events, patient):
    stored = AuditEvent.objects.get(sequence=1)
    assert stored.actor == patient
    assert stored.actor_email == patient.email
    assert stored.kind == Kind.LOGIN_SUCCEEDED
    assert stored.ip_address == "10.0.0.7"
    assert stored.occurred_at is not None


def test_the_app_refuses_to_change_or_delete_an_event(three_events):
    event = AuditEvent.objects.get(sequence=2)
    event.detail = {"count": 0}
    with pytest.raises(AuditTrailError):
        event.save()
    with pytest.raises(AuditTrailError):
        event.delete()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.filter(pk=event.pk).update(kind=Kind.LOGGED_OUT)
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.all().delete()


def _tamper(statement, params=()):
    """What someone with the database's password could do, triggers and all."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore("audit.AuditEvent:append_only"):
            _sql(statement, params)
    else:
        _sql(statement, params)


def test_an_edited_event_is_caught(three_events):
    _tamper("UPDATE audit_auditevent SET ip_address = %s WHERE sequence = 2", ["203.0.113.9"])
    with pytest.raises(CommandError, match="audit event 2: was changed after it was written"):
        _verify_audit()


def test_a_deleted_event_in_the_middle_is_caught(three_events):
    _tamper("DELETE FROM audit_auditevent WHERE sequence = 2")
    with pytest.raises(CommandError, match="audit event 3: event 2 is missing"):
        _verify_audit()


def test_an_event_rewritten_with_a_fresh_hash_still_breaks_the_link_after_it(three_events):
    # The editor recomputes the edited event's own hash; the next event still points at
    # the old one.
    event = AuditEvent.objects.get(sequence=2)
    event.detail = {"count": 0}
    _tamper(
        "UPDATE audit_auditevent SET detail = %s, hash = %s WHERE sequence = 2",
        ['{"count": 0}', event.compute_hash()],
    )
    with pytest.raises(CommandError, match="audit event 3: does not follow the event before it"):
        _verify_audit()


@only_on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET kind = 'logout' WHERE sequence = 1",
        "DELETE FROM audit_auditevent WHERE sequence = 3",
    ],
)
def test_postgresql_refuses_to_rewrite_the_trail(three_events, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert verify_chain().is_intact


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_moment_never_fork_the_chain(patient):
    writers, events_each = 8, 10
    start = threading.Barrier(writers)
    failures = []

    def write():
        try:
            start.wait()
            for _ in range(events_each):
                record_event(Kind.ENTRY_VIEWED, patient=patient, detail={"thread": 1})
        except Exception as error:  # noqa: BLE001  (reported below, in the main thread)
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    sequences = list(AuditEvent.objects.in_order().values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * events_each + 1))
    assert verify_chain().is_intact


def test_events_recorded_together_are_chained_like_events_recorded_one_by_one(
    patient, therapist, django_assert_num_queries
):
    before = record_event(Kind.LOGIN_SUCCEEDED, actor=therapist)
    # Held until the block ends, then one write: the lock (a savepoint on SQLite), one
    # read of the chain's end, one insert.
    queries = 3 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(queries), recorded_together():
        listed = record_event(Kind.ENTRIES_LISTED, actor=therapist, patient=patient)
        with recorded_together():  # an inner block joins the outer one's write
            viewed = record_event(Kind.CONSENT_RECORD_VIEWED, actor=therapist, patient=patient)
        assert listed.sequence is None and viewed.sequence is None
    assert [listed.sequence, viewed.sequence] == [2, 3]
    assert listed.previous_hash == before.hash
    assert viewed.previous_hash == listed.hash
    stored = AuditEvent.objects.get(sequence=3)
    assert stored.hash == stored.compute_hash() == viewed.hash
    assert stored.kind == Kind.CONSENT_RECORD_VIEWED
    assert stored.actor_email == therapist.email
    assert "3 audit events, chain intact" in _verify_audit()


def test_nothing_is_recorded_when_a_block_of_events_fails(therapist):
    with pytest.raises(ValueError), recorded_together():
        record_event(Kind.ENTRIES_LISTED, actor=therapist)
        raise ValueError
    assert not AuditEvent.objects.exists()
    # Events after the failed block are written at once again.
    record_event(Kind.LOGGED_OUT, actor=therapist)
    assert AuditEvent.objects.get().sequence == 1


def test_events_cut_off_the_end_are_caught_with_a_head_kept_elsewhere(three_events):
    # Yesterday's run printed the head; someone then removed the newest event.
    kept_head = three_events[-1].hash
    _tamper("DELETE FROM audit_auditevent WHERE sequence = 3")
    assert "2 audit events, chain intact" in _verify_audit()
    with pytest.raises(CommandError, match="events were cut off"):
        call_command("verify_audit", holds=kept_head)

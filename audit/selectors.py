"""Reading the audit trail: checking the chain, and what a patient may see of it."""

from dataclasses import dataclass

from audit.models import GENESIS_HASH, AuditEvent

LINK_CHANGED = "does not follow the event before it (its link was changed)"
EVENT_CHANGED = "was changed after it was written (its hash does not match)"


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    first_break: ChainBreak | None

    @property
    def is_intact(self):
        return self.first_break is None


def verify_chain(*, batch_size=2000):
    """Walk the whole trail in order and report the first event that breaks the chain.

    An edited event no longer matches its own hash; a deleted one leaves a gap in the
    numbers and a successor pointing at a hash that is not there.
    """
    expected_sequence, previous_hash, count = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.in_order().iterator(chunk_size=batch_size):
        count += 1
        if event.sequence != expected_sequence:
            missing = f"{expected_sequence}" + (
                f" to {event.sequence - 1}" if event.sequence - 1 > expected_sequence else ""
            )
            return ChainReport(
                count, previous_hash, ChainBreak(event.sequence, f"event {missing} is missing")
            )
        if event.previous_hash != previous_hash:
            return ChainReport(
                count,
                previous_hash,
                ChainBreak(event.sequence, LINK_CHANGED),
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                count,
                previous_hash,
                ChainBreak(event.sequence, EVENT_CHANGED),
            )
        previous_hash = event.hash
        expected_sequence += 1
    return ChainReport(count, previous_hash, None)


def looks_at_words_of(patient):
    """Who on the care team opened or listed this patient's words, newest first."""
    return (
        AuditEvent.objects.about(patient)
        .looks_at_words()
        .exclude(actor=patient)
        .select_related("actor")
        .order_by("-sequence")
    )

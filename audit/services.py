"""Recording audit events: the one write the trail allows.

Services across the apps call `record_event` beside the change they make, in the same
transaction, so an action and its event are kept together or not at all.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from audit.models import GENESIS_HASH, AuditEvent, Kind
from common.net import client_ip

# Any fixed number: the PostgreSQL advisory lock that lets one writer at a time extend
# the chain, so two events can never both claim to follow the same one.
CHAIN_LOCK_ID = 0x4B41_5041  # "KAPA"
USER_AGENT_MAX_CHARS = 300

# Events held by `recorded_together` until its block ends; None when nothing holds them.
_held = ContextVar("audit_held_events", default=None)


def _object_facts(target):
    if target is None:
        return "", ""
    if isinstance(target, str):
        return "", target
    public_id = getattr(target, "public_id", None)
    return target._meta.label_lower, str(public_id if public_id is not None else target.pk)


def _address(ip_address):
    if ip_address and ":" in ip_address:
        try:
            return clean_ipv6_address(ip_address)
        except Exception:  # noqa: BLE001  (an unreadable address is kept as no address)
            return None
    return ip_address or None


def _client_address(request):
    try:
        return client_ip(request)
    except PermissionDenied:
        # No address at all (a request built in code, not received): record none.
        return request.META.get("REMOTE_ADDR")


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])


def record_event(
    kind,
    *,
    actor=None,
    patient=None,
    target=None,
    request=None,
    actor_email="",
    ip_address=None,
    user_agent="",
    detail=None,
):
    """Add one event to the end of the chain and return it.

    `actor` is who acted (None when nobody is logged in), `patient` whose record it
    concerns, `target` the object touched (a model with a public id, or a string id).
    With `request`, the client address (through the trusted proxies) and the browser
    are taken from it. `detail` holds small facts, never a patient's words.
    """
    kind = Kind(kind)
    if request is not None:
        ip_address = ip_address or _client_address(request)
        user_agent = user_agent or request.META.get("HTTP_USER_AGENT", "")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and not actor_email:
        actor_email = actor.email
    object_type, object_id = _object_facts(target)
    event = AuditEvent(
        kind=kind,
        actor=actor,
        actor_email=(actor_email or "")[:254],
        patient=patient,
        object_type=object_type,
        object_id=object_id,
        ip_address=_address(ip_address),
        user_agent=(user_agent or "")[:USER_AGENT_MAX_CHARS],
        detail=detail or {},
    )
    held = _held.get()
    if held is not None:
        held.append(event)
    else:
        _append([event])
    return event


@contextmanager
def recorded_together():
    """Hold the events recorded inside the block and add them to the chain when it ends.

    A page that records several events then takes the chain's lock once, reads its end
    once and inserts them in one statement: the same events, in the same order, chained
    as if recorded one by one. Use it inside the transaction of the action they record;
    until the block ends, the events `record_event` returned have no sequence or hash.
    If the block raises, nothing is recorded.
    """
    if _held.get() is not None:  # already inside one: its end writes these too
        yield
        return
    token = _held.set([])
    try:
        yield
        events = _held.get()
    finally:
        _held.reset(token)
    if events:
        _append(events)


def _append(events):
    """Chain `events` after the current end, one after the other, and insert them."""
    # The savepoint lets SQLite retry after a clash (below); on PostgreSQL the lock rules
    # clashes out and any error ends the whole action, so it would be two wasted trips.
    savepoint = connection.vendor != "postgresql"
    for attempt in range(5):
        try:
            with transaction.atomic(savepoint=savepoint):
                _lock_chain()
                last = AuditEvent.objects.in_order().values("sequence", "hash").last()
                sequence = last["sequence"] if last else 0
                previous_hash = last["hash"] if last else GENESIS_HASH
                for event in events:
                    sequence += 1
                    event.sequence = sequence
                    event.occurred_at = timezone.now()
                    event.previous_hash = previous_hash
                    event.hash = previous_hash = event.compute_hash()
                AuditEvent.objects.bulk_create(events)
                return
        except IntegrityError:
            # Without an advisory lock (SQLite), two writers can pick the same number;
            # the unique sequence refuses the second, which reads the new end and retries.
            if attempt == 4 or connection.vendor == "postgresql":
                raise
    raise AssertionError("unreachable")

"""Entries grouped by administration session, the way the patient and therapist read them."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

# A session older than this no longer prompts a reflection on the patient's home.
REFLECTION_WINDOW = timedelta(days=14)


@dataclass
class SessionGroup:
    session: object  # an AdministrationSession, or None for entries standing alone
    entries: list = field(default_factory=list)
    draft: object = None


def group_by_session(sessions, entries, drafts=()):
    """One group per session (newest first) with its entries, then the entries on their own."""
    groups = {s.pk: SessionGroup(session=s) for s in sessions}
    standalone = SessionGroup(session=None)
    for entry in entries:
        groups.get(entry.session_id, standalone).entries.append(entry)
    for draft in drafts:
        group = groups.get(draft.session_id)
        if group is not None and group.draft is None:
            group.draft = draft
    ordered = list(groups.values())
    if standalone.entries:
        ordered.append(standalone)
    return ordered


@dataclass
class ReflectionInvitation:
    session: object
    draft: object = None


def reflection_invitation(sessions, entries, drafts=()):
    """The most recent past session the patient has not written about yet, if recent."""
    now = timezone.now()
    reflected = {e.session_id for e in entries if e.submitted_at}
    for session in sorted(sessions, key=lambda s: s.occurred_at, reverse=True):
        if session.occurred_at > now:
            continue
        if session.occurred_at < now - REFLECTION_WINDOW or session.pk in reflected:
            return None
        draft = next((d for d in drafts if d.session_id == session.pk), None)
        return ReflectionInvitation(session=session, draft=draft)
    return None

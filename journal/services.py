"""Every change to the journal, for web pages and the API alike.

Each service takes typed values (a session object, ints, a list of experience codes,
bools: never form strings), checks the rules on the models, and raises ValidationError
with the words a patient or therapist reads. Fetching the right object, and refusing
someone else's, happens before a service is called (see `journal.selectors`).
"""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Kind
from audit.services import record_event
from journal import selectors
from journal.models import (
    COMMENT_MAX_CHARS,
    INTENTION_MAX_CHARS,
    REPLY_MAX_CHARS,
    WRITTEN_FIELDS,
    AdministrationSession,
    ClinicalNote,
    Comment,
    DraftDiscardedError,
    Entry,
    EntryRead,
    EntryRevision,
    Intention,
    Side,
)

NOTHING_TO_SAVE = gettext_lazy(
    "There is nothing to save yet. Write a few words, answer a prompt or choose your mood, "
    "then save."
)
DRAFT_WAS_DISCARDED = gettext_lazy(
    "You discarded this draft, so it no longer saves. If you want to keep what is on this "
    "screen, copy it and start a new entry."
)


# --- The patient writes ----------------------------------------------------------------


def _apply(entry, fields):
    """Set the fields given; the others keep their current values (a partial update)."""
    unknown = set(fields) - set(WRITTEN_FIELDS)
    if unknown:
        raise TypeError(f"Not a field a patient writes: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(entry, name, value)


def _check(entry, *, finishing):
    # The patient and the session were chosen by us, not typed: Entry.clean checks that
    # the session is the patient's own. A key that is someone else's is a 404 on storing.
    entry.full_clean(
        exclude=["patient", "session"], validate_unique=False, validate_constraints=False
    )
    if finishing and entry.is_empty:
        raise ValidationError(NOTHING_TO_SAVE, code="empty")


def _store(entry, *, submit):
    try:
        entry._store(submit=submit)
    except IntegrityError:
        # The key belongs to someone else's entry: never confirm that it exists.
        raise Http404("No such draft.") from None
    except DraftDiscardedError:
        # A second tab, or a save that crossed the discard: the words on the screen stay
        # there (the page and the app keep them), and the discarded draft stays as it was.
        raise ValidationError(DRAFT_WAS_DISCARDED, code="discarded") from None
    return entry


@transaction.atomic
def save_draft(*, patient, draft_key, fields):
    """Keep what the patient has written so far, under the key the page or app chose.

    `fields` may hold only some of the fields; the others keep their stored values. If
    the entry was submitted already (an autosave that arrived after the submit), nothing
    changes and the submitted entry is returned.
    """
    entry = selectors.draft_for(patient, draft_key)
    if not entry.is_draft:
        return entry
    _apply(entry, fields)
    _check(entry, finishing=False)
    return _store(entry, submit=False)


@transaction.atomic
def submit_entry(*, patient, draft_key, fields):
    """Finish the draft with this key: it becomes an entry. Submitting twice makes one entry."""
    entry = selectors.draft_for(patient, draft_key)
    if not entry.is_draft:
        # A double submit: the first one made the entry.
        return entry
    _apply(entry, fields)
    _check(entry, finishing=True)
    return _store(entry, submit=True)


@transaction.atomic
def edit_entry(*, entry, fields):
    """Save the patient's changes to a submitted entry; the care team sees when.

    What the entry said before is kept as an EntryRevision, which only the patient reads.
    Returns the entry as stored. Sending the values it already has changes nothing, so
    it is not marked as edited and keeps no revision.
    """
    if entry.is_draft:
        raise ValidationError("A draft is finished on the writing page, not edited.")
    # Compared with the row, not with `entry`, which a form may have changed already.
    stored = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("session", "patient")
        .get(pk=entry.pk)
    )
    if not any(_differs(stored, name, value) for name, value in fields.items()):
        return stored
    earlier = EntryRevision(
        entry=stored,
        saved_at=stored.edited_at or stored.submitted_at,
        **{name: _copy(getattr(stored, name)) for name in WRITTEN_FIELDS},
    )
    _apply(stored, fields)
    _check(stored, finishing=True)
    now = timezone.now()
    earlier.replaced_at = now
    earlier.save(force_insert=True)
    stored.edited_at = stored.updated_at = now
    stored.save()
    return stored


def _copy(value):
    # The list of experiences is the one mutable value: the revision keeps its own.
    return list(value) if isinstance(value, list) else value


def _differs(entry, name, value):
    if name == "experiences":
        # The order the boxes were ticked in is not a change.
        return set(entry.experiences or []) != set(value or [])
    return getattr(entry, name) != value


@transaction.atomic
def share_entry(*, entry):
    """Share a submitted entry with the patient's care team."""
    if entry.is_draft:
        raise ValidationError(_("Finish the entry before sharing it."))
    if not entry.is_shared:
        entry.is_shared = True
        entry.shared_at = timezone.now()
        entry.save(update_fields=["is_shared", "shared_at", "has_crisis_language"])
    return entry


@transaction.atomic
def discard_draft(*, entry):
    """The patient throws an unfinished draft away: it leaves every list and page.

    Its row and its words are kept (nothing a patient wrote is erased), stamped with
    when it was discarded; nobody is shown it again, the patient included. A submitted
    entry is never discarded: it is edited, and its earlier versions are kept.
    """
    if not entry.is_draft:
        raise ValidationError(_("Only an unfinished draft can be discarded."))
    now = timezone.now()
    # Conditional: a submit that crossed this request wins, and the entry stays.
    discarded = Entry.objects.filter(
        pk=entry.pk, submitted_at__isnull=True, discarded_at__isnull=True
    ).update(discarded_at=now)
    if discarded:
        entry.discarded_at = now
    return entry


@transaction.atomic
def mark_comments_seen(*, patient, entry):
    """The patient has now seen the care team's words on this entry (comments and replies).

    Returns the ids that were new."""
    unseen = selectors.comments(patient, entry).unseen_by_patient()
    new_ids = set(unseen.values_list("pk", flat=True))
    if new_ids:
        Comment.objects.filter(pk__in=new_ids).update(seen_by_patient_at=timezone.now())
    return new_ids


# --- The patient's intention before a session -------------------------------------------

EMPTY_INTENTION = gettext_lazy(
    "There is nothing to save yet. Write a few words about what you want to bring into "
    "your next session, then save."
)
INTENTION_WENT_WITH_SESSION = gettext_lazy(
    "Your session was recorded just before this arrived, so the intention you had written "
    "stays with that session as it was. Your new words are still here: save them as an "
    "intention for your next session."
)
INTENTION_WRITTEN_ELSEWHERE = gettext_lazy(
    "You already have an intention for your next session, written in another window. "
    "Your words here are not saved yet: copy them, then open your intention to change it."
)


@transaction.atomic
def save_intention(*, patient, body, is_shared, key=None):
    """Write or change the patient's intention for their next session.

    `key` is the intention the page was changing, or the id it chose for a new one, so
    a double submit changes one intention, and a page left open while the session was
    recorded (or while another window wrote one) is told so instead of overwriting.
    Without a key (the API), the pending intention is changed, or a new one begun.
    Returns the intention as stored.
    """
    if not (body or "").strip():
        raise ValidationError(EMPTY_INTENTION, code="empty")
    if len(body) > INTENTION_MAX_CHARS:
        # A TextField's max_length is the form's; the rule is said here for every front end.
        raise ValidationError(
            {
                "body": _(
                    "An intention holds %(limit)s characters at most (this one has "
                    "%(count)s). Could you shorten it? The rest can go in a journal entry."
                )
                % {"limit": f"{INTENTION_MAX_CHARS:,}", "count": f"{len(body):,}"}
            },
            code="too_long",
        )
    pending = (
        Intention.objects.visible_to(patient).pending().select_for_update(of=("self",)).first()
    )
    if key is not None and (pending is None or pending.public_id != key):
        earlier = Intention.objects.visible_to(patient).filter(public_id=key).first()
        if earlier is not None:
            raise ValidationError(INTENTION_WENT_WITH_SESSION, code="attached")
        if pending is not None:
            raise ValidationError(INTENTION_WRITTEN_ELSEWHERE, code="elsewhere")
    intention = pending or Intention(patient=patient, public_id=key or uuid.uuid4())
    intention.body = body
    intention.is_shared = is_shared
    intention.updated_at = timezone.now()
    intention.full_clean(exclude=["patient", "session"], validate_unique=False)
    if not intention._state.adding:
        intention.save(update_fields=["body", "is_shared", "updated_at"])
        return intention
    try:
        with transaction.atomic():
            intention.written_at = intention.updated_at
            intention.save(force_insert=True)
    except IntegrityError:
        # Another request began one a moment ago (the same key: a double submit), or
        # the key is someone else's: never confirm that it exists.
        crossed = Intention.objects.visible_to(patient).pending().filter(public_id=key).first()
        if key is None or crossed is None:
            raise Http404("No such intention.") from None
        crossed.body, crossed.is_shared = body, is_shared
        crossed.updated_at = timezone.now()
        crossed.save(update_fields=["body", "is_shared", "updated_at"])
        return crossed
    return intention


# --- The thread under an entry: the care team and the patient answer each other ---------

NOTHING_TO_SEND = gettext_lazy("Write a few words before sending.")
NO_COMMENT_TO_ANSWER = gettext_lazy(
    "You can answer here once your care team has commented on this entry."
)
# A second click within this time that sends the same words adds nothing.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


@transaction.atomic
def reply_on_entry(*, entry, author, body):
    """Add the author's reply to the thread under the entry: the patient's, or the care team's.

    Whoever may reply was checked before (`accounts.access.can_reply_on_entry`). The
    reply answers the latest message from the other side. Sending the same words twice
    in a row (a double submit) keeps one reply. Returns the reply.
    """
    side = Side.PATIENT if author.pk == entry.patient_id else Side.CARE_TEAM
    other = Side.CARE_TEAM if side == Side.PATIENT else Side.PATIENT
    # One thread at a time per entry: two replies crossing each other queue here.
    Entry.objects.select_for_update(of=("self",)).filter(pk=entry.pk).first()
    thread = Comment.objects.filter(entry=entry).order_by("-created_at", "-pk")
    answered = thread.filter(author_side=other).first()
    if side == Side.PATIENT and answered is None:
        raise ValidationError(NO_COMMENT_TO_ANSWER, code="no_comment")
    if not (body or "").strip():
        raise ValidationError(NOTHING_TO_SEND, code="empty")
    # The patient's side of the thread is a short answer; the care team's follows comments.
    limit = REPLY_MAX_CHARS if side == Side.PATIENT else COMMENT_MAX_CHARS
    if len(body) > limit:
        raise ValidationError(
            _(
                "A reply holds %(limit)s characters at most (this one has %(count)s). "
                "Could you shorten it, or write the rest in a new entry?"
            )
            % {"limit": f"{limit:,}", "count": f"{len(body):,}"},
            code="too_long",
        )
    latest = thread.first()
    if (
        latest is not None
        and latest.author_id == author.pk
        and latest.body == body
        and latest.created_at > timezone.now() - DOUBLE_SUBMIT_WINDOW
    ):
        return latest
    now = timezone.now()
    reply = Comment(
        entry=entry,
        author=author,
        author_side=side,
        in_reply_to=answered,
        body=body,
        created_at=now,
        # Nobody needs telling about their own words.
        seen_by_patient_at=now if side == Side.PATIENT else None,
        read_by_care_team_at=now if side == Side.CARE_TEAM else None,
    )
    reply.full_clean(exclude=["entry", "author", "in_reply_to"])
    reply.save()
    return reply


@transaction.atomic
def mark_replies_read(*, entry, reader):
    """The care team has now read the patient's replies on this entry. Returns the new ids."""
    unread = selectors.comments(reader, entry).unread_by_care_team()
    new_ids = set(unread.values_list("pk", flat=True))
    if new_ids:
        Comment.objects.filter(pk__in=new_ids).update(read_by_care_team_at=timezone.now())
    return new_ids


def mark_thread_read(*, entry, reader):
    """Whoever opens the thread has read what the other side wrote in it."""
    if reader.pk == entry.patient_id:
        return mark_comments_seen(patient=reader, entry=entry)
    return mark_replies_read(entry=entry, reader=reader)


# --- The care team ---------------------------------------------------------------------


@transaction.atomic
def record_session(*, patient, recorded_by, occurred_at, route, dose_mg=None, notes=""):
    """Record a ketamine administration, after it took place, for a patient in care."""
    session = AdministrationSession(
        patient=patient,
        recorded_by=recorded_by,
        occurred_at=occurred_at,
        route=route,
        dose_mg=dose_mg,
        notes=notes,
    )
    session.full_clean(exclude=["patient", "recorded_by"], validate_unique=False)
    session.save()
    # What the patient wrote before the session now belongs to it, and stays as it was.
    Intention.objects.filter(
        patient=patient, session__isnull=True, written_at__lt=session.occurred_at
    ).update(session=session)
    return session


@transaction.atomic
def comment_on_entry(*, entry, author, body):
    """A comment the patient reads under their entry.

    If the patient has replied in the thread, the comment answers their latest reply.
    """
    answered = Comment.objects.filter(entry=entry).from_patient().order_by("-created_at").first()
    comment = Comment(entry=entry, author=author, body=body, in_reply_to=answered)
    comment.full_clean(exclude=["entry", "author", "in_reply_to"])
    comment.save()
    return comment


@transaction.atomic
def add_clinical_note(*, entry, author, body):
    """A private note on the entry for the care team; the patient never sees it."""
    note = ClinicalNote(entry=entry, author=author, body=body)
    note.full_clean(exclude=["entry", "author"])
    note.save()
    return note


@transaction.atomic
def mark_reviewed(*, entry, by):
    """The therapist has read this version of the entry."""
    if not entry.is_shared or entry.is_draft:
        raise ValidationError(_("Only a shared entry can be reviewed."))
    entry.reviewed_at = timezone.now()
    entry.reviewed_by = by
    entry.save(update_fields=["reviewed_at", "reviewed_by"])
    return entry


def open_entries(*, entries, reader):
    """Note that this reader opened these entries, now: the patient sees who read them."""
    now = timezone.now()
    return EntryRead.objects.bulk_create(
        [EntryRead(entry=entry, reader=reader, read_at=now) for entry in entries]
    )


def open_entry(*, entry, reader):
    """Note that this reader opened this entry, now."""
    return open_entries(entries=[entry], reader=reader)[0]


# --- The care team sees a patient's words: each time is on the audit trail ---------------
#
# Every page and endpoint that shows a therapist what a patient wrote calls one of these,
# after the access check (someone else's patient is a 404 before anything is recorded).
# Events carry who, whose, which entry and how many, never the words; `request` gives the
# address and browser. The patient reads them on their "who looked" page.


@transaction.atomic
def open_entry_for_review(*, entry, reader, request=None):
    """A therapist opens one shared entry (the review page, the API)."""
    read = open_entry(entry=entry, reader=reader)
    record_event(
        Kind.ENTRY_VIEWED, actor=reader, patient=entry.patient, target=entry, request=request
    )
    return read


@transaction.atomic
def open_agenda(*, viewer, patient, entries, intentions=(), request=None):
    """A therapist opens the integration agenda, which shows each entry on it in full, and
    the intentions the patient wrote before their sessions.

    Each entry counts as read (the patient sees it under the entry), and the agenda is
    one event on the trail. An agenda with none of the patient's words records nothing.
    """
    entries, intentions = list(entries), list(intentions)
    if not entries and not intentions:
        return None
    open_entries(entries=entries, reader=viewer)
    detail = {"count": len(entries)}
    if intentions:
        detail["intentions"] = len(intentions)
    return record_event(
        Kind.AGENDA_VIEWED,
        actor=viewer,
        patient=patient,
        target=patient,
        request=request,
        detail=detail,
    )


def list_intentions(*, viewer, patient, count, request=None):
    """A therapist reads the intentions a patient shared (the API): one event, as for a list
    of entries, with how many it held. An empty list records nothing."""
    if not count:
        return None
    return record_event(
        Kind.ENTRIES_LISTED,
        actor=viewer,
        patient=patient,
        target=patient,
        request=request,
        detail={"count": 0, "intentions": count},
    )


def read_thread(*, entry, reader, request=None):
    """Someone on the care team reads the thread under an entry, with the patient's replies
    in it: an opening of the entry like any other (the patient's words are in it)."""
    if reader.pk == entry.patient_id:
        return None
    return open_entry_for_review(entry=entry, reader=reader, request=request)


def list_entries(*, viewer, patient, count, request=None):
    """A therapist sees a list of the patient's shared entries with their first words.

    One event per list shown (a page, a page of the API), with how many entries it held.
    A list with nothing in it shows no words and records nothing.
    """
    if not count:
        return None
    return record_event(
        Kind.ENTRIES_LISTED,
        actor=viewer,
        patient=patient,
        target=patient,
        request=request,
        detail={"count": count},
    )


@transaction.atomic
def mark_discussed(*, viewer, patient, entry_ids):
    """Talked about in an integration session: these entries leave the patient's agenda.

    Only the entries chosen (those on the agenda the therapist saw): one shared a minute
    ago stays on it. Returns how many left the agenda.
    """
    chosen = selectors.agenda(viewer, patient).filter(public_id__in=list(entry_ids))
    return Entry.objects.filter(pk__in=list(chosen.values_list("pk", flat=True))).update(
        discussed_at=timezone.now()
    )

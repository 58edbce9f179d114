"""Reads of the journal that web pages and the API share.

Every read goes through a `visible_to(user)` scope, so each selector answers only what
its viewer may see. Someone else's entry, draft or session is a 404, exactly like a
missing one: never confirm that it exists. Presentation (labels, wording) lives in the
templates and template tags, never here.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from audit.models import Kind
from audit.selectors import looks_at_words_of
from common.keyset import KeysetPage, keyset_page
from journal.charts import MAX_POINTS, MoodChart
from journal.models import (
    AdministrationSession,
    ClinicalNote,
    Comment,
    Entry,
    EntryRead,
    EntryRevision,
    Intention,
    Side,
)

# A session older than this no longer prompts a reflection on the patient's home.
REFLECTION_WINDOW = timedelta(days=14)
# The review page lists the latest openings; the patient's page counts them all.
REVIEW_READS_SHOWN = 10
# The patient's "who looked" page, a screenful at a time.
LOOKS_PER_PAGE = 25


def parse_key_or_404(raw):
    """A UUID from a query string or a form; anything else was not sent by our pages."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise Http404("Not found.") from None


# --- One entry -------------------------------------------------------------------------


def entry_or_404(user, public_id):
    """An entry this user may read: a patient's own (drafts too), or a shared one."""
    return get_object_or_404(
        Entry.objects.visible_to(user).select_related("session", "patient"), public_id=public_id
    )


def reviewable_entry_or_404(user, public_id):
    """A shared entry this therapist may review, comment on and add notes to."""
    entry = get_object_or_404(
        Entry.objects.visible_to(user).select_related("patient", "session", "reviewed_by"),
        public_id=public_id,
    )
    if not access.can_review_entry(user, entry):
        # 404, not 403: the same answer as for an entry that does not exist.
        raise Http404("No such entry.")
    return entry


def draft_for(patient, key):
    """The patient's entry with this key, or a new draft that will take the key.

    The key is chosen by the page or the app, so it may already belong to an entry that
    was submitted (a double submit, a late autosave): callers check `is_draft`.
    """
    entry = Entry.objects.visible_to(patient).select_related("session").filter(public_id=key)
    return entry.first() or Entry(patient=patient, public_id=key)


def draft_or_404(patient, key):
    """One of the patient's unfinished drafts."""
    return get_object_or_404(
        Entry.objects.visible_to(patient).drafts().select_related("session"), public_id=key
    )


def draft_to_resume(patient, *, draft_key=None, session_key=None):
    """The draft the writing page opens: asked for by key, or the latest about this session."""
    if draft_key is not None:
        return draft_or_404(patient, draft_key)
    session = session_or_404(patient, session_key) if session_key is not None else None
    drafts = Entry.objects.visible_to(patient).drafts().select_related("session")
    draft = drafts.about(session).order_by("-updated_at").first()
    return draft or Entry(patient=patient, session=session)


# --- Sessions and lists ----------------------------------------------------------------


def session_or_404(user, public_id):
    return get_object_or_404(AdministrationSession.objects.visible_to(user), public_id=public_id)


def sessions(viewer, *, patient=None):
    """Administration sessions the viewer may see, newest first: theirs, or one patient's."""
    found = AdministrationSession.objects.visible_to(viewer)
    if patient is not None:
        found = found.of(patient)
    return found.select_related("recorded_by").order_by("-occurred_at", "-pk")


def last_session(viewer, patient):
    """The patient's most recent session that has already taken place."""
    return (
        AdministrationSession.objects.visible_to(viewer).of(patient).past().newest_first().first()
    )


def entries(viewer, *, patient=None, state="all", session=None, since=None, until=None):
    """Entries the viewer may read, newest first, narrowed the way the API lists them.

    `state` is "submitted", "draft" or "all"; `since` and `until` are dates, inclusive.
    """
    found = Entry.objects.visible_to(viewer)
    if patient is not None:
        found = found.filter(patient=patient)
    if state == "submitted":
        found = found.submitted()
    elif state == "draft":
        found = found.drafts()
    if session is not None:
        found = found.about(session)
    if since is not None:
        found = found.filter(created_at__date__gte=since)
    if until is not None:
        found = found.filter(created_at__date__lte=until)
    return (
        found.annotate(revision_count=_count(EntryRevision))
        .select_related("session", "patient")
        .order_by("-created_at", "-pk")
    )


def _count(related, **conditions):
    """A per-entry count as a correlated subquery.

    A JOIN with GROUP BY would count over every entry of the patient before the page is
    cut; a subquery is evaluated only for the rows the page shows.
    """
    counted = (
        related.objects.filter(entry=OuterRef("pk"), **conditions)
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _readers(**conditions):
    counted = (
        EntryRead.objects.filter(entry=OuterRef("pk"), **conditions)
        .order_by()
        .values("entry")
        .annotate(n=Count("reader", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def entries_with_counts(queryset):
    """Entries with how many comments they have, how many people read them and how many
    times the patient edited them.

    Their sessions are not joined: a page groups its entries under sessions it reads once
    (`sessions_for_page`), and a card never shows its own.
    """
    return queryset.annotate(
        comment_count=_count(Comment),
        reader_count=_readers(),
        revision_count=_count(EntryRevision),
    )


# --- Grouped by session ----------------------------------------------------------------


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


def sessions_for_page(viewer, patient, page):
    """The sessions one page of the journal shows, in one query.

    Those its entries are about, and those with no entry the viewer can see that fall in
    the stretch of time the page covers: newer than its oldest entry (unless it is the
    last page) and no newer than where the page before it ended. So each session with
    nothing written about it appears on exactly one page, and an empty journal shows
    every session.
    """
    shown = {entry.session_id for entry in page.items if entry.session_id}
    stretch = Q()
    if not page.is_first:
        stretch &= Q(occurred_at__lte=page.after.moment)
    if page.has_older:
        stretch &= Q(occurred_at__gt=page.items[-1].submitted_at)
    written_about = Entry.objects.visible_to(viewer).submitted().filter(session=OuterRef("pk"))
    return list(
        with_intentions(
            viewer,
            AdministrationSession.objects.visible_to(viewer)
            .of(patient)
            .filter(Q(pk__in=shown) | (stretch & ~Exists(written_about))),
        ).newest_first()
    )


def with_intentions(viewer, sessions):
    """Sessions, each with the intention the patient wrote before it (`intention_body`),
    if this viewer may read it: a subquery, so a page of sessions stays one query."""
    before = Intention.objects.visible_to(viewer).filter(session=OuterRef("pk"))
    return sessions.annotate(
        intention_body=Subquery(before.values("body")[:1]),
        intention_written_at=Subquery(before.values("written_at")[:1]),
        intention_is_shared=Subquery(before.values("is_shared")[:1]),
    )


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


def invitation_to_reflect(patient):
    """The invitation to write about the latest session, from that session alone (2 queries
    at most)."""
    latest = list(AdministrationSession.objects.visible_to(patient).past().newest_first()[:1])
    if not latest:
        return None  # no session yet: nothing to reflect on
    about_latest = list(Entry.objects.visible_to(patient).filter(session__in=latest))
    return reflection_invitation(
        latest,
        [e for e in about_latest if not e.is_draft],
        [e for e in about_latest if e.is_draft],
    )


def _invitation_beside(patient, drafts):
    """What `invitation_to_reflect` answers, in one query, for a page that has read all of
    the patient's drafts already."""
    written_about = Entry.objects.visible_to(patient).submitted().filter(session=OuterRef("pk"))
    latest = list(
        AdministrationSession.objects.visible_to(patient)
        .past()
        .newest_first()
        .annotate(is_reflected_on=Exists(written_about))[:1]
    )
    if latest and latest[0].is_reflected_on:
        return None
    # The newest draft first, as the entries' own order gives them to invitation_to_reflect.
    newest = sorted(drafts, key=lambda draft: draft.created_at, reverse=True)
    return reflection_invitation(latest, (), newest)


# --- The mood chart, over a window of time ------------------------------------------------

# The windows a person can choose; the chart shows the last 90 days unless asked.
CHART_WINDOWS = {"90": 90, "365": 365, "all": None}
DEFAULT_CHART_WINDOW = "90"


def chart_window(raw):
    """The chart window asked for in the query string, or the default for anything else."""
    return raw if raw in CHART_WINDOWS else DEFAULT_CHART_WINDOW


def mood_chart(viewer, patient, window=DEFAULT_CHART_WINDOW):
    """The mood chart over the chosen window: its newest scored entries and its sessions.

    Two queries, each bounded (the entries by the chart's point limit), whatever the
    journal's length.
    """
    days = CHART_WINDOWS[chart_window(window)]
    since = timezone.now() - timedelta(days=days) if days else None
    scored = (
        Entry.objects.visible_to(viewer)
        .filter(patient=patient)
        .submitted()
        .filter(Q(mood__isnull=False) | Q(anxiety__isnull=False))
        .only("submitted_at", "mood", "anxiety")
        .order_by("-submitted_at")
    )
    sessions = AdministrationSession.objects.visible_to(viewer).of(patient).past()
    if since is not None:
        scored = scored.filter(submitted_at__gte=since)
        sessions = sessions.filter(occurred_at__gte=since)
    chart = MoodChart.from_entries(
        list(scored[:MAX_POINTS]), list(sessions.only("occurred_at").newest_first())
    )
    chart.window = chart_window(window)
    return chart


# --- The journal pages -------------------------------------------------------------------


@dataclass
class JournalPage:
    """One page of the patient's entries, grouped by session, and all their drafts."""

    groups: list
    page: KeysetPage
    drafts: list


def journal_page(patient, *, cursor=None):
    """A page of the patient's submitted entries (newest first, 20 at a time) under their
    sessions, each session offering its draft: what "Older entries" swaps in (4 queries)."""
    submitted = entries_with_counts(Entry.objects.visible_to(patient).submitted()).annotate(
        new_comment_count=_count(
            Comment, author_side=Side.CARE_TEAM, seen_by_patient_at__isnull=True
        )
    )
    page = keyset_page(submitted, cursor=cursor)
    drafts = list(
        Entry.objects.visible_to(patient).drafts().select_related("session").order_by("-updated_at")
    )
    return JournalPage(
        groups=group_by_session(sessions_for_page(patient, patient, page), page.items, drafts),
        page=page,
        drafts=drafts,
    )


@dataclass
class Timeline(JournalPage):
    """The patient's journal page: a page of entries, the invitation to reflect and the chart."""

    invitation: ReflectionInvitation | None = None
    chart: MoodChart | None = None


def timeline(patient, *, cursor=None, window=DEFAULT_CHART_WINDOW):
    """A page of the journal with the patient's drafts, the invitation to reflect and the
    mood chart.

    A fixed number of queries whatever the journal holds
    (tests/config/test_key_pages_query_counts.py).
    """
    part = journal_page(patient, cursor=cursor)
    return Timeline(
        groups=part.groups,
        page=part.page,
        drafts=part.drafts,
        invitation=_invitation_beside(patient, part.drafts),
        chart=mood_chart(patient, patient, window),
    )


@dataclass
class PatientJournal:
    """One patient's journal as their therapist sees it: shared entries only, a page at a time."""

    groups: list
    page: KeysetPage
    chart: MoodChart
    agenda_count: int
    next_intention: Intention | None = None  # shared, for the session to come

    @property
    def shown_count(self):
        return len(self.page.items)


def patient_journal(*, viewer, patient, cursor=None, window=DEFAULT_CHART_WINDOW):
    """A page of the shared entries (each with its comments, readers and notes counted),
    grouped by session, with the chart and how many entries wait on the agenda."""
    shared = Entry.objects.visible_to(viewer).filter(patient=patient)
    page = keyset_page(
        entries_with_counts(shared).annotate(
            note_count=_count(ClinicalNote),
            unread_reply_count=_count(
                Comment, author_side=Side.PATIENT, read_by_care_team_at__isnull=True
            ),
        ),
        cursor=cursor,
    )
    return PatientJournal(
        groups=group_by_session(sessions_for_page(viewer, patient, page), page.items),
        page=page,
        chart=mood_chart(viewer, patient, window),
        agenda_count=shared.for_discussion().count(),
        next_intention=pending_intention(viewer, patient),
    )


@dataclass
class HomeCard:
    """The journal on the patient's home: an invitation to reflect, and new comments."""

    invitation: ReflectionInvitation | None
    new_comments: list
    next_intention: Intention | None = None


def home_card(patient):
    new_comments = (
        Comment.objects.visible_to(patient)
        # Says again what the scope says, as a join: PostgreSQL then walks the patient's
        # entries to their comments instead of scanning every unseen comment (0.3 ms, not 5).
        .filter(entry__patient=patient)
        .unseen_by_patient()
        .select_related("entry", "author")
        .order_by("-created_at")
    )
    return HomeCard(
        invitation=invitation_to_reflect(patient),
        new_comments=list(new_comments[:3]),
        next_intention=pending_intention(patient, patient),
    )


# --- Around one entry: comments, notes, readers ----------------------------------------


def comments(viewer, entry):
    """The care team's comments on this entry, oldest first."""
    return (
        Comment.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def thread(viewer, entry):
    """The thread under an entry: the care team's comments and the patient's replies, in
    the order they were written. The same rows as `comments`, named for what they are."""
    return comments(viewer, entry)


def clinical_notes(viewer, entry):
    """The care team's private notes on this entry, oldest first. Never for the patient."""
    return (
        ClinicalNote.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def readers(viewer, entry):
    """Who on the care team opened this entry: their name, when last, and how often."""
    return (
        EntryRead.objects.visible_to(viewer)
        .filter(entry=entry)
        .values("reader")
        .annotate(
            reader_name=Concat("reader__first_name", Value(" "), "reader__last_name"),
            last_read_at=Max("read_at"),
            times=Count("pk"),
        )
        .order_by("-last_read_at", "reader")
    )


@dataclass
class Review:
    """What a therapist reviewing an entry sees beside it."""

    comments: object
    notes: object
    reads: object


def review(viewer, entry):
    return Review(
        comments=comments(viewer, entry),
        notes=clinical_notes(viewer, entry),
        reads=EntryRead.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("reader")[:REVIEW_READS_SHOWN],
    )


def agenda(viewer, patient):
    """The patient's shared entries marked for discussion and not discussed yet, oldest first.

    Each comes with its comments, which the printed agenda shows under the entry.
    """
    return (
        Entry.objects.visible_to(viewer)
        .filter(patient=patient)
        .for_discussion()
        .select_related("session", "patient")
        .annotate(revision_count=_count(EntryRevision))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.visible_to(viewer)
                .select_related("author")
                .order_by("created_at", "pk"),
            )
        )
        .order_by("submitted_at", "pk")
    )


# --- Earlier versions, for the patient only ----------------------------------------------


def revisions(viewer, entry):
    """What this entry said before each of the patient's edits, newest first.

    Only the patient who wrote it gets any: for anyone else the list is empty.
    """
    return (
        EntryRevision.objects.visible_to(viewer)
        .filter(entry=entry)
        .select_related("session")
        .newest_first()
    )


# --- Who looked at the patient's words ---------------------------------------------------

LOOK_WHAT = {
    Kind.ENTRY_VIEWED: "entry",
    Kind.ENTRIES_LISTED: "list",
    Kind.AGENDA_VIEWED: "agenda",
}


@dataclass(frozen=True)
class Look:
    """One time someone on the care team saw the patient's words, as the patient reads it."""

    looked_at: datetime
    who: str
    what: str  # "entry" (one entry opened), "list" (shared entries listed), "agenda"
    entry: Entry | None = None  # the entry opened, if it still shows in the journal
    count: int | None = None  # how many entries a list or the agenda showed
    intentions: int | None = None  # how many intentions before sessions it showed


def looks_at_my_words(patient, *, page=1):
    """A page of the times the care team opened or listed this patient's words, newest first.

    From the audit trail (`audit.selectors.looks_at_words_of`): three queries whatever
    the page holds (the count, the events with their actors, the entries they name).
    """
    events = Paginator(looks_at_words_of(patient), LOOKS_PER_PAGE).get_page(page)
    events.object_list = describe_looks(patient, list(events.object_list))
    return events


def describe_looks(patient, events):
    """The audit events as Looks, with the entries they name (the patient's own) attached."""
    keys = {e.object_id for e in events if e.kind == Kind.ENTRY_VIEWED and e.object_id}
    entries = {
        str(entry.public_id): entry
        for entry in Entry.objects.visible_to(patient).filter(public_id__in=_uuids(keys))
    }
    return [
        Look(
            looked_at=event.occurred_at,
            who=_name_of(event),
            what=LOOK_WHAT.get(event.kind, "list"),
            entry=entries.get(event.object_id) if event.kind == Kind.ENTRY_VIEWED else None,
            count=(event.detail or {}).get("count"),
            intentions=(event.detail or {}).get("intentions"),
        )
        for event in events
    ]


def _uuids(keys):
    found = []
    for key in keys:
        try:
            found.append(uuid.UUID(key))
        except ValueError:
            continue
    return found


def _name_of(event):
    if event.actor is not None and event.actor.get_full_name():
        return event.actor.get_full_name()
    return _("Someone at the clinic")


# --- Intentions before a session ---------------------------------------------------------


def pending_intention(viewer, patient):
    """The intention the patient wrote for their next session, if this viewer may read it."""
    return Intention.objects.visible_to(viewer).filter(patient=patient).pending().first()


def intention_or_404(viewer, public_id):
    return get_object_or_404(
        Intention.objects.visible_to(viewer).select_related("session"), public_id=public_id
    )


def intentions(viewer, *, patient=None):
    """Intentions this viewer may read, newest first: the patient's own, or those a patient
    shared (pass `patient`)."""
    found = Intention.objects.visible_to(viewer)
    if patient is not None:
        found = found.filter(patient=patient)
    return found.select_related("session").newest_first()


def intention_before(viewer, session):
    """What the patient wanted to bring into this session, if this viewer may read it."""
    if session is None:
        return None
    return Intention.objects.visible_to(viewer).filter(session=session).first()


# A therapist preparing an integration session looks back this far.
LOOP_SESSIONS = 3


@dataclass
class SessionLoop:
    """One session as the integration agenda shows it: what the patient wanted to bring
    into it, and what they wrote about it after (shared reflections only)."""

    session: AdministrationSession
    intention: Intention | None
    reflections: list


@dataclass
class IntegrationLoop:
    next_intention: Intention | None
    sessions: list  # SessionLoop, newest first

    @property
    def words_shown(self):
        """The intentions and reflections the agenda shows in full."""
        intentions = [loop.intention for loop in self.sessions if loop.intention]
        if self.next_intention:
            intentions.append(self.next_intention)
        return intentions, [entry for loop in self.sessions for entry in loop.reflections]


def integration_loop(viewer, patient, *, last=LOOP_SESSIONS):
    """The latest sessions with their intention and reflections, and the intention for the
    next session: four queries, whatever the journal holds."""
    recent = list(
        AdministrationSession.objects.visible_to(viewer).of(patient).past().newest_first()[:last]
    )
    before = {
        i.session_id: i for i in Intention.objects.visible_to(viewer).filter(session__in=recent)
    }
    written_after = {}
    reflections = (
        Entry.objects.visible_to(viewer)
        .submitted()
        .filter(session__in=recent)
        .select_related("session", "patient")
        .annotate(revision_count=_count(EntryRevision))
        .order_by("submitted_at", "pk")
    )
    for entry in reflections:
        written_after.setdefault(entry.session_id, []).append(entry)
    return IntegrationLoop(
        next_intention=pending_intention(viewer, patient),
        sessions=[
            SessionLoop(
                session=s, intention=before.get(s.pk), reflections=written_after.get(s.pk, [])
            )
            for s in recent
        ],
    )


# --- What waits for its reader, for the reminders ------------------------------------------


@dataclass(frozen=True)
class UnseenWords:
    """A message in an entry's thread that its reader has not opened: never its words."""

    comment_id: uuid.UUID  # the message's public id
    entry_id: uuid.UUID  # the entry's public id (the link goes there)
    patient_id: int  # whose entry it is
    for_patient: bool  # True: the care team wrote, the patient has not seen it
    is_reply: bool  # it answers an earlier message in the thread
    created_at: datetime


def unseen_care_team_words(*, since):
    """Messages written since `since` that wait for their reader, oldest first.

    The care team's comments and replies the patient has not seen (`for_patient=True`),
    and the patient's replies their care team has not read (`for_patient=False`; for
    each therapist in `accounts.access.care_team_of(patient)`). No text is loaded.
    """
    rows = (
        access.comments_awaiting_their_reader()
        .filter(created_at__gte=since)
        .order_by("created_at", "pk")
        .values_list(
            "public_id",
            "entry__public_id",
            "entry__patient_id",
            "author_side",
            "in_reply_to_id",
            "created_at",
        )
    )
    return [
        UnseenWords(
            comment_id=comment_id,
            entry_id=entry_id,
            patient_id=patient_id,
            for_patient=side == Side.CARE_TEAM,
            is_reply=answered is not None,
            created_at=created_at,
        )
        for comment_id, entry_id, patient_id, side, answered, created_at in rows
    ]

"""The kinds of email reminder, and when each is due: one registry, a few lines per kind.

A kind says who receives it, how the settings page names it, the one plain sentence its
email says, and a function that finds what is due now. To add one, write the finder and
register it, as `measures_due` below does: a few lines, and the settings page, the API,
opting out, the once-only ledger and the unsubscribe link come with it.

Nothing here goes into an email but `email_line` and the link: no scores, no words, no
drug, no mood. `occurrence_key` names the occasion (the same key is never sent twice to
the same person) and `link_path` is a path in the app (ids only, never words).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consent.models import CareTeamQuestion
from journal.models import AdministrationSession, Comment, Entry
from measures.models import MeasureAlert
from measures.selectors import patients_with_measures_due


@dataclass(frozen=True)
class Due:
    """One reminder that is due: to whom, of which kind, about what, leading where."""

    recipient: User
    kind: str
    occurrence_key: str
    link_path: str


@dataclass(frozen=True)
class ReminderKind:
    key: str
    # The role it is for (Role.PATIENT, Role.THERAPIST): others never see or get it.
    audience: str
    # Names it on the settings page, as a sentence a person can tick.
    label: str
    # The one sentence the email adds to "something is waiting for you".
    email_line: str
    find_due: Callable[[datetime], Iterable[Due]]


KINDS: dict[str, ReminderKind] = {}


def register(kind):
    """Add a kind of reminder; its key is stored, so it must never change once used."""
    if kind.key in KINDS:
        raise ValueError(f"A reminder kind {kind.key!r} is already registered.")
    KINDS[kind.key] = kind
    return kind


def kinds_for(user):
    """The kinds this person can receive, in the order they were registered."""
    return [kind for kind in KINDS.values() if kind.audience == user.role]


# --- 1. After a session: an invitation to reflect -------------------------------------


SESSION_REFLECTION = "session_reflection"


def sessions_awaiting_reflection(now):
    """Sessions a few hours past, not too old, that the patient has not written about."""
    written_about = Entry.objects.kept().submitted().filter(session=OuterRef("pk"))
    sessions = (
        AdministrationSession.objects.filter(
            occurred_at__lte=now - timedelta(hours=settings.REMINDER_REFLECTION_AFTER_HOURS),
            occurred_at__gte=now - timedelta(days=settings.REMINDER_REFLECTION_WITHIN_DAYS),
        )
        .exclude(Exists(written_about))
        .select_related("patient")
    )
    write = reverse("journal:entry_write")
    for session in sessions:
        yield Due(
            recipient=session.patient,
            kind=SESSION_REFLECTION,
            occurrence_key=str(session.public_id),
            link_path=f"{write}?session={session.public_id}",
        )


register(
    ReminderKind(
        key=SESSION_REFLECTION,
        audience=Role.PATIENT,
        label=_("A few hours after a session, an invitation to write about it"),
        email_line=_("When you are ready, a page is waiting for your thoughts."),
        find_due=sessions_awaiting_reflection,
    )
)


# --- 2. An answer to the patient's consent question ------------------------------------


CONSENT_ANSWER = "consent_answer"


def consent_answers(now):
    """Answers the care team gave to a patient's consent question, lately."""
    questions = CareTeamQuestion.objects.filter(
        answered_at__lte=now,
        answered_at__gte=now - timedelta(days=settings.REMINDER_LOOKBACK_DAYS),
    ).select_related("consent__patient")
    link_path = reverse("consent:overview")
    for question in questions:
        yield Due(
            recipient=question.consent.patient,
            kind=CONSENT_ANSWER,
            occurrence_key=str(question.public_id),
            link_path=link_path,
        )


register(
    ReminderKind(
        key=CONSENT_ANSWER,
        audience=Role.PATIENT,
        label=_("When your care team answers a question you asked"),
        email_line=_("Your care team answered you."),
        find_due=consent_answers,
    )
)


# --- 3. A comment from the care team on the patient's entry ---------------------------


CARE_TEAM_COMMENT = "care_team_comment"


def unseen_comments(now):
    """Comments the care team wrote lately on a patient's entry, which they have not seen."""
    comments = (
        Comment.objects.unseen_by_patient()
        .filter(
            created_at__lte=now,
            created_at__gte=now - timedelta(days=settings.REMINDER_LOOKBACK_DAYS),
            entry__discarded_at__isnull=True,
        )
        .select_related("entry__patient")
    )
    for comment in comments:
        yield Due(
            recipient=comment.entry.patient,
            kind=CARE_TEAM_COMMENT,
            occurrence_key=str(comment.public_id),
            link_path=comment.entry.get_absolute_url(),
        )


register(
    ReminderKind(
        key=CARE_TEAM_COMMENT,
        audience=Role.PATIENT,
        label=_("When your care team writes to you"),
        email_line=_("Your care team wrote to you."),
        find_due=unseen_comments,
    )
)


# --- 4. A questionnaire that is due -----------------------------------------------------


MEASURE_DUE = "measure_due"


def measures_due(now):
    """Scheduled questionnaires due now; the key stays the same until the patient sends it."""
    for patient, version, due_key in patients_with_measures_due(now=now):
        yield Due(
            recipient=patient,
            kind=MEASURE_DUE,
            occurrence_key=due_key,
            link_path=reverse("measures:intro", args=[version.measure.public_id]),
        )


register(
    ReminderKind(
        key=MEASURE_DUE,
        audience=Role.PATIENT,
        label=_("When a short questionnaire from your care team is ready for you"),
        email_line=_("There is something for you to fill in, when you have a moment."),
        find_due=measures_due,
    )
)


# --- 5. For therapists: a daily digest of what waits ----------------------------------


THERAPIST_DIGEST = "therapist_digest"


def therapists_with_something_waiting(now):
    """Once per clinic day, after REMINDER_DIGEST_HOUR: therapists someone is waiting for.

    Waiting means shared entries not yet reviewed (urgent ones among them), consent
    questions not yet answered, replies not yet read, or a questionnaire answer not yet
    acknowledged, from patients in their care. Nothing waiting, no email.
    """
    local_now = timezone.localtime(now)
    if local_now.hour < settings.REMINDER_DIGEST_HOUR:
        return
    therapists = User.objects.therapists().filter(is_active=True).order_by("pk")
    link_path = reverse("care:roster")
    for therapist in therapists:
        waiting = (
            Entry.objects.visible_to(therapist).awaiting_review().exists()
            or CareTeamQuestion.objects.visible_to(therapist).open().exists()
            or Comment.objects.visible_to(therapist).unread_by_care_team().exists()
            or MeasureAlert.objects.visible_to(therapist).open().exists()
        )
        if waiting:
            yield Due(
                recipient=therapist,
                kind=THERAPIST_DIGEST,
                occurrence_key=local_now.date().isoformat(),
                link_path=link_path,
            )


register(
    ReminderKind(
        key=THERAPIST_DIGEST,
        audience=Role.THERAPIST,
        label=_("Each morning, a note when patients are waiting for you"),
        email_line=_("Patients in your care are waiting for you."),
        find_due=therapists_with_something_waiting,
    )
)

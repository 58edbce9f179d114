"""What the front doors show: the therapist's roster, one patient's page, a patient's home.

The roster is one query for every patient row (journal figures and open consent questions
are correlated subqueries), plus fixed prefetches for consent records and invitations, so
it costs the same for 5 patients or 50 with a thousand entries.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import access
from accounts.models import Invitation, User
from common.subqueries import count_per
from consent.models import CareTeamQuestion
from consent.selectors import (
    ConsentStatus,
    PatientConsentRecord,
    consent_status,
    patient_consent_record,
    unseen_whats_new,
)
from journal.models import AdministrationSession, Comment, Entry
from journal.selectors import DEFAULT_CHART_WINDOW, PatientJournal, patient_journal
from measures import selectors as measure_selectors


def _count(queryset, *, per="patient"):
    return count_per(queryset, per=per)


def roster_rows(therapist):
    """The therapist's patients, what needs attention first, with all a row shows."""
    shared = Entry.objects.visible_to(therapist).shared().filter(patient=OuterRef("pk"))
    sessions = AdministrationSession.objects.visible_to(therapist).filter(patient=OuterRef("pk"))
    # Replies the patient wrote on their shared entries that nobody in the team has read.
    unread_replies = (
        Comment.objects.visible_to(therapist)
        .unread_by_care_team()
        .filter(entry__patient=OuterRef("pk"))
    )
    open_questions = (
        CareTeamQuestion.objects.visible_to(therapist)
        .open()
        .filter(consent__patient=OuterRef("pk"))
    )
    # Open longer than the clinic promises patients an answer (CARE_TEAM_REPLY_HOURS).
    promised_by = timezone.now() - timedelta(hours=settings.CARE_TEAM_REPLY_HOURS)
    return (
        User.objects.visible_to(therapist)
        .prefetch_related(
            ConsentStatus.prefetch_for_status(),
            Prefetch(
                "invitations", queryset=Invitation.objects.pending(), to_attr="pending_invitations"
            ),
        )
        .annotate(
            last_entry_at=Subquery(shared.order_by("-submitted_at").values("submitted_at")[:1]),
            last_session_at=Subquery(sessions.order_by("-occurred_at").values("occurred_at")[:1]),
            urgent_count=_count(shared.urgent()),
            awaiting_review_count=_count(shared.awaiting_review()),
            for_discussion_count=_count(shared.for_discussion()),
            unread_reply_count=_count(unread_replies, per="entry__patient"),
            open_consent_questions=_count(open_questions, per="consent__patient"),
            overdue_consent_questions=_count(
                open_questions.filter(asked_at__lt=promised_by), per="consent__patient"
            ),
            measure_alert_count=measure_selectors.patient_alert_counts(therapist),
        )
        .order_by(
            # Crisis language in a shared entry and an alerting questionnaire answer
            # are equally urgent: either puts the patient first.
            (F("urgent_count") + F("measure_alert_count")).desc(),
            F("urgent_count").desc(),
            # A question waiting longer than the clinic promised: a person is waiting on us.
            F("overdue_consent_questions").desc(),
            # A patient who answered is waiting for a person, not a list: next after urgent.
            F("unread_reply_count").desc(),
            F("awaiting_review_count").desc(),
            F("for_discussion_count").desc(),
            F("last_entry_at").desc(nulls_last=True),
            "last_name",
            "first_name",
            "pk",
        )
    )


# Rows on one page of the therapist's front page. A caseload is usually 20 to 40; a
# clinic lead who covers many sees the ones needing attention first, a page at a time.
ROSTER_PAGE_SIZE = 50


@dataclass
class Roster:
    patients: list  # rows from roster_rows, each with `consent_status` attached
    urgent_entries: list
    page: object = None  # the Paginator page the rows came from
    measure_alerts: list = None  # open questionnaire alerts (PHQ-9 item 9), oldest first


def roster(therapist, *, page=1):
    """The therapist's front page: their patients, what needs attention first (50 to a
    page), every urgent entry and every open questionnaire alert."""
    urgent = (
        Entry.objects.visible_to(therapist)
        .urgent()
        .select_related("patient")
        .order_by("submitted_at")
    )
    rows = Paginator(roster_rows(therapist), ROSTER_PAGE_SIZE).get_page(page)
    return Roster(
        patients=ConsentStatus.attach(list(rows.object_list)),
        urgent_entries=list(urgent),
        page=rows,
        measure_alerts=measure_selectors.open_alerts(therapist),
    )


def roster_row_or_404(therapist, public_id):
    """One row of the roster; a patient outside this therapist's care is a 404."""
    row = get_object_or_404(roster_rows(therapist), public_id=public_id)
    ConsentStatus.attach([row])
    return row


def _patient_or_404(therapist, public_id):
    """One patient in this therapist's care, with the journal badges and their pending
    invitation; else a 404.

    Lighter than a roster row: the page takes the consent status and open questions from
    the consent record it loads anyway (the full row was half the page's time at scale)."""
    shared = Entry.objects.visible_to(therapist).shared().filter(patient=OuterRef("pk"))
    unread_replies = (
        Comment.objects.visible_to(therapist)
        .unread_by_care_team()
        .filter(entry__patient=OuterRef("pk"))
    )
    patient = get_object_or_404(
        User.objects.visible_to(therapist)
        .prefetch_related(ConsentStatus.prefetch_for_status())
        .annotate(
            urgent_count=_count(shared.urgent()),
            awaiting_review_count=_count(shared.awaiting_review()),
            for_discussion_count=_count(shared.for_discussion()),
            unread_reply_count=_count(unread_replies, per="entry__patient"),
        ),
        public_id=public_id,
    )
    # The page shows an invitation only to a patient who has not joined: most have, and
    # need no query for it.
    patient.pending_invitations = (
        [] if patient.has_joined else list(Invitation.objects.pending().filter(patient=patient))
    )
    return patient


@dataclass
class PatientOverview:
    patient: User  # with `pending_invitations` and `open_consent_questions`
    care_team: list
    consent: PatientConsentRecord
    journal: PatientJournal
    measures: list  # measures.selectors.MeasureSummary, one per measure


def patient_overview(viewer, public_id, *, cursor=None, window=DEFAULT_CHART_WINDOW, language="en"):
    """Everything a therapist sees on one patient's page: account, consent and a page of
    the journal (from `cursor`, with the chart over `window`), in the viewer's `language`."""
    patient = _patient_or_404(viewer, public_id)
    consent = patient_consent_record(viewer=viewer, patient=patient, language=language)
    patient.open_consent_questions = sum(1 for q in consent.questions if not q.is_answered)
    return PatientOverview(
        patient=patient,
        care_team=list(access.care_team_of(patient)),
        consent=consent,
        journal=patient_journal(viewer=viewer, patient=patient, cursor=cursor, window=window),
        measures=measure_selectors.measure_summaries(viewer, patient),
    )


@dataclass
class PatientHome:
    care_team: list
    consent_status: ConsentStatus
    due_measures: list
    consent_whats_new: list  # wording-only consent changes not yet seen


def patient_home(patient):
    """The patient's home: their consent, questionnaires due, their journal card, who cares
    for them."""
    status = consent_status(patient)
    return PatientHome(
        care_team=list(access.care_team_of(patient)),
        consent_status=status,
        due_measures=measure_selectors.due_measures(patient),
        consent_whats_new=unseen_whats_new(patient, status),
    )


def home_for(user):
    """The URL name where each person's work starts, or None for an account with no role."""
    if access.is_patient(user):
        return "care:patient_home"
    if access.is_therapist(user):
        return "care:roster"
    if access.is_clinic_admin(user) and user.is_staff:
        return "admin:index"
    return None

"""What the front doors show: the therapist's roster, one patient's page, a patient's home.

The roster is one query for the caseload's patients and one for every figure of every row
(each figure grouped by patient over the caseload), sorted in Python, plus fixed prefetches
for the consent records and invitations of the rows on the page, so it costs the same
for 5 patients or 50 with a thousand entries.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DateTimeField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Value,
    prefetch_related_objects,
)
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
from journal.models import (
    AWAITING_REVIEW,
    FOR_DISCUSSION,
    URGENT,
    AdministrationSession,
    Comment,
    Entry,
)
from journal.selectors import DEFAULT_CHART_WINDOW, PatientJournal, patient_journal
from measures import selectors as measure_selectors


def _count(queryset, *, per="patient"):
    return count_per(queryset, per=per)


# The figures of a roster row, and what a row without any shows.
FIGURES = {
    "last_entry_at": None,
    "last_session_at": None,
    "urgent_count": 0,
    "awaiting_review_count": 0,
    "for_discussion_count": 0,
    "unread_reply_count": 0,
    "open_consent_questions": 0,
    "overdue_consent_questions": 0,
    "measure_alert_count": 0,
}


def _figure_sources(therapist):
    """Where the figures come from: (queryset, the field naming the patient, {figure: how
    it is worked out over that patient's rows})."""
    # Replies the patient wrote on their shared entries that nobody in the team has read.
    unread_replies = Comment.objects.visible_to(therapist).unread_by_care_team()
    # Open longer than the clinic promises patients an answer (CARE_TEAM_REPLY_HOURS).
    promised_by = timezone.now() - timedelta(hours=settings.CARE_TEAM_REPLY_HOURS)
    return [
        # A dated figure first: the union takes its column types from the first select.
        (
            Entry.objects.visible_to(therapist).shared(),
            "patient",
            {
                "last_entry_at": Max("submitted_at"),
                "urgent_count": Count("pk", filter=URGENT),
                "awaiting_review_count": Count("pk", filter=AWAITING_REVIEW),
                "for_discussion_count": Count("pk", filter=FOR_DISCUSSION),
            },
        ),
        (
            AdministrationSession.objects.visible_to(therapist),
            "patient",
            {"last_session_at": Max("occurred_at")},
        ),
        (unread_replies, "entry__patient", {"unread_reply_count": Count("pk")}),
        (
            CareTeamQuestion.objects.visible_to(therapist).open(),
            "consent__patient",
            {
                "open_consent_questions": Count("pk"),
                "overdue_consent_questions": Count("pk", filter=Q(asked_at__lt=promised_by)),
            },
        ),
        (
            measure_selectors.alerts_to_count(therapist),
            "patient",
            {"measure_alert_count": Count("pk")},
        ),
    ]


# The most counts one select above makes (the journal's): each select fills as many.
_COUNT_COLUMNS = 3


def _caseload_figures(therapist, patient=None):
    """Every figure of every row (or of one patient's) as {patient pk: {figure: value}}.

    One query: a select per table, grouped by patient over the caseload, joined by UNION
    ALL. The database reads each table once for the whole caseload instead of once per
    patient, and a few flat selects cost far less to build than a dozen correlated
    subqueries. Each select gives the patient, its place in the list, its counts and at
    most one moment."""
    sources = _figure_sources(therapist)
    selects = []
    for position, (queryset, per, figures) in enumerate(sources):
        if patient is not None:
            queryset = queryset.filter(**{per: patient})
        counts = [how for name, how in figures.items() if not name.endswith("_at")]
        counts += [Value(0)] * (_COUNT_COLUMNS - len(counts))
        moment = [how for name, how in figures.items() if name.endswith("_at")]
        columns = {f"n{i}": how for i, how in enumerate(counts)}
        columns["at"] = moment[0] if moment else Value(None, output_field=DateTimeField())
        selects.append(
            queryset.order_by()
            .values(row=F(per))
            .annotate(source=Value(position), **columns)
            .values_list("row", "source", *columns)
        )
    found = {}
    for row, position, *values in selects[0].union(*selects[1:], all=True):
        figures = sources[position][2]
        counted = iter(values[:_COUNT_COLUMNS])
        row_figures = found.setdefault(row, {})
        for name in figures:
            row_figures[name] = values[-1] if name.endswith("_at") else next(counted)
    return found


def _with_figures(patients, figures):
    for patient in patients:
        for name, value in (FIGURES | figures.get(patient.pk, {})).items():
            setattr(patient, name, value)
    return patients


def _needs_attention_first(rows):
    """Sort rows as the roster shows them; rows come in name order, which ties keep."""
    # Python's sort is stable, even reversed: sort by the last key first.
    rows.sort(key=lambda r: (r.last_entry_at is not None, r.last_entry_at or _NEVER), reverse=True)
    rows.sort(
        key=lambda r: (
            # Crisis language in a shared entry and an alerting questionnaire answer
            # are equally urgent: either puts the patient first.
            r.urgent_count + r.measure_alert_count,
            r.urgent_count,
            # A question waiting longer than the clinic promised: a person is waiting on us.
            r.overdue_consent_questions,
            # A patient who answered is waiting for a person, not a list: next after urgent.
            r.unread_reply_count,
            r.awaiting_review_count,
            r.for_discussion_count,
        ),
        reverse=True,
    )
    return rows


_NEVER = datetime.min.replace(tzinfo=UTC)


def roster_rows(therapist):
    """The therapist's patients, what needs attention first, each with the figures a row
    shows (see FIGURES); `with_row_details` adds the rest for the rows on show."""
    patients = list(User.objects.visible_to(therapist).order_by("last_name", "first_name", "pk"))
    return _needs_attention_first(_with_figures(patients, _caseload_figures(therapist)))


def with_row_details(rows):
    """Each row's consent status and pending invitations: two queries for a page of rows."""
    prefetch_related_objects(
        rows,
        ConsentStatus.prefetch_for_status(),
        Prefetch(
            "invitations", queryset=Invitation.objects.pending(), to_attr="pending_invitations"
        ),
    )
    return ConsentStatus.attach(rows)


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
        patients=with_row_details(list(rows.object_list)),
        urgent_entries=list(urgent),
        page=rows,
        measure_alerts=measure_selectors.open_alerts(therapist),
    )


def roster_row_or_404(therapist, public_id):
    """One row of the roster; a patient outside this therapist's care is a 404."""
    row = get_object_or_404(User.objects.visible_to(therapist), public_id=public_id)
    _with_figures([row], _caseload_figures(therapist, patient=row))
    return with_row_details([row])[0]


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

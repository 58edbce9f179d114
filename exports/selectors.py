"""Everything of one patient's that they may take with them, read in a fixed number of queries.

Every read goes through the same `visible_to(patient)` scopes the patient's own pages use,
so the export holds exactly what the patient may see in the app: their entries (drafts and
private ones too), their sessions, their consent records, the comments written for them.
Never another patient's rows, and never the therapists' private clinical notes: those are
the care team's working notes (psychotherapy notes), not part of the patient's record.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from consent import selectors as consent_selectors
from consent.models import Acknowledgement, CareTeamQuestion, Consent, QuizAttempt
from journal.models import (
    AdministrationSession,
    Comment,
    Entry,
    EntryRead,
    EntryRevision,
    Intention,
)
from measures import selectors as measure_selectors
from measures.models import MeasureResponse


@dataclass(frozen=True)
class PatientRecords:
    """One patient's records at one moment: what every export format is written from."""

    patient: object
    exported_at: datetime
    care_team: list
    sessions: list
    # Each entry carries `comments` and `reads` (prefetched) and `earlier_versions` (a list).
    entries: list
    # Each consent carries `acknowledgements`, `quiz_attempts` and `questions` (prefetched).
    consents: list
    # What they wanted to bring into each session, shared or not, oldest first.
    intentions: list = ()
    # Their questionnaires, sent or still a draft, oldest first, with the version answered.
    measure_responses: list = ()

    @property
    def submitted_entries(self):
        return [entry for entry in self.entries if not entry.is_draft]

    @property
    def drafts(self):
        return [entry for entry in self.entries if entry.is_draft]


def records_of(patient):
    """Everything the app keeps about this patient that they may read, oldest first."""
    # Only a patient has records of their own to take; staff read patients' records in
    # the app, under its access rules and its audit trail.
    if not access.is_patient(patient):
        raise PermissionDenied(_("Only a patient can download a copy of their own records."))
    exported_at = timezone.now()
    entries = list(
        Entry.objects.visible_to(patient)
        .select_related("session", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=Comment.objects.visible_to(patient)
                .select_related("author")
                .order_by("created_at", "pk"),
            ),
            Prefetch(
                "reads",
                queryset=EntryRead.objects.visible_to(patient)
                .select_related("reader")
                .order_by("read_at", "pk"),
            ),
            # What each entry said before each of the patient's edits, oldest first.
            Prefetch(
                "revisions",
                queryset=EntryRevision.objects.visible_to(patient)
                .select_related("session")
                .oldest_first(),
                to_attr="earlier_versions",
            ),
        )
        # The journal as a diary: submitted entries in the order they were written, then
        # drafts, which have no submission time yet. A draft the patient discarded is not
        # here: `visible_to` hides it from them everywhere, and so does their copy.
        .order_by(F("submitted_at").asc(nulls_last=True), "created_at", "pk")
    )
    consents = list(
        Consent.objects.visible_to(patient)
        .select_related("version", "signature", "withdrawal")
        .prefetch_related(
            Prefetch(
                "acknowledgements",
                queryset=Acknowledgement.objects.select_related("section").order_by(
                    "section__position", "pk"
                ),
            ),
            Prefetch(
                "quiz_attempts",
                queryset=QuizAttempt.objects.select_related("section").order_by(
                    "answered_at", "pk"
                ),
            ),
            Prefetch(
                "questions",
                queryset=CareTeamQuestion.objects.visible_to(patient)
                .select_related("section", "answered_by")
                .order_by("asked_at", "pk"),
            ),
        )
        .order_by("started_at", "pk")
    )
    return PatientRecords(
        patient=patient,
        exported_at=exported_at,
        care_team=list(access.care_team_of(patient).order_by("last_name", "first_name", "pk")),
        sessions=list(
            AdministrationSession.objects.visible_to(patient)
            .select_related("recorded_by")
            .order_by("occurred_at", "pk")
        ),
        entries=entries,
        consents=consents,
        intentions=list(
            Intention.objects.visible_to(patient)
            .select_related("session")
            .order_by("written_at", "pk")
        ),
        measure_responses=list(
            MeasureResponse.objects.visible_to(patient)
            .select_related("version")
            .order_by("started_at", "pk")
        ),
    )


@dataclass(frozen=True)
class ClinicalRecords:
    """What goes to a clinic's record system (FHIR): signed consents and submitted measures."""

    patient: object
    exported_at: datetime
    # Signed consents, oldest first, withdrawn ones too (their status says so).
    signed_consents: list
    # Submitted answers to measures, oldest first, each with its version and measure.
    measure_responses: list


def clinical_records_of(*, viewer, patient):
    """The patient's signed consents and submitted measures, as this viewer may read them.

    The patient themself, or a therapist in their care team; anyone else is refused (the
    views have already answered 404 for a patient outside the viewer's care).
    """
    # The same rule as opening the patient's record in the app: a clinic admin opens no
    # patient's records, so they export none either.
    if not access.can_view_patient(viewer, patient):
        raise PermissionDenied(_("Only the patient and their care team export their records."))
    consents = list(
        consent_selectors.consent_records(viewer, patient=patient)
        .signed()
        .order_by("signature__signed_at", "pk")
    )
    answers = list(
        measure_selectors.submitted_responses(viewer, patient)
        .select_related("version__measure")
        .order_by("submitted_at", "pk")
    )
    return ClinicalRecords(
        patient=patient,
        exported_at=timezone.now(),
        signed_consents=consents,
        measure_responses=answers,
    )

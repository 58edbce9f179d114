"""What the front door records when it shows a therapist a patient's record.

The therapist's one-patient page gathers the patient's shared journal (with the first
words of each entry), their consent record and their latest questionnaire scores. Each
time it is shown, the audit trail gets an event for each part the therapist saw: never
the words, only who, whose, which record and how many. The patient sees the journal
part on their "who looked" page.
"""

from django.db import transaction

from audit.services import recorded_together
from consent import services as consent_services
from journal import services as journal_services
from measures import services as measure_services


@transaction.atomic
def show_patient_page(*, viewer, overview, request=None):
    """Record that `viewer` was shown this patient's page (a `care.selectors.PatientOverview`).

    Called after the access check (someone else's patient is a 404 before anything is
    recorded), for every rendering of the page, a refused form shown again included.
    """
    patient = overview.patient
    # Several events for one page: added to the audit chain in one write.
    with recorded_together():
        # One event for the page of shared entries, with how many it showed.
        journal_services.list_entries(
            viewer=viewer, patient=patient, count=overview.journal.shown_count, request=request
        )
        # The page shows each consent record in full (acknowledgements, answers, questions,
        # the signature): one event per record, as when it is opened on its own.
        for consent in overview.consent.consents:
            consent_services.note_record_viewed(consent=consent, viewer=viewer, request=request)
        # The latest questionnaire scores: one event, with how many measures showed a score.
        measure_services.show_responses(
            viewer=viewer,
            patient=patient,
            count=sum(1 for summary in overview.measures if summary.latest_score is not None),
            request=request,
        )

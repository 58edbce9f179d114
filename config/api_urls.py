"""The REST API, version 1: the same actions as the web pages, for native apps."""

from django.urls import path, re_path

from accounts import api as accounts_api
from care import api as care_api
from common.rest import api_not_found
from consent import api as consent_api
from exports import api as exports_api
from journal import api as journal_api
from measures import api as measures_api
from reminders import api as reminders_api

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/devices/", accounts_api.DeviceListView.as_view(), name="devices"),
    path(
        "auth/devices/<uuid:public_id>/",
        accounts_api.DeviceView.as_view(),
        name="device",
    ),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("me/export/", exports_api.ExportView.as_view(), name="me_export"),
    path("me/fhir/", exports_api.MyFhirView.as_view(), name="me_fhir"),
    path("me/reminders/", reminders_api.MyRemindersView.as_view(), name="me_reminders"),
    # Consent, as the patient
    path("consent/", consent_api.ConsentOverviewView.as_view(), name="consent"),
    path("consent/start/", consent_api.ConsentStartView.as_view(), name="consent_start"),
    path("consent/whats-new/", consent_api.WhatsNewView.as_view(), name="consent_whats_new"),
    path(
        "consent/whats-new/seen/",
        consent_api.WhatsNewSeenView.as_view(),
        name="consent_whats_new_seen",
    ),
    path(
        "consent/sections/<int:position>/",
        consent_api.SectionView.as_view(),
        name="consent_section",
    ),
    path(
        "consent/sections/<int:position>/acknowledge/",
        consent_api.AcknowledgeView.as_view(),
        name="consent_acknowledge",
    ),
    path(
        "consent/sections/<int:position>/answer/",
        consent_api.AnswerView.as_view(),
        name="consent_answer",
    ),
    path(
        "consent/sections/<int:position>/questions/",
        consent_api.AskView.as_view(),
        name="consent_ask",
    ),
    path("consent/questions/", consent_api.MyQuestionsView.as_view(), name="consent_questions"),
    path("consent/sign/", consent_api.SignView.as_view(), name="consent_sign"),
    path("consent/withdraw/", consent_api.WithdrawView.as_view(), name="consent_withdraw"),
    path("consent/records/", consent_api.MyRecordsView.as_view(), name="consent_records"),
    path(
        "consent/records/<uuid:public_id>/",
        consent_api.RecordView.as_view(),
        name="consent_record",
    ),
    path(
        "consent/records/<uuid:public_id>/pdf/",
        consent_api.RecordPdfView.as_view(),
        name="consent_record_pdf",
    ),
    # The journal, as the patient (and reading, for the therapist)
    path("journal/sessions/", journal_api.MySessionsView.as_view(), name="journal_sessions"),
    path("journal/entries/", journal_api.MyEntriesView.as_view(), name="journal_entries"),
    path(
        "journal/drafts/<uuid:key>/",
        journal_api.DraftView.as_view(),
        name="journal_draft",
    ),
    path(
        "journal/drafts/<uuid:key>/submit/",
        journal_api.SubmitDraftView.as_view(),
        name="journal_draft_submit",
    ),
    path(
        "journal/entries/<uuid:public_id>/",
        journal_api.EntryView.as_view(),
        name="journal_entry",
    ),
    path(
        "journal/entries/<uuid:public_id>/share/",
        journal_api.ShareEntryView.as_view(),
        name="journal_entry_share",
    ),
    path(
        "journal/entries/<uuid:public_id>/comments/",
        journal_api.EntryCommentsView.as_view(),
        name="journal_entry_comments",
    ),
    path(
        "journal/entries/<uuid:public_id>/readers/",
        journal_api.EntryReadersView.as_view(),
        name="journal_entry_readers",
    ),
    path(
        "journal/entries/<uuid:public_id>/revisions/",
        journal_api.EntryRevisionsView.as_view(),
        name="journal_entry_revisions",
    ),
    path("journal/looks/", journal_api.LooksView.as_view(), name="journal_looks"),
    path(
        "journal/entries/<uuid:public_id>/thread/",
        journal_api.EntryThreadView.as_view(),
        name="journal_entry_thread",
    ),
    path(
        "journal/entries/<uuid:public_id>/thread/read/",
        journal_api.EntryThreadReadView.as_view(),
        name="journal_entry_thread_read",
    ),
    path("journal/intention/", journal_api.MyIntentionView.as_view(), name="journal_intention"),
    path("journal/intentions/", journal_api.MyIntentionsView.as_view(), name="journal_intentions"),
    path(
        "journal/entries/<uuid:public_id>/review/",
        journal_api.ReviewEntryView.as_view(),
        name="journal_entry_review",
    ),
    path(
        "journal/entries/<uuid:public_id>/notes/",
        journal_api.ClinicalNotesView.as_view(),
        name="journal_entry_notes",
    ),
    # Measures, as the patient (and one response, for the therapist)
    path("measures/", measures_api.MeasureListView.as_view(), name="measures"),
    path("measures/due/", measures_api.DueView.as_view(), name="measures_due"),
    path(
        "measures/responses/",
        measures_api.MyResponsesView.as_view(),
        name="measure_responses",
    ),
    path(
        "measures/responses/<uuid:public_id>/",
        measures_api.ResponseView.as_view(),
        name="measure_response",
    ),
    path(
        "measures/responses/<uuid:public_id>/answers/<int:position>/",
        measures_api.AnswerView.as_view(),
        name="measure_answer",
    ),
    path(
        "measures/responses/<uuid:public_id>/submit/",
        measures_api.SubmitView.as_view(),
        name="measure_submit",
    ),
    path(
        "measures/alerts/<uuid:public_id>/acknowledge/",
        measures_api.AcknowledgeAlertView.as_view(),
        name="measure_alert_acknowledge",
    ),
    # Therapists
    path("patients/", care_api.PatientListView.as_view(), name="patients"),
    path(
        "patients/<uuid:public_id>/",
        care_api.PatientDetailView.as_view(),
        name="patient",
    ),
    path(
        "patients/<uuid:public_id>/consent/",
        consent_api.PatientRecordsView.as_view(),
        name="patient_consent",
    ),
    path(
        "patients/<uuid:public_id>/consent-questions/",
        consent_api.PatientQuestionsView.as_view(),
        name="patient_consent_questions",
    ),
    path(
        "patients/<uuid:public_id>/sessions/",
        journal_api.PatientSessionsView.as_view(),
        name="patient_sessions",
    ),
    path(
        "patients/<uuid:public_id>/intentions/",
        journal_api.PatientIntentionsView.as_view(),
        name="patient_intentions",
    ),
    path(
        "patients/<uuid:public_id>/entries/",
        journal_api.PatientEntriesView.as_view(),
        name="patient_entries",
    ),
    path(
        "patients/<uuid:public_id>/agenda/",
        journal_api.AgendaView.as_view(),
        name="patient_agenda",
    ),
    path(
        "patients/<uuid:public_id>/measures/",
        measures_api.PatientMeasuresView.as_view(),
        name="patient_measures",
    ),
    path(
        "patients/<uuid:public_id>/measure-responses/",
        measures_api.PatientResponsesView.as_view(),
        name="patient_measure_responses",
    ),
    path(
        "patients/<uuid:public_id>/fhir/",
        exports_api.PatientFhirView.as_view(),
        name="patient_fhir",
    ),
    path(
        "patients/<uuid:public_id>/measure-schedules/",
        measures_api.PatientSchedulesView.as_view(),
        name="patient_measure_schedules",
    ),
    path(
        "consent/questions/<uuid:public_id>/answer/",
        consent_api.AnswerQuestionView.as_view(),
        name="consent_question_answer",
    ),
    # Last: addresses that match nothing above (a malformed id, say) get JSON, not HTML.
    re_path(r"^[\s\S]*$", api_not_found),
]

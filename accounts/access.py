"""Who may see what: the one place for access rules, used by web views and the API alike.

Each rule is a predicate (`can_view_patient(user, patient)`) and, where lists are
involved, a scope that returns only the rows a user may see. Everything is denied
unless a line below grants it.

Two ideas keep the rules short and in step:
- `_is_active(user)` is the one guard for "a logged-in, active account": every rule
  starts from it.
- `patients_visible_to(user)` says whose records a user may open; every other scope is
  derived from it. A new role (a nurse, say) means one change per rule, not one per scope.

Consent, journal and measures models are imported inside the functions: those apps sit
above accounts, and the contract in pyproject.toml allows exactly these imports and no
others.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _


def _is_active(user):
    """A logged-in account that the clinic has not deactivated."""
    return bool(user and user.is_authenticated and user.is_active)


def is_patient(user):
    """An active, logged-in patient."""
    return _is_active(user) and user.is_patient


def is_therapist(user):
    """An active, logged-in therapist."""
    return _is_active(user) and user.is_therapist


def is_clinic_admin(user):
    """An active, logged-in clinic admin."""
    return _is_active(user) and user.is_clinic_admin


def must_use_two_factor(user):
    """Staff who can open many patients' records log in with a second factor.

    The roles are a setting (TWO_FACTOR_REQUIRED_ROLES); for patients it stays optional.
    """
    from django.conf import settings

    return _is_active(user) and user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def require_role(user, predicate):
    """Raise 403 unless the logged-in user has the role the page is for."""
    if not predicate(user):
        raise PermissionDenied(_("This page is not part of your account."))


# --- Patients: the root of every scope ---


def patients_visible_to(user):
    """The patients whose records this user may open."""
    from accounts.models import User

    if not _is_active(user):
        return User.objects.none()
    # A patient sees their own record, never another patient's.
    if user.is_patient:
        return User.objects.filter(pk=user.pk)
    # A therapist sees the patients in their own care, and no one else's.
    if user.is_therapist:
        return User.objects.patients().filter(care_team_memberships__therapist=user)
    # A clinic admin manages accounts in the Django admin; clinical records stay with
    # the care team, so the app itself shows them no patients.
    return User.objects.none()


def _of_visible_patients(user, field="patient"):
    """A filter for the rows whose `field` is a patient this user may open.

    The same rows as `field__in=patients_visible_to(user)`; for a patient it compares with
    their own id directly, which every page of theirs builds several times over, and which
    PostgreSQL plans without a subquery.
    """
    if is_patient(user):
        return Q(**{field: user.pk})
    return Q(**{f"{field}__in": patients_visible_to(user)})


def can_view_patient(user, patient):
    """True if this user may open this patient's record."""
    if patient is None or patient.pk is None:
        return False
    return patients_visible_to(user).filter(pk=patient.pk).exists()


def care_team_of(patient):
    """The active therapists caring for this patient, for showing the patient who they are."""
    from accounts.models import User

    return User.objects.therapists().filter(is_active=True, patient_memberships__patient=patient)


# --- Consent ---


def consents_visible_to(user):
    """The consent records (progress, signature, withdrawal) this user may open."""
    from consent.models import Consent

    # Whoever may open the patient's record sees their consent records: the patient
    # their own, a therapist those of the patients in their care.
    return Consent.objects.filter(_of_visible_patients(user))


def can_view_consent(user, consent):
    """True if this user may open this consent record."""
    return consent is not None and can_view_patient(user, consent.patient)


def consent_questions_visible_to(user):
    """Questions patients asked about their consent, for the patient and their therapists."""
    from consent.models import CareTeamQuestion

    return CareTeamQuestion.objects.filter(consent__in=consents_visible_to(user))


def can_answer_consent_question(user, question):
    """Only a therapist in the patient's care team answers their consent questions."""
    # The patient sees the question but cannot answer it themselves.
    return is_therapist(user) and can_view_patient(user, question.consent.patient)


def can_preview_consent_drafts(user):
    """Clinic admins preview draft versions as a patient would see them."""
    return is_clinic_admin(user) and user.is_staff


# --- Journal ---


def sessions_visible_to(user):
    """The administration sessions this user may see."""
    from journal.models import AdministrationSession

    # The patient sees their own sessions; a therapist those of the patients in their
    # care. A clinic admin corrects sessions in the Django admin; the app shows none.
    return AdministrationSession.objects.filter(_of_visible_patients(user))


def can_record_session_for(user, patient):
    """True if this user may record an administration session for this patient."""
    # Only a therapist, and only for a patient in their own care.
    return is_therapist(user) and can_view_patient(user, patient)


def entries_visible_to(user):
    """The journal entries this user may read."""
    from journal.models import Entry

    entries = Entry.objects.filter(_of_visible_patients(user))
    # A patient reads all their own entries, drafts and private ones included.
    if is_patient(user):
        return entries
    # Anyone else who may open the record (a therapist in the patient's care) reads
    # only what the patient chose to share, once submitted: never a private entry,
    # never a draft.
    return entries.filter(is_shared=True, submitted_at__isnull=False)


def can_view_entry(user, entry):
    """True if this user may read this entry."""
    if entry is None or not can_view_patient(user, entry.patient):
        return False
    # A patient may read their own entries.
    if is_patient(user):
        return True
    # Anyone else may read a submitted entry the patient shared.
    return entry.is_shared and not entry.is_draft


def can_edit_entry(user, entry):
    """True if this user may change this entry: only the patient who wrote it."""
    # The journal is the patient's own words; the care team writes beside it, not in it.
    return is_patient(user) and entry is not None and entry.patient_id == user.pk


def can_review_entry(user, entry):
    """True if this user may mark this entry reviewed, comment on it or add a clinical note."""
    # A therapist who may read the entry; nobody else reviews it.
    return is_therapist(user) and can_view_entry(user, entry)


def comments_visible_to(user):
    """The therapists' comments this user may read."""
    from journal.models import Comment

    # Comments are written for the patient, so whoever may read the entry reads them:
    # the patient on their own entries, a therapist on the shared entries of their patients.
    return Comment.objects.filter(entry__in=entries_visible_to(user))


def clinical_notes_visible_to(user):
    """The private clinical notes this user may read."""
    from journal.models import ClinicalNote

    # Only therapists, on entries they may read. Never the patient: these are the
    # care team's working notes.
    if not is_therapist(user):
        return ClinicalNote.objects.none()
    return ClinicalNote.objects.filter(entry__in=entries_visible_to(user))


def entry_revisions_visible_to(user):
    """Earlier versions of edited entries that this user may read: only their author's."""
    from journal.models import EntryRevision

    # Only the patient who wrote the entry reads what it said before an edit. The care
    # team sees that and when it was edited, never the earlier words: the patient may
    # have taken something out on purpose, and showing it would undo their choice.
    if not is_patient(user):
        return EntryRevision.objects.none()
    return EntryRevision.objects.filter(entry__in=entries_visible_to(user))


def entry_reads_visible_to(user):
    """The records of who opened which entry, that this user may see."""
    from journal.models import EntryRead

    # A patient sees who read their entries; a therapist sees colleagues' reads on
    # entries they may read themselves.
    return EntryRead.objects.filter(entry__in=entries_visible_to(user))


def can_reply_on_entry(user, entry):
    """True if this user may add to the thread under this entry.

    A therapist who may review the entry answers there as they comment. The patient
    answers on their own entry, and only once their care team has written on it: the
    thread is a conversation with the care team, not a second journal.
    """
    if entry is None or entry.is_draft:
        return False
    # The care team: whoever may comment on the entry may answer in its thread.
    if can_review_entry(user, entry):
        return True
    # The patient who wrote the entry, once their care team has commented on it.
    return can_edit_entry(user, entry) and entry.comments.from_care_team().exists()


def comments_awaiting_their_reader():
    """Messages in entry threads that the person they were written for has not opened yet.

    For the reminders, which run for no one in particular and send no words: the care
    team's words the patient has not seen, and the patient's replies the care team has
    not read, on an entry the patient still shares (a reply on an entry made private
    again is no longer the care team's to read).
    """
    from journal.models import Comment

    seen_by_patient_pending = Q(author_side="care_team", seen_by_patient_at__isnull=True)
    read_by_team_pending = Q(
        author_side="patient",
        read_by_care_team_at__isnull=True,
        entry__is_shared=True,
        entry__submitted_at__isnull=False,
    )
    return Comment.objects.filter(
        seen_by_patient_pending | read_by_team_pending, entry__discarded_at__isnull=True
    )


# --- Intentions before a session ---


def intentions_visible_to(user):
    """The intentions before a session that this user may read."""
    from journal.models import Intention

    intentions = Intention.objects.filter(_of_visible_patients(user))
    # A patient reads all their own intentions, shared or not.
    if is_patient(user):
        return intentions
    # A therapist in the patient's care reads only those the patient chose to share.
    return intentions.filter(is_shared=True)


def can_edit_intention(user, intention):
    """Only the patient who wrote it, and only while it waits for its session."""
    # Once the session is recorded, the intention belongs to it and stays as it was.
    return (
        is_patient(user)
        and intention is not None
        and intention.patient_id == user.pk
        and intention.is_pending
    )


# --- Validated measures ---


def measure_responses_visible_to(user):
    """The answers to measures (PHQ-9, GAD-7, ...) this user may see."""
    from measures.models import MeasureResponse

    responses = MeasureResponse.objects.filter(_of_visible_patients(user))
    # A patient sees all their own answers, the unfinished draft included.
    if is_patient(user):
        return responses
    # A therapist sees the submitted answers of the patients in their care; a draft is
    # the patient's until they send it. A clinic admin sees none (no patients).
    if is_therapist(user):
        return responses.filter(submitted_at__isnull=False)
    return MeasureResponse.objects.none()


def can_answer_measure(user, response):
    """Only the patient answers, on their own draft; submitted answers never change."""
    return (
        is_patient(user)
        and response is not None
        and response.patient_id == user.pk
        and response.submitted_at is None
    )


def measure_schedules_visible_to(user):
    """The measure schedules this user may see: a patient their own, a therapist their patients'."""
    from measures.models import MeasureSchedule

    return MeasureSchedule.objects.filter(_of_visible_patients(user))


def can_set_measure_schedule(user, patient):
    """Only a therapist, and only for a patient in their own care, sets when measures are due."""
    return is_therapist(user) and can_view_patient(user, patient)


def measure_alerts_visible_to(user):
    """Alerts raised by patients' answers (PHQ-9 item 9), for their care team only."""
    from measures.models import MeasureAlert

    # The therapists caring for the patient; the patient was shown help at once instead,
    # and a clinic admin sees no clinical records.
    if not is_therapist(user):
        return MeasureAlert.objects.none()
    return MeasureAlert.objects.filter(_of_visible_patients(user))


def can_acknowledge_measure_alert(user, alert):
    """A therapist in the patient's care team acknowledges an alert; nobody else."""
    return is_therapist(user) and alert is not None and can_view_patient(user, alert.patient)

"""Who may see what: the one place for access rules, used by web views and the API alike.

Each rule is a predicate (`can_view_patient(user, patient)`) and, where lists are
involved, a scope that returns only the rows a user may see. Everything is denied
unless a line below grants it. Models are imported inside functions so that models
can call these rules without an import cycle.
"""

from django.core.exceptions import PermissionDenied


def is_patient(user):
    """An active, logged-in patient."""
    return bool(user and user.is_authenticated and user.is_active and user.is_patient)


def is_therapist(user):
    """An active, logged-in therapist."""
    return bool(user and user.is_authenticated and user.is_active and user.is_therapist)


def is_clinic_admin(user):
    """An active, logged-in clinic admin."""
    return bool(user and user.is_authenticated and user.is_active and user.is_clinic_admin)


def patients_visible_to(user):
    """The patients whose records this user may open."""
    from accounts.models import User

    none = User.objects.none()
    if not (user and user.is_authenticated and user.is_active):
        return none
    # A patient sees their own record, never another patient's.
    if user.is_patient:
        return User.objects.filter(pk=user.pk)
    # A therapist sees the patients in their own care, and no one else's.
    if user.is_therapist:
        return User.objects.patients().filter(care_team_memberships__therapist=user)
    # A clinic admin manages accounts in the Django admin; clinical records stay with
    # the care team, so the app itself shows them no patients.
    return none


def can_view_patient(user, patient):
    """True if this user may open this patient's record."""
    if not (user and user.is_authenticated and user.is_active and patient):
        return False
    # A patient may open their own record.
    if user.is_patient:
        return user.pk == patient.pk
    # A therapist may open the record of a patient in their care.
    if user.is_therapist:
        return patient.care_team_memberships.filter(therapist=user).exists()
    return False


def care_team_of(patient):
    """The active therapists caring for this patient, for showing the patient who they are."""
    from accounts.models import User

    return User.objects.therapists().filter(is_active=True, patient_memberships__patient=patient)


# --- Consent ---


def consents_visible_to(user):
    """The consent records (progress, signature, withdrawal) this user may open."""
    from consent.models import Consent

    # A patient sees their own consent records; a therapist those of patients in their
    # care. The rule for patients lives in patients_visible_to, so the two never drift.
    return Consent.objects.filter(patient__in=patients_visible_to(user))


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


def require_role(user, predicate):
    """Raise 403 unless the logged-in user has the role the page is for."""
    if not predicate(user):
        raise PermissionDenied("This page is not part of your account.")


# --- Journal ---


def sessions_visible_to(user):
    """The administration sessions this user may see."""
    from journal.models import AdministrationSession

    none = AdministrationSession.objects.none()
    if not (user and user.is_authenticated and user.is_active):
        return none
    # A patient sees their own sessions.
    if user.is_patient:
        return AdministrationSession.objects.filter(patient=user)
    # A therapist sees the sessions of the patients in their care.
    if user.is_therapist:
        return AdministrationSession.objects.filter(patient__care_team_memberships__therapist=user)
    # A clinic admin corrects sessions in the Django admin; the app shows them none.
    return none


def can_record_session_for(user, patient):
    """True if this user may record an administration session for this patient."""
    # Only a therapist, and only for a patient in their own care.
    return is_therapist(user) and can_view_patient(user, patient)


def entries_visible_to(user):
    """The journal entries this user may read."""
    from journal.models import Entry

    none = Entry.objects.none()
    if not (user and user.is_authenticated and user.is_active):
        return none
    # A patient reads all their own entries, drafts and private ones included.
    if user.is_patient:
        return Entry.objects.filter(patient=user)
    # A therapist reads only what their own patients chose to share, once submitted:
    # never a private entry, never a draft.
    if user.is_therapist:
        return Entry.objects.filter(
            patient__care_team_memberships__therapist=user,
            is_shared=True,
            submitted_at__isnull=False,
        )
    # A clinic admin reads no entries: the journal belongs to the patient and their care team.
    return none


def can_view_entry(user, entry):
    """True if this user may read this entry."""
    if not (user and user.is_authenticated and user.is_active and entry):
        return False
    # A patient may read their own entries.
    if user.is_patient:
        return entry.patient_id == user.pk
    # A therapist may read a submitted entry their own patient shared.
    if user.is_therapist:
        return entry.is_shared and not entry.is_draft and can_view_patient(user, entry.patient)
    return False


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
    if is_patient(user) or is_therapist(user):
        return Comment.objects.filter(entry__in=entries_visible_to(user))
    return Comment.objects.none()


def clinical_notes_visible_to(user):
    """The private clinical notes this user may read."""
    from journal.models import ClinicalNote

    # Only therapists, on entries they may read. Never the patient: these are the
    # care team's working notes.
    if is_therapist(user):
        return ClinicalNote.objects.filter(entry__in=entries_visible_to(user))
    return ClinicalNote.objects.none()


def entry_reads_visible_to(user):
    """The records of who opened which entry, that this user may see."""
    from journal.models import EntryRead

    # A patient sees who read their entries; a therapist sees colleagues' reads on
    # entries they may read themselves.
    if is_patient(user) or is_therapist(user):
        return EntryRead.objects.filter(entry__in=entries_visible_to(user))
    return EntryRead.objects.none()

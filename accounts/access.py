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

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.decorators import patient_required, therapist_required
from accounts.forms import AcceptInvitationForm, AddPatientForm
from accounts.models import Invitation, User
from accounts.services import invite_patient, send_invitation
from common.responses import see_other
from consent.models import ConsentVersion
from consent.selectors import ConsentStatus

INVITATION_LINK_SESSION_KEY = "accounts:new-invitation-link"
RECONSENT_PROMPTED_SESSION_KEY = "consent:reconsent-prompted"


@login_required
def home(request):
    """Send each person to where their work starts."""
    user = request.user
    if user.is_patient:
        return redirect("accounts:patient_home")
    if user.is_therapist:
        return redirect("journal:dashboard")
    if user.is_clinic_admin and user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/no_role.html", status=403)


@patient_required
def patient_home(request):
    consent_status = ConsentStatus(request.user, ConsentVersion.objects.current())
    if consent_status.kind == ConsentStatus.OUTDATED and not request.session.get(
        RECONSENT_PROMPTED_SESSION_KEY
    ):
        # Lead the patient to the new version once per visit; after that, home is home.
        request.session[RECONSENT_PROMPTED_SESSION_KEY] = True
        messages.info(
            request, "The clinic updated its consent form. Please read it and sign again."
        )
        return redirect("consent:overview")
    return render(
        request,
        "accounts/patient_home.html",
        {"care_team": access.care_team_of(request.user), "consent_status": consent_status},
    )


def _patients_for(therapist):
    return (
        User.objects.visible_to(therapist)
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.pending(),
                to_attr="pending_invitations",
            ),
            ConsentStatus.prefetch_for_status(),
        )
        .annotate(
            open_consent_questions=Count(
                "consents__questions",
                filter=Q(consents__questions__answered_at__isnull=True),
                distinct=True,
            )
        )
        .order_by("last_name", "first_name")
    )


@therapist_required
def patient_list(request):
    patients = ConsentStatus.attach(_patients_for(request.user))
    return render(request, "accounts/patient_list.html", {"patients": patients})


@therapist_required
def patient_detail(request, public_id):
    # 404, not 403, for a patient outside this therapist's care: never confirm they exist.
    patient = get_object_or_404(_patients_for(request.user), public_id=public_id)
    ConsentStatus.attach([patient])
    new_link = request.session.pop(INVITATION_LINK_SESSION_KEY, {}).get(str(patient.public_id))
    return render(
        request,
        "accounts/patient_detail.html",
        {
            "patient": patient,
            "care_team": access.care_team_of(patient),
            "new_invitation_link": new_link,
        },
    )


@therapist_required
def patient_add(request):
    form = AddPatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient, link = invite_patient(
            therapist=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
        )
        _remember_link_for_therapist(request, patient, link)
        messages.success(request, f"{patient.get_full_name()} is now in your care.")
        return see_other("accounts:patient_detail", public_id=patient.public_id)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/patient_add.html", {"form": form}, status=status)


@therapist_required
@require_POST
def patient_invitation_resend(request, public_id):
    patient = get_object_or_404(User.objects.visible_to(request.user), public_id=public_id)
    if patient.has_joined:
        messages.info(request, f"{patient.get_full_name()} has already set a password.")
    else:
        link = send_invitation(
            patient=patient, invited_by=request.user, base_url=request.build_absolute_uri("/")
        )
        _remember_link_for_therapist(request, patient, link)
        messages.success(request, "A new invitation link was sent. Older links no longer work.")
    return see_other("accounts:patient_detail", public_id=patient.public_id)


def _remember_link_for_therapist(request, patient, link):
    # Only a hash of the token is stored, so the link can be shown once, right now.
    request.session[INVITATION_LINK_SESSION_KEY] = {str(patient.public_id): link}


def invitation_accept(request, token):
    invitation = Invitation.objects.find_by_token(token)
    if invitation is None:
        return _invitation_problem(
            request, "We could not find this invitation link. Check that you copied all of it."
        )
    if not invitation.is_usable:
        return _invitation_problem(request, invitation.problem.label, invitation)
    patient = invitation.patient
    form = AcceptInvitationForm(patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation.accept(password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            # The same link was spent a moment ago (a double submit or a second tab).
            invitation.refresh_from_db()
            return _invitation_problem(request, error.messages[0], invitation)
        login(request, patient, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome. Your password is set and you are logged in.")
        return see_other("accounts:home")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "patient": patient},
        status=status,
    )


def _invitation_problem(request, problem, invitation=None):
    return render(
        request,
        "accounts/invitation_problem.html",
        {
            "problem": problem,
            "invitation": invitation,
            "valid_days": settings.INVITATION_VALID_DAYS,
        },
        # 404 for a link we never issued; 410 Gone for one that has been spent or expired.
        status=404 if invitation is None else 410,
    )

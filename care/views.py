"""The front door: where each person lands, the therapist's roster and one page per patient.

Thin views: forms check shape, services in accounts, consent and journal do the writes,
`care.selectors` gathers what each page shows. A patient outside the therapist's care is
a 404, like a missing one; the wrong role is a 403; anonymous visitors log in first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.decorators import patient_required, therapist_required
from accounts.forms import AddPatientForm
from accounts.selectors import patient_or_404
from accounts.services import add_patient_to_care, send_invitation
from care import presenters, selectors, services
from common.keyset import older_page_url
from common.responses import see_other, wants_fragment
from consent import services as consent_services
from consent.forms import AnswerQuestionForm
from consent.selectors import ConsentStatus, consent_question_or_404, consent_status
from journal import selectors as journal_selectors
from journal import services as journal_services
from journal.forms import AdministrationSessionForm

RECONSENT_PROMPTED_SESSION_KEY = "consent:reconsent-prompted"


@login_required
def home(request):
    """Send each person to where their work starts."""
    destination = selectors.home_for(request.user)
    if destination is None:
        return render(request, "care/no_role.html", status=403)
    return redirect(destination)


@patient_required
def patient_home(request):
    home = selectors.patient_home(request.user)
    if home.consent_status.kind == ConsentStatus.OUTDATED and not request.session.get(
        RECONSENT_PROMPTED_SESSION_KEY
    ):
        # Lead the patient to the new version once per visit; after that, home is home.
        request.session[RECONSENT_PROMPTED_SESSION_KEY] = True
        messages.info(
            request, _("The clinic updated its consent form. Please read it and sign again.")
        )
        return redirect("consent:overview")
    return render(
        request,
        "care/patient_home.html",
        {
            "care_team": home.care_team,
            "consent_status": home.consent_status,
            "consent_whats_new": home.consent_whats_new,
            "due_measures": home.due_measures,
        },
    )


# --- The therapist's roster and patient page -------------------------------------------


@therapist_required
def roster(request):
    roster = selectors.roster(request.user, page=request.GET.get("page"))
    return render(
        request,
        "care/roster.html",
        {
            "rows": presenters.roster_rows(roster.patients),
            "urgent_entries": roster.urgent_entries,
            "measure_alerts": roster.measure_alerts,
            "page": roster.page,
        },
    )


def _render_patient(request, public_id, *, status=200, **extra):
    cursor, window = request.GET.get("before"), request.GET.get("chart")
    if wants_fragment(request) and cursor is not None:
        return _older_entries(request, public_id, cursor=cursor, window=window)
    overview = selectors.patient_overview(
        request.user, public_id, cursor=cursor, window=window, language=get_language()
    )
    # The page shows the patient's shared words and consent record: on the audit trail.
    services.show_patient_page(viewer=request.user, overview=overview, request=request)
    context = {
        "overview": overview,
        "patient": overview.patient,
        "care_team": overview.care_team,
        "consent": overview.consent,
        "journal": overview.journal,
        "measure_summaries": overview.measures,
        "older_url": older_page_url(request, overview.journal.page, anchor="#journal"),
        "answer_form": AnswerQuestionForm(),
        **extra,
    }
    response = render(request, "care/patient_detail.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _older_entries(request, public_id, *, cursor, window):
    """ "Older entries" through htmx: the next page of the journal, and nothing else."""
    patient = patient_or_404(request.user, public_id)
    journal = journal_selectors.patient_journal(
        viewer=request.user, patient=patient, cursor=cursor, window=window
    )
    # This page of shared entries is a look at the patient's words like any other.
    journal_services.list_entries(
        viewer=request.user, patient=patient, count=journal.shown_count, request=request
    )
    context = {
        "patient": patient,
        "groups": journal.groups,
        "page": journal.page,
        "older_url": older_page_url(request, journal.page),
    }
    response = render(request, "journal/includes/journal_page.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@therapist_required
def patient_detail(request, public_id):
    return _render_patient(request, public_id)


# The same words whether the address was new or already had an account (of any role):
# a therapist must not learn from this page who else has an account at the clinic.
PATIENT_ADD_REQUESTED = gettext_lazy(
    "If this address is new to the clinic, an invitation is on its way to it. If it "
    "already has an account, we've asked the clinic admin to add them to your care."
)


@therapist_required
def patient_add(request):
    form = AddPatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        add_patient_to_care(
            therapist=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
        )
        messages.success(request, PATIENT_ADD_REQUESTED)
        # Back to an empty form, not to the new patient's page: where we send the therapist
        # must not depend on whether the address was new.
        return see_other("care:patient_add")
    status = 422 if request.method == "POST" else 200
    return render(request, "care/patient_add.html", {"form": form}, status=status)


@therapist_required
@require_POST
def invitation_resend(request, public_id):
    patient = patient_or_404(request.user, public_id)
    if patient.has_joined:
        messages.info(
            request,
            _("%(name)s has already set a password.") % {"name": patient.get_full_name()},
        )
    else:
        # The link goes to the patient's mailbox only: whoever holds it can become them.
        send_invitation(
            patient=patient, invited_by=request.user, base_url=request.build_absolute_uri("/")
        )
        messages.success(
            request,
            _("A new invitation link is on its way to %(email)s. Older links no longer work.")
            % {"email": patient.email},
        )
    return see_other("care:patient", public_id=patient.public_id)


@therapist_required
def session_new(request, public_id):
    patient = patient_or_404(request.user, public_id)
    form = AdministrationSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            journal_services.record_session(
                patient=patient, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The session is recorded. %(name)s can now reflect on it.")
                % {"name": patient.first_name},
            )
            # The top of the page, where the confirmation shows; no jump past it.
            return see_other("care:patient", public_id=patient.public_id)
    # A session is given under a signed, current consent: remind the therapist if it is not.
    return render(
        request,
        "care/session_form.html",
        {
            "form": form,
            "patient": patient,
            "consent_status": consent_status(patient),
        },
        status=422 if request.method == "POST" else 200,
    )


@therapist_required
@require_POST
def answer_consent_question(request, public_id):
    question = consent_question_or_404(request.user, public_id)
    if not access.can_answer_consent_question(request.user, question):
        raise PermissionDenied
    patient = question.consent.patient
    record_url = reverse("care:patient", args=[patient.public_id]) + "#consent-questions"
    if question.is_answered:
        # A colleague (or a double submit) answered first; the page shows their answer.
        messages.info(request, _("This question already has an answer."))
        return see_other(record_url)
    form = AnswerQuestionForm(request.POST)
    if form.is_valid():
        try:
            consent_services.answer_care_team_question(
                question=question, therapist=request.user, text=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            form.apply_rule_error(error)
        else:
            messages.success(request, _("Your answer is on the patient's consent page."))
            return see_other(record_url)
    # The page again, with the therapist's words still in the box and the reason beside it.
    return _render_patient(
        request,
        patient.public_id,
        status=422,
        unanswered=question,
        refused_answer_form=form,
    )

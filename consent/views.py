"""Consent pages: thin. Forms check the shape, `consent.services` writes, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from accounts import access
from accounts.decorators import patient_required
from accounts.identity import TooManyAttempts
from accounts.two_factor import has_two_factor
from common.responses import see_other, wants_fragment
from consent import selectors, services
from consent.forms import (
    AcknowledgeForm,
    AnswerForm,
    CareTeamQuestionForm,
    SignatureForm,
    WithdrawalForm,
)
from consent.models import ConsentVersion
from consent.pdf import PdfUnavailable, signed_copy_filename, signed_copy_pdf
from consent.presenters import reply_within
from consent.selectors import ConsentStatus

STEP_TEMPLATE = "consent/consent_step.html"


def _step_url(next_section):
    """Where reading goes on: that section, or the review once every section is done."""
    if next_section is None:
        return reverse("consent:review")
    return reverse("consent:step", args=[next_section.position])


# --- The patient's flow ---------------------------------------------------------------


@patient_required
def overview(request):
    return render(
        request,
        "consent/consent_overview.html",
        {"overview": selectors.consent_overview(request.user, language=get_language())},
    )


@patient_required
@require_POST
def start(request):
    try:
        consent = services.start_consent(patient=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return see_other(reverse("consent:overview"))
    return see_other(_step_url(consent.next_section()))


def _active_consent_or_overview(request):
    consent = selectors.active_consent(patient=request.user)
    if consent is None:
        return None, see_other(reverse("consent:overview"))
    return consent, None


def _render_step(request, consent, section, sections, *, status=200, **forms):
    step = selectors.step_state(consent, section, sections=sections, language=get_language())
    # The section in the words the patient reads: its question's choices included.
    section = step.section
    question_form = forms.get("question_form")
    if question_form is None:
        question_form = (
            CareTeamQuestionForm.about_question(section)
            if step.offers_care_team_question
            else CareTeamQuestionForm()
        )
    context = {
        "step": step,
        "acknowledge_form": forms.get("acknowledge_form") or AcknowledgeForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(section=section),
        "question_form": question_form,
        "next_url": _step_url(step.next_section),
    }
    template = STEP_TEMPLATE
    if wants_fragment(request):
        template = f"{STEP_TEMPLATE}#consent-step"
    response = render(request, template, context, status=status)
    if wants_fragment(request) and request.method == "GET":
        # The step arrived by an htmx swap: keep the address bar on this step.
        response["HX-Push-Url"] = request.get_full_path()
    return response


def _sections_or_404(consent, position):
    """The version's sections in order and the one at `position`: read once, for the step
    and for where reading goes next."""
    sections = consent.version.ordered_sections()
    section = next((s for s in sections if s.position == position), None)
    if section is None:
        raise Http404("No such section.")
    return sections, section


@patient_required
@vary_on_headers("HX-Request")
def step(request, position):
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    sections, section = _sections_or_404(consent, position)
    try:
        services.open_section(consent=consent, section=section)
    except ValidationError as error:
        messages.warning(request, error.messages[0])
        return see_other(_step_url(consent.next_section(sections)))
    return _render_step(request, consent, section, sections)


@patient_required
@require_POST
@vary_on_headers("HX-Request")
def acknowledge(request, position):
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    sections, section = _sections_or_404(consent, position)
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    try:
        services.acknowledge_section(
            consent=consent, section=section, confirmed=form.cleaned_data.get("confirmed", False)
        )
    except ValidationError as error:
        if error.messages[0] in services.SENDS_TO_NEXT_SECTION:
            messages.warning(request, error.messages[0])
            return see_other(_step_url(consent.next_section(sections)))
        form.apply_rule_error(error)
        return _render_step(request, consent, section, sections, acknowledge_form=form, status=422)
    return see_other(_step_url(consent.next_section(sections)))


@patient_required
@require_POST
@vary_on_headers("HX-Request")
def answer(request, position):
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    sections, section = _sections_or_404(consent, position)
    form = AnswerForm(request.POST, section=section)
    if form.is_valid():
        try:
            services.answer_question(
                consent=consent, section=section, choice=form.cleaned_data["choice"]
            )
        except ValidationError as error:
            if error.messages[0] in services.SENDS_TO_NEXT_SECTION:
                messages.warning(request, error.messages[0])
                return see_other(_step_url(consent.next_section(sections)))
            form.apply_rule_error(error)
        else:
            return see_other(reverse("consent:step", args=[position]) + "#question")
    return _render_step(request, consent, section, sections, answer_form=form, status=422)


@patient_required
@require_POST
@vary_on_headers("HX-Request")
def ask(request, position):
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    sections, section = _sections_or_404(consent, position)
    form = CareTeamQuestionForm(request.POST)
    if form.is_valid():
        try:
            services.ask_care_team(consent=consent, section=section, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.apply_rule_error(error)
        else:
            messages.success(
                request,
                _("Your question was sent to your care team. They usually answer %(reply_within)s.")
                % {"reply_within": reply_within()},
            )
            return see_other(reverse("consent:step", args=[position]) + "#care-team")
    return _render_step(request, consent, section, sections, question_form=form, status=422)


@patient_required
@vary_on_headers("HX-Request")
def review(request):
    if wants_fragment(request):
        # A step swaps itself in place; the review is a page of its own. Reached by htmx
        # (the last acknowledgement's redirect, or Continue), the browser loads it whole,
        # or its header and footer would show twice inside the step.
        return HttpResponseClientRedirect(request.get_full_path())
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    sections = consent.version.ordered_sections()
    next_section = consent.next_section(sections)
    if next_section is not None:
        messages.warning(request, _("Please acknowledge every section before the review."))
        return see_other(_step_url(next_section))
    acknowledgements = consent.acknowledged_sections()
    _read_version, sections = selectors.text_as_read(consent.version, get_language(), sections)
    # A renewal carries unchanged sections over: they have no acknowledgement in this pass.
    rows = [(section, acknowledgements.get(section.pk)) for section in sections]
    return render(request, "consent/consent_review.html", {"consent": consent, "rows": rows})


@patient_required
def sign(request):
    form = SignatureForm(
        request.POST or None,
        patient=request.user,
        needs_code=has_two_factor(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.sign_active_consent(
                patient=request.user,
                typed_name=form.cleaned_data["typed_name"],
                confirms_meaning=form.cleaned_data["confirms_meaning"],
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
                request=request,
                # The language of the page the patient signed on (a form from before
                # translations existed carries none: the active language then).
                language=form.cleaned_data["language"]
                or selectors.reading_language(get_language()),
            )
        except ValidationError as error:
            form.apply_rule_error(error)
        except TooManyAttempts as refusal:
            form.add_error(None, str(refusal))
        else:
            # A double submit gets the signature the first one made: the same page.
            return see_other(reverse("consent:signed", args=[signature.consent.public_id]))
    # Refused, or not sent yet: the page needs a consent that is ready to sign.
    consent, elsewhere = _active_consent_or_overview(request)
    if elsewhere:
        return elsewhere
    next_section = consent.next_section()
    if next_section is not None:
        messages.warning(request, _("Please acknowledge every section before you sign."))
        return see_other(_step_url(next_section))
    language = consent.version.reading_language(get_language())
    version, _sections = consent.version.text_in(language, [])
    form.initial["language"] = language
    if form.is_bound:
        # Shown again after a refusal: in the language the text is shown in now.
        form.data = form.data.copy()
        form.data["language"] = language
    return render(
        request,
        "consent/consent_sign.html",
        {
            "consent": consent,
            "form": form,
            "meaning": services.signature_meaning(version, language),
        },
        status=422 if request.method == "POST" else 200,
    )


@patient_required
def signed(request, public_id):
    consent = selectors.signed_consent_or_404(request.user, public_id)
    services.note_record_viewed(consent=consent, viewer=request.user, request=request)
    return render(request, "consent/consent_signed.html", {"consent": consent})


@patient_required
def withdraw(request):
    status = selectors.consent_status(request.user)
    if status.kind not in (ConsentStatus.SIGNED, ConsentStatus.OUTDATED):
        messages.info(request, _("You have no signed consent to withdraw."))
        return see_other(reverse("consent:overview"))
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_consent(
                patient=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            form.apply_rule_error(error)
        else:
            messages.success(
                request,
                _(
                    "Your consent is withdrawn. Your care team can see this. "
                    "You can read and sign again whenever you choose."
                ),
            )
            return see_other(reverse("consent:overview"))
    return render(
        request,
        "consent/consent_withdraw.html",
        {"form": form, "status": status},
        status=422 if request.method == "POST" else 200,
    )


@patient_required
def whats_new(request):
    """Wording changes that leave the patient's signature valid: shown, then noted as seen."""
    if request.method == "POST":
        try:
            services.note_whats_new_seen(patient=request.user, request=request)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        return see_other(reverse("consent:overview"))
    news = selectors.whats_new(request.user)
    if not news.notes:
        messages.info(request, _("There is nothing new in the consent for you to see."))
        return see_other(reverse("consent:overview"))
    return render(
        request,
        "consent/consent_whats_new.html",
        {"version": news.version, "notes": news.notes, "seen_at": news.seen_at},
    )


# --- Signed copies: the patient and their therapists -------------------------------------


@login_required
def copy(request, public_id):
    consent = selectors.signed_consent_or_404(request.user, public_id)
    services.note_record_viewed(consent=consent, viewer=request.user, request=request, what="copy")
    # The printable copy is in the language signed, like the PDF.
    with translation.override(consent.signature.language):
        return render(
            request,
            "consent/consent_copy.html",
            {
                "consent": consent,
                "seal": selectors.seal_check(consent),
                "signed_version": selectors.signed_version(consent),
            },
        )


@login_required
def copy_pdf(request, public_id):
    consent = selectors.signed_consent_or_404(request.user, public_id)
    try:
        pdf = signed_copy_pdf(consent=consent, request=request)
    except PdfUnavailable:
        # The server lacks Pango (`manage.py check` says so). The printable copy holds the
        # same record, and any browser prints it or saves it as a PDF.
        return render(
            request, "consent/consent_copy_pdf_unavailable.html", {"consent": consent}, status=503
        )
    # Noted once the PDF exists: a copy that could not be made was not seen.
    services.note_record_viewed(consent=consent, viewer=request.user, request=request, what="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{signed_copy_filename(consent)}"'
    return response


# --- Clinic admins: preview a draft as a patient would see it ----------------------------


@login_required
def preview(request, public_id, position):
    access.require_role(request.user, access.can_preview_consent_drafts)
    version = get_object_or_404(ConsentVersion, public_id=public_id)
    sections = version.ordered_sections()
    section = next((s for s in sections if s.position == position), None)
    if section is None:
        raise Http404(_("No such section."))
    index = sections.index(section)
    return render(
        request,
        "consent/consent_preview.html",
        {
            "version": version,
            "section": section,
            "step_number": index + 1,
            "step_count": len(sections),
            "previous_section": sections[index - 1] if index > 0 else None,
            "following_section": sections[index + 1] if index + 1 < len(sections) else None,
            "answer_form": AnswerForm(section=section),
        },
    )

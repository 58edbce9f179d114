"""Measure pages: one question per screen for the patient; scores, schedules and alerts
for the therapist. Thin views: a form checks the shape, `measures.services` does the
work, `measures.selectors` reads.

Someone else's response, patient or alert is a 404, like a missing one; the wrong role is
a 403 (from the decorators); anonymous visitors are sent to log in. Every POST answers
with a 303, so it works with JavaScript off; an invalid form is shown again with 422.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.decorators import patient_required, therapist_required
from accounts.selectors import patient_or_404
from common.responses import see_other
from journal import selectors as journal_selectors
from measures import selectors, services
from measures.forms import AnswerForm, ScheduleForm
from measures.models import Measure


def _question_url(response, position):
    return reverse("measures:question", args=[response.public_id, position])


def _resume_url(response):
    """Where an unfinished response goes on: its first unanswered question, or the review."""
    position = response.first_unanswered()
    if position is None:
        return reverse("measures:review", args=[response.public_id])
    return _question_url(response, position)


def _sent(request, response):
    """A stale form or a second tap on something already sent: say so kindly, show it."""
    messages.info(request, services.ALREADY_SENT)
    return see_other("measures:response", public_id=response.public_id)


# --- The patient -----------------------------------------------------------------------


@patient_required
def my_measures(request):
    window = request.GET.get("chart")
    page = selectors.my_measures(request.user, window=window)
    return render(
        request,
        "measures/my_measures.html",
        {
            "due": page.due,
            "submitted": page.submitted,
            "chart": page.chart,
            "mood_chart": journal_selectors.mood_chart(request.user, request.user, window),
        },
    )


@patient_required
def intro(request, public_id):
    """Before the first question: what it asks, how long it takes, who sees the answers."""
    measure = selectors.measure_or_404(public_id)
    if request.method == "POST":
        response = services.start_response(patient=request.user, measure=measure)
        return see_other(_resume_url(response))
    draft = selectors.draft_of(request.user, measure)
    version = draft.version if draft else measure.current
    return render(
        request,
        "measures/measure_intro.html",
        {"measure": measure, "version": version, "draft": draft},
    )


@patient_required
def question(request, public_id, position):
    response = selectors.response_or_404(request.user, public_id)
    if not response.is_draft:
        return _sent(request, response)
    version = response.version
    if not 1 <= position <= version.item_count:
        raise Http404("No such question.")
    form = AnswerForm(
        request.POST or None, version=version, initial={"value": response.answer_to(position)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_item(
                response=response, position=position, value=form.cleaned_data["value"]
            )
        except ValidationError as error:
            if error.code == "submitted":
                return _sent(request, response)
            form.add_error(None, error)
        else:
            if position < version.item_count:
                return see_other(_question_url(response, position + 1))
            return see_other("measures:review", public_id=response.public_id)
    previous_url = (
        _question_url(response, position - 1)
        if position > 1
        else reverse("measures:intro", args=[response.measure.public_id])
    )
    return render(
        request,
        "measures/measure_question.html",
        {
            "response": response,
            "version": version,
            "position": position,
            "item_text": version.item_text(position),
            "form": form,
            "previous_url": previous_url,
        },
        status=422 if request.method == "POST" else 200,
    )


@patient_required
def review(request, public_id):
    response = selectors.response_or_404(request.user, public_id)
    if not response.is_draft:
        return _sent(request, response)
    return render(request, "measures/measure_review.html", _review_context(response))


def _review_context(response, **extra):
    return {
        "response": response,
        "version": response.version,
        "rows": response.answered_items(),
        "first_unanswered": response.first_unanswered(),
        **extra,
    }


@patient_required
@require_POST
def submit(request, public_id):
    response = selectors.response_or_404(request.user, public_id)
    if not response.is_draft:
        # A double submit: the first one sent it. Same place, no second message needed.
        return see_other("measures:response", public_id=response.public_id)
    try:
        response = services.submit_response(response=response, request=request)
    except ValidationError as error:
        context = _review_context(response, errors=error.messages)
        return render(request, "measures/measure_review.html", context, status=422)
    return see_other("measures:response", public_id=response.public_id)


@login_required
def response_detail(request, public_id):
    """Submitted answers: the patient's own (the finish screen), or a therapist's patient's."""
    response = selectors.response_or_404(request.user, public_id)
    if response.is_draft:
        # Only the patient reaches their own draft (the scope hides it from anyone else).
        return see_other(_resume_url(response))
    if access.is_therapist(request.user):
        services.show_responses(
            viewer=request.user, patient=response.patient, count=1, request=request
        )
    return render(
        request,
        "measures/response_detail.html",
        {"response": response, "version": response.version, "rows": response.answered_items()},
    )


# --- The therapist -----------------------------------------------------------------------


@therapist_required
def patient_measures(request, public_id):
    """Every submitted questionnaire of one patient: the chart, and each answer."""
    patient = patient_or_404(request.user, public_id)
    window = request.GET.get("chart")
    chart = selectors.measure_chart(request.user, patient, window)
    # Beside the scores, the mood and anxiety of the entries the patient shared.
    mood_chart = journal_selectors.mood_chart(request.user, patient, window)
    summaries = selectors.measure_summaries(request.user, patient)
    submitted = list(selectors.submitted_responses(request.user, patient)[:100])
    services.show_responses(
        viewer=request.user, patient=patient, count=len(submitted), request=request
    )
    return render(
        request,
        "measures/patient_measures.html",
        {
            "patient": patient,
            "chart": chart,
            "mood_chart": mood_chart,
            "summaries": summaries,
            "submitted": submitted,
        },
    )


@therapist_required
def schedule_set(request, public_id, measure_id):
    patient = patient_or_404(request.user, public_id)
    if not access.can_set_measure_schedule(request.user, patient):
        raise PermissionDenied
    try:
        measure = Measure.objects.get(public_id=measure_id)
    except Measure.DoesNotExist:
        raise Http404("No such measure.") from None
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_schedule(
                patient=patient,
                measure=measure,
                mode=form.cleaned_data["mode"],
                interval=form.cleaned_data["interval"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The %(name)s schedule is saved.") % {"name": measure.name})
            return see_other(reverse("care:patient", args=[patient.public_id]) + "#measures")
    return render(
        request,
        "measures/schedule_form.html",
        {"patient": patient, "measure": measure, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@therapist_required
@require_POST
def alert_acknowledge(request, public_id):
    alert = selectors.alert_or_404(request.user, public_id)
    if not access.can_acknowledge_measure_alert(request.user, alert):
        raise Http404("No such alert.")
    was_open = alert.is_open
    services.acknowledge_alert(alert=alert, by=request.user, request=request)
    if was_open:
        messages.success(
            request,
            _("Acknowledged. %(name)s is no longer marked urgent.")
            % {"name": alert.patient.get_full_name()},
        )
    else:
        messages.info(request, _("A colleague acknowledged this alert already."))
    next_url = request.POST.get("next")
    if next_url == "patient":
        return see_other(reverse("care:patient", args=[alert.patient.public_id]) + "#measures")
    return see_other("care:roster")

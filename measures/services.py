"""Every change to measures, for web pages, the API and commands alike.

Services take typed values (a measure, an int position and value, a mode string) and
raise ValidationError with the words a patient or therapist reads. Fetching the right
object, and refusing someone else's, happens before (see `measures.selectors`).

When the care team hears of an alerting answer (PHQ-9 item 9 above “Not at all”): the
patient is shown crisis resources at once, on the screen after that answer, but the
alert is raised when they submit. A draft is the patient's own until then (they may be
unsure, and change the answer); the intro says so before they start: their care team is
shown the answer "when you send your answers". An abandoned draft raises nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from audit.models import Kind
from audit.services import record_event
from measures import selectors
from measures.definitions import version_fields
from measures.models import (
    INTERVAL_MAX,
    Measure,
    MeasureAlert,
    MeasureResponse,
    MeasureSchedule,
    MeasureVersion,
    ScheduleMode,
)

ALREADY_SENT = gettext_lazy(
    "You already sent these answers, so they can no longer be changed. "
    "If something has changed since, tell your care team."
)
NOT_FINISHED = gettext_lazy("Please answer every question before you send your answers.")


# --- The patient answers ---------------------------------------------------------------


@transaction.atomic
def start_response(*, patient, measure):
    """Start answering this measure, or go on with the unfinished answers: one draft each.

    Returns the draft. Starting twice (two taps, two tabs) returns the same draft.
    """
    draft = selectors.draft_of(patient, measure)
    if draft is not None:
        return draft
    version = getattr(measure, "current", None) or MeasureVersion.objects.current_for(measure)
    if version is None:
        raise ValidationError(gettext("This questionnaire is not available."))
    due = selectors.due_for(patient, measure)
    try:
        with transaction.atomic():
            return MeasureResponse.objects.create(
                patient=patient,
                measure=measure,
                version=version,
                due_key=due.due_key if due else "",
            )
    except IntegrityError:
        # A second request started it a moment ago: go on with that one.
        return selectors.draft_of(patient, measure)


def _check_value(version, position, value):
    if not isinstance(position, int) or isinstance(position, bool):
        raise ValidationError({"position": [gettext("Choose one of the questions.")]})
    if not 1 <= position <= version.item_count:
        raise ValidationError(
            {
                "position": [
                    gettext("There are %(count)d questions: choose 1 to %(count)d.")
                    % {"count": version.item_count}
                ]
            }
        )
    if isinstance(value, bool) or not isinstance(value, int) or value not in version.values:
        raise ValidationError({"value": [gettext("Choose one of the answers.")]})


@transaction.atomic
def answer_item(*, response, position, value):
    """Keep the patient's answer to one question of their draft, at once.

    Answering again replaces the answer. Answers to submitted responses are refused with
    kind words (an old tab, a double tap): they never change.
    """
    _check_value(response.version, position, value)
    stored = MeasureResponse.objects.select_for_update().get(pk=response.pk)
    if not stored.is_draft:
        raise ValidationError(ALREADY_SENT, code="submitted")
    answers = dict(stored.answers)
    answers[str(position)] = value
    now = timezone.now()
    MeasureResponse.objects.filter(pk=stored.pk, submitted_at__isnull=True).update(
        answers=answers, updated_at=now
    )
    response.answers, response.updated_at = answers, now
    return response


@transaction.atomic
def submit_response(*, response, request=None):
    """Send the finished answers: scored, kept as they are, and seen by the care team.

    Submitting twice returns the submitted response, unchanged. An answer the measure's
    rules flag raises an alert for the care team, in the same transaction.
    """
    stored = (
        MeasureResponse.objects.select_for_update()
        .select_related("version", "measure", "patient")
        .get(pk=response.pk)
    )
    if not stored.is_draft:
        return stored
    if stored.first_unanswered() is not None:
        raise ValidationError(NOT_FINISHED, code="unfinished")
    version = stored.version
    total = version.score(stored.answers)
    band = version.band_for(total)
    now = timezone.now()
    MeasureResponse.objects.filter(pk=stored.pk, submitted_at__isnull=True).update(
        submitted_at=now, total_score=total, band=band["label"] if band else "", updated_at=now
    )
    stored.refresh_from_db()
    flagged = version.flagged_items(stored.answers)
    if flagged:
        MeasureAlert.objects.create(response=stored, patient=stored.patient, items=flagged)
    record_event(
        Kind.MEASURE_SUBMITTED,
        actor=stored.patient,
        patient=stored.patient,
        target=stored,
        request=request,
        # Which measure and whether the care team was alerted; never the answers or score.
        detail={"measure": stored.measure.code, "version": version.number, "alert": bool(flagged)},
    )
    return stored


# --- The care team -----------------------------------------------------------------------


@transaction.atomic
def set_schedule(*, patient, measure, mode, interval=None, by, request=None):
    """Turn a measure on for a patient (baseline, then every N days or after every K
    sessions) or off. Returns the schedule."""
    if mode not in ScheduleMode.values:
        raise ValidationError(
            {"mode": [gettext("Choose off, every N days or after every K sessions.")]}
        )
    if mode == ScheduleMode.OFF:
        interval = None
    elif isinstance(interval, bool) or not isinstance(interval, int):
        raise ValidationError({"interval": [gettext("Say how often, as a whole number.")]})
    elif not 1 <= interval <= INTERVAL_MAX:
        raise ValidationError(
            {"interval": [gettext("Choose a number from 1 to %(max)d.") % {"max": INTERVAL_MAX}]}
        )
    schedule, _ = MeasureSchedule.objects.update_or_create(
        patient=patient,
        measure=measure,
        defaults={"mode": mode, "interval": interval, "set_by": by, "updated_at": timezone.now()},
    )
    record_event(
        Kind.MEASURE_SCHEDULE_SET,
        actor=by,
        patient=patient,
        target=patient,
        request=request,
        detail={"measure": measure.code, "mode": mode, "interval": interval},
    )
    return schedule


@transaction.atomic
def acknowledge_alert(*, alert, by, request=None):
    """A therapist in the care team has seen the alert: the patient leaves the urgent list.

    Acknowledging twice (a colleague first, a double tap) keeps the first acknowledgement.
    """
    stored = MeasureAlert.objects.select_for_update().get(pk=alert.pk)
    if stored.is_open:
        stored.acknowledged_at = timezone.now()
        stored.acknowledged_by = by
        stored.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(
            Kind.MEASURE_ALERT_ACKNOWLEDGED,
            actor=by,
            patient=stored.patient,
            target=stored,
            request=request,
        )
    return stored


def show_responses(*, viewer, patient, count, request=None):
    """A therapist is shown a patient's measure scores or answers: on the audit trail.

    One event per page or API answer, with how many measures or responses it showed;
    nothing shown, nothing recorded.
    """
    if not count:
        return None
    return record_event(
        Kind.MEASURES_VIEWED,
        actor=viewer,
        patient=patient,
        target=patient,
        request=request,
        detail={"count": count},
    )


# --- The clinic adds a measure -----------------------------------------------------------


@transaction.atomic
def publish_measure_version(*, definition):
    """Publish a checked definition (`measures.definitions.check_definition`) as a version.

    Returns (version, created). The same version loaded again with the same content is
    left as it is; with different content it is refused: a published version never
    changes, so new wording needs a new version number.
    """
    measure, _ = Measure.objects.get_or_create(
        code=definition["code"],
        defaults={"name": definition["name"], "position": definition["position"]},
    )
    fields = version_fields(definition)
    existing = MeasureVersion.objects.filter(measure=measure, number=definition["version"]).first()
    if existing is not None:
        differs = [name for name, value in fields.items() if getattr(existing, name) != value]
        if differs:
            raise ValidationError(
                f"Version {existing.number} of {measure.code} is published and never changes "
                f"(this file differs in: {', '.join(differs)}). Give the new wording a new "
                "version number."
            )
        return existing, False
    newest = MeasureVersion.objects.current_for(measure)
    if newest is not None and newest.number > definition["version"]:
        raise ValidationError(
            f"{measure.code} already has version {newest.number}; load a higher number."
        )
    version = MeasureVersion.objects.create(measure=measure, number=definition["version"], **fields)
    Measure.objects.filter(pk=measure.pk).update(
        name=definition["name"], position=definition["position"]
    )
    return version, True

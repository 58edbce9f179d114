"""Reads of measures that web pages, the API and scheduled commands share.

Everything a person sees goes through a `visible_to(user)` scope: someone else's response
or alert is a 404, like a missing one. `due_measures` and `patients_with_measures_due`
work out which scheduled measures wait for a patient, each with a `due_key` that names
that one occurrence ("phq9:baseline", "phq9:after:<the last answers' id>"), so a reminder
can be sent exactly once per occurrence.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from journal.models import AdministrationSession
from measures.charts import MAX_POINTS, MeasureChart
from measures.models import (
    Measure,
    MeasureAlert,
    MeasureResponse,
    MeasureSchedule,
    MeasureVersion,
    ScheduleMode,
)

# The windows the chart offers, as the journal's mood chart does.
CHART_WINDOWS = {"90": 90, "365": 365, "all": None}
DEFAULT_CHART_WINDOW = "90"


def chart_window(raw):
    return raw if raw in CHART_WINDOWS else DEFAULT_CHART_WINDOW


# --- The questionnaires ----------------------------------------------------------------


def measures_with_current_versions():
    """Every measure, in order, each with `current` (its newest version) attached: 2 queries."""
    measures = list(Measure.objects.in_order())
    current = {}
    for version in MeasureVersion.objects.filter(measure__in=measures).newest_first():
        current.setdefault(version.measure_id, version)
    for measure in measures:
        measure.current = current.get(measure.pk)
    return [measure for measure in measures if measure.current is not None]


def measure_or_404(public_id):
    """A measure patients can answer, with its current version attached."""
    measure = get_object_or_404(Measure, public_id=public_id)
    measure.current = MeasureVersion.objects.current_for(measure)
    if measure.current is None:
        raise Http404("No such measure.")
    return measure


def measure_by_code(code):
    """The measure with this code and its current version, or None."""
    measure = Measure.objects.filter(code=code).first()
    if measure is not None:
        measure.current = MeasureVersion.objects.current_for(measure)
    return measure if measure is not None and measure.current is not None else None


# --- Responses -------------------------------------------------------------------------


def response_or_404(user, public_id):
    """A response this user may see: the patient's own (drafts too), or a therapist's
    patient's submitted one. Anyone else's is a 404."""
    return get_object_or_404(
        MeasureResponse.objects.visible_to(user).select_related("version", "measure", "patient"),
        public_id=public_id,
    )


def draft_of(patient, measure):
    """The patient's unfinished answers to this measure, if they started."""
    return (
        MeasureResponse.objects.visible_to(patient)
        .drafts()
        .filter(measure=measure)
        .select_related("version", "measure")
        .first()
    )


def responses(viewer, *, patient=None):
    """Responses the viewer may see, newest first by when they were begun."""
    found = MeasureResponse.objects.visible_to(viewer)
    if patient is not None:
        found = found.of(patient)
    return found.select_related("version", "measure").order_by("-started_at", "-pk")


def submitted_responses(viewer, patient):
    """The patient's submitted answers the viewer may see, newest first."""
    return responses(viewer, patient=patient).submitted()


# --- What is due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A scheduled measure waiting for the patient."""

    measure: Measure
    due_key: str
    due_since: object  # the date it became due (None for a baseline)
    draft_key: object = None  # the public id of the patient's unfinished answers, if any

    @property
    def is_baseline(self):
        return self.due_key.endswith(":baseline")


def _with_facts(schedules, now):
    """Schedules annotated with what decides whether they are due: the last submitted
    answers, the draft, and the sessions since those answers. One query in all."""
    same = {"patient": OuterRef("patient"), "measure": OuterRef("measure")}
    submitted = MeasureResponse.objects.filter(**same, submitted_at__isnull=False).order_by(
        "-submitted_at", "-pk"
    )
    drafts = MeasureResponse.objects.filter(**same, submitted_at__isnull=True)
    sessions_since = (
        AdministrationSession.objects.filter(
            patient=OuterRef("patient"),
            occurred_at__gt=OuterRef("last_submitted_at"),
            occurred_at__lte=now,
        )
        .order_by()
        .values("patient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        schedules.on()
        .select_related("measure")
        .annotate(
            last_submitted_at=Subquery(submitted.values("submitted_at")[:1]),
            last_response_key=Subquery(submitted.values("public_id")[:1]),
            draft_key=Subquery(drafts.values("public_id")[:1]),
        )
        .annotate(
            sessions_since=Coalesce(Subquery(sessions_since, output_field=IntegerField()), Value(0))
        )
        .order_by("measure__position", "measure__code")
    )


def _due(schedule, now):
    """The Due for this annotated schedule, or None if nothing is due now."""
    code = schedule.measure.code
    if schedule.last_submitted_at is None:
        # The baseline: before the first session, or as soon as the schedule is on.
        return Due(schedule.measure, f"{code}:baseline", None, schedule.draft_key)
    occurrence = f"{code}:after:{schedule.last_response_key}"
    if schedule.mode == ScheduleMode.EVERY_DAYS:
        # Counted in the clinic's days: due the morning of the day, not the hour.
        due_on = timezone.localdate(schedule.last_submitted_at) + timedelta(days=schedule.interval)
        if timezone.localdate(now) >= due_on:
            return Due(schedule.measure, occurrence, due_on, schedule.draft_key)
    elif (
        schedule.mode == ScheduleMode.AFTER_SESSIONS
        and schedule.sessions_since >= schedule.interval
    ):
        return Due(schedule.measure, occurrence, None, schedule.draft_key)
    return None


def due_measures(patient, *, now=None):
    """The scheduled measures waiting for this patient now, in the clinic's order: 1 query."""
    now = now or timezone.now()
    schedules = _with_facts(MeasureSchedule.objects.visible_to(patient), now)
    return [due for due in (_due(s, now) for s in schedules) if due is not None]


def patients_with_measures_due(*, now=None):
    """Every (patient, measure_version, due_key) due now, for reminders.

    Only active patients. The version is the measure's current one (what the patient
    will answer). The same occurrence always has the same `due_key` until the patient
    submits, so a sender that remembers keys sends one reminder per occurrence.
    """
    now = now or timezone.now()
    schedules = _with_facts(
        MeasureSchedule.objects.filter(patient__in=User.objects.patients().filter(is_active=True)),
        now,
    ).select_related("patient")
    schedules = list(schedules)
    current = {}
    measures = {schedule.measure_id for schedule in schedules}
    for version in MeasureVersion.objects.filter(measure__in=measures).newest_first():
        current.setdefault(version.measure_id, version)
    for schedule in schedules:
        due = _due(schedule, now)
        if due is not None and schedule.measure_id in current:
            yield schedule.patient, current[schedule.measure_id], due.due_key


def due_for(patient, measure, *, now=None):
    """The Due for this measure if it is due for the patient now (to stamp the response)."""
    return next(
        (due for due in due_measures(patient, now=now) if due.measure.pk == measure.pk), None
    )


# --- What the therapist sees ---------------------------------------------------------------


@dataclass
class MeasureSummary:
    """One measure on a patient's page: schedule, latest score and band, change since the first."""

    measure: Measure
    schedule_mode: str
    schedule_interval: int | None
    response_count: int
    latest_score: int | None
    latest_band: str
    latest_at: object
    first_score: int | None
    first_at: object
    max_score: int | None
    reliable_change: int | None
    open_alert_key: object = None
    open_alert_at: object = None

    @property
    def change(self):
        """Latest minus first: negative is fewer symptoms (every shipped measure)."""
        if self.response_count < 2 or self.latest_score is None or self.first_score is None:
            return None
        return self.latest_score - self.first_score

    @property
    def is_reliable_change(self):
        change = self.change
        return (
            bool(change)
            and self.reliable_change is not None
            and (abs(change) >= self.reliable_change)
        )

    @property
    def is_scheduled(self):
        return self.schedule_mode not in (None, "", ScheduleMode.OFF)


def measure_summaries(viewer, patient):
    """Each measure for this patient, as the therapist sees it: four small queries.

    Scores come from submitted answers only: their totals and times, oldest first (a few
    numbers per answer). One query with a dozen subqueries asked the same, but building
    it cost more than asking these four.
    """
    current = MeasureVersion.objects.filter(measure=OuterRef("pk")).order_by("-number")
    measures = Measure.objects.in_order().annotate(
        max_score=Subquery(current.values("max_score")[:1]),
        reliable_change=Subquery(current.values("reliable_change")[:1]),
    )
    answered = {}  # measure id: [count, first (score, band, at), latest (score, band, at)]
    submitted = (
        MeasureResponse.objects.visible_to(viewer)
        .submitted()
        .filter(patient=patient)
        .order_by("submitted_at", "pk")
        .values_list("measure_id", "total_score", "band", "submitted_at")
    )
    for measure_id, *scored in submitted:
        facts = answered.setdefault(measure_id, [0, scored, None])
        facts[0] += 1
        facts[2] = scored
    schedules = {
        measure_id: (mode, interval)
        for measure_id, mode, interval in MeasureSchedule.objects.visible_to(viewer)
        .filter(patient=patient)
        .values_list("measure_id", "mode", "interval")
    }
    alerts = {}  # measure id: the oldest open alert's (public id, raised at)
    for measure_id, *alert in (
        MeasureAlert.objects.visible_to(viewer)
        .open()
        .filter(patient=patient)
        .order_by("raised_at")
        .values_list("response__measure_id", "public_id", "raised_at")
    ):
        alerts.setdefault(measure_id, alert)
    summaries = []
    for measure in measures:
        if measure.max_score is None:
            continue
        count, (first_score, _, first_at), (latest_score, latest_band, latest_at) = answered.get(
            measure.pk, (0, (None, "", None), (None, "", None))
        )
        mode, interval = schedules.get(measure.pk, (None, None))
        alert_key, alert_at = alerts.get(measure.pk, (None, None))
        summaries.append(
            MeasureSummary(
                measure=measure,
                schedule_mode=mode or ScheduleMode.OFF,
                schedule_interval=interval,
                response_count=count,
                latest_score=latest_score,
                latest_band=latest_band or "",
                latest_at=latest_at,
                first_score=first_score,
                first_at=first_at,
                max_score=measure.max_score,
                reliable_change=measure.reliable_change,
                open_alert_key=alert_key,
                open_alert_at=alert_at,
            )
        )
    return summaries


def schedules(viewer, patient):
    """The patient's measure schedules the viewer may see."""
    return (
        MeasureSchedule.objects.visible_to(viewer)
        .filter(patient=patient)
        .select_related("measure")
        .order_by("measure__position", "measure__code")
    )


def open_alerts(therapist):
    """Open alerts for the patients in this therapist's care, oldest first (the dashboard)."""
    return list(
        MeasureAlert.objects.visible_to(therapist)
        .open()
        .select_related("patient", "response__measure")
        .order_by("raised_at", "pk")
    )


def alert_or_404(user, public_id):
    return get_object_or_404(
        MeasureAlert.objects.visible_to(user).select_related("patient"), public_id=public_id
    )


def alerts_to_count(therapist):
    """The open alerts in this therapist's caseload, for care's roster to count per patient."""
    return MeasureAlert.objects.visible_to(therapist).open()


# --- The chart -------------------------------------------------------------------------------


def measure_chart(viewer, patient, window=DEFAULT_CHART_WINDOW):
    """Submitted scores over the chosen window, with the sessions: two bounded queries."""
    window = chart_window(window)
    days = CHART_WINDOWS[window]
    scored = (
        MeasureResponse.objects.visible_to(viewer)
        .submitted()
        .filter(patient=patient)
        .select_related("measure", "version")
        .only(
            "submitted_at",
            "total_score",
            "band",
            "measure__code",
            "measure__name",
            "measure__position",
            "version__max_score",
        )
        .order_by("-submitted_at")
    )
    sessions = AdministrationSession.objects.visible_to(viewer).of(patient).past()
    if days:
        since = timezone.now() - timedelta(days=days)
        scored = scored.filter(submitted_at__gte=since)
        sessions = sessions.filter(occurred_at__gte=since)
    chart = MeasureChart.from_responses(
        list(scored[:MAX_POINTS]), list(sessions.only("occurred_at").newest_first())
    )
    chart.window = window
    return chart


# --- The patient's own page --------------------------------------------------------------------


@dataclass
class MyMeasures:
    due: list
    submitted: list
    chart: MeasureChart


def my_measures(patient, *, window=DEFAULT_CHART_WINDOW):
    """The patient's questionnaires page: what is due, their submitted answers, the chart."""
    return MyMeasures(
        due=due_measures(patient),
        submitted=list(
            submitted_responses(patient, patient).filter(
                Q(submitted_at__gte=timezone.now() - timedelta(days=365))
            )[:50]
        ),
        chart=measure_chart(patient, patient, window),
    )

"""Measure factories: the shipped PHQ-9, GAD-7 and PCL-5, schedules and answered responses."""

import importlib
from datetime import timedelta

from django.utils import timezone

from measures.models import (
    Measure,
    MeasureAlert,
    MeasureResponse,
    MeasureSchedule,
    MeasureVersion,
    ScheduleMode,
)


def shipped_measures():
    """The measures the app ships, recreated if a flush (live_server tests) removed them."""
    from django.apps import apps

    if MeasureVersion.objects.count() < 3:
        migration = importlib.import_module("measures.migrations.0002_ship_phq9_gad7_pcl5")
        migration.ship(apps, None)
    return {measure.code: measure for measure in Measure.objects.all()}


def measure(code):
    """One shipped measure, with its current version attached as `current`."""
    found = shipped_measures()[code]
    found.current = MeasureVersion.objects.current_for(found)
    return found


def schedule(patient, code, mode=ScheduleMode.EVERY_DAYS, interval=14, by=None):
    return MeasureSchedule.objects.update_or_create(
        patient=patient,
        measure=measure(code),
        defaults={"mode": mode, "interval": interval, "set_by": by},
    )[0]


def answered(patient, code, values, *, submitted_at=None, draft=False, alert=None):
    """A response to the shipped measure with these answers (one value per item, in order).

    Submitted (scored as the app scores it) unless `draft`; `submitted_at` defaults to now.
    With `alert` (True/False), an alert row is written when its rules flag an answer.
    """
    chosen = measure(code)
    version = chosen.current
    answers = {str(position): value for position, value in enumerate(values, start=1)}
    response = MeasureResponse(patient=patient, measure=chosen, version=version, answers=answers)
    if not draft:
        moment = submitted_at or timezone.now()
        total = version.score(answers)
        response.started_at = moment - timedelta(minutes=4)
        response.updated_at = response.submitted_at = moment
        response.total_score = total
        response.band = version.band_for(total)["label"]
    response.save()
    flagged = version.flagged_items(answers)
    if not draft and flagged and alert is not False:
        MeasureAlert.objects.create(
            response=response, patient=patient, items=flagged, raised_at=response.submitted_at
        )
    return response


PHQ9_WITH_ITEM_9 = [1, 1, 2, 1, 0, 1, 1, 0, 1]

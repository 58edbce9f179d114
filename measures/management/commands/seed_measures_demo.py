"""Demo measures: schedules and a few weeks of PHQ-9 and GAD-7 (and one PCL-5) answers.

Run after `seed_demo` (which creates the people) and `seed_journal_demo` (the sessions).
It can run as often as you like: every row has a fixed public id and an existing one is
left as it is (submitted answers never change). Omar's latest PHQ-9 answers item 9 above
“Not at all”, so Jonas's dashboard shows how an alert looks until he acknowledges it.
"""

import uuid
from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from measures.definitions import DEFINITIONS_DIR, SHIPPED, read_definition
from measures.models import (
    Measure,
    MeasureAlert,
    MeasureResponse,
    MeasureSchedule,
    MeasureVersion,
    ScheduleMode,
)
from measures.services import publish_measure_version

NAMESPACE = uuid.UUID("0c8f3f7e-58a1-4d0b-9a52-7d1e6b3c2a90")

# Each demo patient: (days ago, PHQ-9 total, GAD-7 total), oldest first, and their schedule.
PLANS = {
    "sam.rivera@example.com": (
        [(29, 17, 14), (22, 15, 12), (15, 12, 10), (8, 10, 8), (1, 8, 6)],
        (ScheduleMode.EVERY_DAYS, 7),
    ),
    "lena.novak@example.com": ([(29, 11, 13), (15, 9, 10)], (ScheduleMode.EVERY_DAYS, 14)),
    "omar.haddad@example.com": (
        [(27, 14, 9), (17, 13, 9), (4, 12, 8)],
        (ScheduleMode.AFTER_SESSIONS, 2),
    ),
    "grace.kim@example.com": ([], (ScheduleMode.EVERY_DAYS, 14)),
}
# Sam answered the PCL-5 once, at the start.
PCL5 = {"sam.rivera@example.com": (29, 38)}
ALERT_ON = ("omar.haddad@example.com", 4)


def _key(*parts):
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _at(days_ago, hour):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def spread(total, items, highest, last_item=0):
    """Answers summing to `total`, spread over the items (the last one fixed)."""
    answers = [0] * items
    answers[-1] = last_item
    left = total - last_item
    position = 0
    while left > 0:
        if answers[position] < highest and position < items - 1:
            answers[position] += 1
            left -= 1
        position = (position + 1) % (items - 1)
    return answers


class Command(BaseCommand):
    help = "Create demo measure schedules and answers (run after seed_demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        # The shipped measures come with the migrations; a database emptied since (a
        # flushed test database, say) gets them back from the same files.
        for name in SHIPPED:
            publish_measure_version(definition=read_definition(DEFINITIONS_DIR / name))
        versions = {
            measure.code: MeasureVersion.objects.current_for(measure)
            for measure in Measure.objects.all()
        }
        created = 0
        for email, (rows, (mode, interval)) in PLANS.items():
            patient = User.objects.filter(email=email).first()
            if patient is None:
                self.stderr.write(f"No demo patient {email}: run seed_demo first.")
                continue
            therapist = patient.care_team_memberships.select_related("therapist").first()
            for code in ("phq9", "gad7"):
                MeasureSchedule.objects.update_or_create(
                    patient=patient,
                    measure=versions[code].measure,
                    defaults={
                        "mode": mode,
                        "interval": interval,
                        "set_by": therapist.therapist if therapist else None,
                    },
                )
            for days_ago, phq9, gad7 in rows:
                item_9 = 1 if (email, days_ago) == ALERT_ON else 0
                created += self._response(
                    patient, versions["phq9"], days_ago, spread(phq9, 9, 3, item_9)
                )
                created += self._response(patient, versions["gad7"], days_ago, spread(gad7, 7, 3))
            if email in PCL5:
                days_ago, total = PCL5[email]
                created += self._response(patient, versions["pcl5"], days_ago, spread(total, 20, 4))
        self.stdout.write(self.style.SUCCESS(f"Demo measures are ready ({created} new answers)."))

    def _response(self, patient, version, days_ago, values):
        key = _key(patient.email, version.measure.code, days_ago)
        if MeasureResponse.objects.filter(public_id=key).exists():
            return 0
        answers = {str(n): v for n, v in enumerate(values, start=1)}
        total = version.score(answers)
        submitted_at = _at(days_ago, 19)
        response = MeasureResponse.objects.create(
            public_id=key,
            patient=patient,
            measure=version.measure,
            version=version,
            answers=answers,
            started_at=submitted_at - timedelta(minutes=3),
            updated_at=submitted_at,
            submitted_at=submitted_at,
            total_score=total,
            band=version.band_for(total)["label"],
        )
        flagged = version.flagged_items(answers)
        if flagged:
            MeasureAlert.objects.create(
                response=response, patient=patient, items=flagged, raised_at=submitted_at
            )
        return 1

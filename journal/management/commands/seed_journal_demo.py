"""Demo journal data: sessions and a few weeks of entries for the demo patients.

Run after `seed_demo` (which creates the people). It can run as often as you like: every
row has a fixed public id, so a second run updates the same rows (times move with today,
so the journal always looks alive) and never duplicates. Entries a person writes while
trying the demo are left alone. The numbers come from a seeded random generator, so every
run draws the same journal.
"""

import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from journal.models import (
    AdministrationSession,
    Comment,
    Entry,
    EntryRead,
    Experience,
    Intention,
    Route,
    Side,
)

NAMESPACE = uuid.UUID("6f1d7c52-3a0e-4f39-9d55-2b8c1f0a7e11")

# Each demo patient: their route, dose, and the days ago of their sessions (oldest first).
PLANS = {
    "sam.rivera@example.com": (Route.IV_INFUSION, Decimal("35.0"), [27, 20, 13, 6, 2]),
    "lena.novak@example.com": (Route.INTRAMUSCULAR, Decimal("50.0"), [25, 18, 11, 4]),
    "omar.haddad@example.com": (Route.LOZENGE, Decimal("200.0"), [26, 16, 9, 3]),
    "grace.kim@example.com": (Route.IV_INFUSION, Decimal("40.0"), [24, 17, 10]),
}

REFLECTIONS = [
    "The music carried me further than last time. I saw my grandmother's kitchen, warm and bright, "
    "and for once I did not push the memory away.",
    "Mostly calm. A heavy feeling in my chest at the start that loosened after twenty minutes. "
    "I noticed I was holding my breath and let it go.",
    "Harder session. I felt far away from my body and it scared me for a moment, then the "
    "guide's voice brought me back. Tired all evening.",
    "I keep coming back to the image of a door I did not open. I think it has to do with my "
    "brother. I would like to talk about that.",
    "Clear morning after. Walked by the river and noticed colours more than usual. Slept well.",
]
BETWEEN = [
    "A stressful day at work, but I caught myself before the old spiral started. Breathing helped.",
    "Low energy today. Not sad exactly, just flat. I made tea and sat outside for a while.",
    "Talked to my sister on the phone for an hour. It felt easier than it has in years.",
    "Trouble sleeping again. My mind kept replaying the conversation with my manager.",
    "Good day. Cooked dinner for friends and actually enjoyed it instead of worrying.",
]
PROMPTS = {
    "stood_out": "How quiet my mind became near the end.",
    "emotions": "Grief first, then relief, then something like tenderness.",
    "body_sensations": "Tingling in my hands, a warm heavy feeling in my legs.",
    "insights": "I do not have to solve everything at once.",
    "intention": "Be gentler with myself when I make mistakes.",
}
COMMENTS = [
    "Thank you for writing this down. The image of the kitchen sounds important; "
    "let us explore it.",
    "It makes sense that feeling far from your body was frightening. You handled it well.",
    "I am glad the breathing helped. Keep noticing those moments.",
]
# Lena shows the integration loop: an intention kept with her latest session, one for the
# next, and a comment she answered, with Maya's answer back.
LOOP_PATIENT = "lena.novak@example.com"
INTENTION_KEPT = "I want to stay with the tightness in my chest instead of fighting it."
INTENTION_NEXT = "I would like to look at the argument with my sister, and go in curious."
LENA_REPLY = "Thank you. It helped to read this. The tightness was less this week."
MAYA_ANSWER = "I am glad. Let us start there next time."

# Shown on Maya's dashboard as urgent, so the demo shows how crisis language is raised.
CRISIS_EXAMPLE = (
    "Rough week. Some nights I think everyone would be better off without me. "
    "I did not act on it but I wanted my therapist to know."
)


def _key(*parts):
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _at(days_ago, hour, minute=0):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Command(BaseCommand):
    help = "Create (or refresh) demo administration sessions and journal entries."

    @transaction.atomic
    def handle(self, *args, **options):
        created = 0
        for email, (route, dose, session_days) in PLANS.items():
            patient = User.objects.filter(email=email).first()
            if patient is None:
                self.stderr.write(f"No demo patient {email}: run seed_demo first.")
                continue
            therapist = patient.care_team_memberships.select_related("therapist").first()
            therapist = therapist.therapist if therapist else None
            created += self._journal(patient, therapist, route, dose, session_days)
            if email == LOOP_PATIENT:
                created += self._integration_loop(patient, therapist)
        self.stdout.write(self.style.SUCCESS(f"Demo journal is ready ({created} new rows)."))

    def _journal(self, patient, therapist, route, dose, session_days):
        rng = random.Random(patient.email)
        created = 0
        sessions = []
        for number, days_ago in enumerate(session_days):
            session, is_new = AdministrationSession.objects.update_or_create(
                public_id=_key(patient.email, "session", number),
                defaults={
                    "patient": patient,
                    "recorded_by": therapist,
                    "occurred_at": _at(days_ago, 10),
                    "route": route,
                    "dose_mg": dose,
                    "notes": "Steady throughout. Eyeshades and music." if number % 2 else "",
                },
            )
            sessions.append((days_ago, session))
            created += is_new

        # Mood drifts up and anxiety down over the weeks, with everyday noise.
        plan = []
        for index, (days_ago, session) in enumerate(sessions):
            if days_ago <= 2:
                continue  # the latest session waits for the patient's reflection
            plan.append((days_ago - 1, session, REFLECTIONS[index % len(REFLECTIONS)]))
            plan.append((days_ago - 4, None, BETWEEN[index % len(BETWEEN)]))
        plan.sort(key=lambda item: -item[0])
        total = len(plan)
        for index, (days_ago, session, text) in enumerate(plan):
            if days_ago < 0:
                continue
            progress = index / max(total - 1, 1)
            mood = max(0, min(10, round(4 + 3 * progress + rng.uniform(-1.5, 1.5))))
            anxiety = max(0, min(10, round(7 - 3.5 * progress + rng.uniform(-1.5, 1.5))))
            shared = rng.random() < 0.75
            is_recent = days_ago <= 7
            entry, is_new = Entry.objects.update_or_create(
                public_id=_key(patient.email, "entry", index),
                defaults={
                    "patient": patient,
                    "session": session,
                    "body": text,
                    **(PROMPTS if session and index % 2 == 0 else {}),
                    "mood": mood,
                    "anxiety": anxiety,
                    "experiences": self._experiences(rng) if session else [],
                    "is_shared": shared,
                    "is_for_discussion": shared and is_recent and rng.random() < 0.7,
                    "created_at": _at(days_ago, 20),
                    "updated_at": _at(days_ago, 20, 30),
                    "submitted_at": _at(days_ago, 20, 30),
                    "reviewed_at": _at(days_ago - 1, 9) if shared and not is_recent else None,
                    "reviewed_by": therapist if shared and not is_recent else None,
                },
            )
            created += is_new
            if entry.reviewed_at and therapist:
                EntryRead.objects.get_or_create(
                    entry=entry, reader=therapist, defaults={"read_at": entry.reviewed_at}
                )
                if index % 3 == 0:
                    Comment.objects.update_or_create(
                        public_id=_key(patient.email, "comment", index),
                        defaults={
                            "entry": entry,
                            "author": therapist,
                            "body": COMMENTS[index % len(COMMENTS)],
                            "created_at": entry.reviewed_at,
                            "seen_by_patient_at": entry.reviewed_at + timedelta(hours=5),
                        },
                    )
        if patient.email == "lena.novak@example.com":
            _, is_new = Entry.objects.update_or_create(
                public_id=_key(patient.email, "entry", "crisis"),
                defaults={
                    "patient": patient,
                    "body": CRISIS_EXAMPLE,
                    "mood": 2,
                    "anxiety": 8,
                    "is_shared": True,
                    "created_at": _at(1, 22),
                    "updated_at": _at(1, 22),
                    "submitted_at": _at(1, 22),
                },
            )
            created += is_new
        return created

    def _integration_loop(self, patient, therapist):
        """An intention kept with the latest session, a pending one, and a reply thread.

        A kept intention never changes (PostgreSQL refuses), and a pending one the demo
        user has since taken into a real session is left as it is.
        """
        created = 0
        latest = AdministrationSession.objects.of(patient).newest_first().first()
        if latest is not None and not Intention.objects.filter(session=latest).exists():
            _, is_new = Intention.objects.get_or_create(
                public_id=_key(patient.email, "intention", "kept"),
                defaults={
                    "patient": patient,
                    "session": latest,
                    "body": INTENTION_KEPT,
                    "written_at": latest.occurred_at - timedelta(days=1),
                    "updated_at": latest.occurred_at - timedelta(days=1),
                },
            )
            created += is_new
        pending_key = _key(patient.email, "intention", "next")
        mine = Intention.objects.filter(public_id=pending_key).first()
        if mine is None and not Intention.objects.filter(patient=patient).pending().exists():
            Intention.objects.create(
                public_id=pending_key,
                patient=patient,
                body=INTENTION_NEXT,
                written_at=_at(1, 19),
                updated_at=_at(1, 19),
            )
            created += 1
        elif mine is not None and mine.is_pending:
            Intention.objects.filter(pk=mine.pk).update(
                written_at=_at(1, 19), updated_at=_at(1, 19)
            )

        comment = (
            Comment.objects.filter(entry__patient=patient, author_side=Side.CARE_TEAM)
            .exclude(public_id=_key(patient.email, "thread", "answer"))
            .order_by("-created_at")
            .first()
        )
        if comment is None or therapist is None:
            return created
        reply, is_new = Comment.objects.update_or_create(
            public_id=_key(patient.email, "thread", "reply"),
            defaults={
                "entry": comment.entry,
                "author": patient,
                "author_side": Side.PATIENT,
                "in_reply_to": comment,
                "body": LENA_REPLY,
                "created_at": comment.created_at + timedelta(hours=6),
                "seen_by_patient_at": comment.created_at + timedelta(hours=6),
                "read_by_care_team_at": comment.created_at + timedelta(hours=20),
            },
        )
        created += is_new
        _, is_new = Comment.objects.update_or_create(
            public_id=_key(patient.email, "thread", "answer"),
            defaults={
                "entry": comment.entry,
                "author": therapist,
                "author_side": Side.CARE_TEAM,
                "in_reply_to": reply,
                "body": MAYA_ANSWER,
                "created_at": comment.created_at + timedelta(hours=21),
                "seen_by_patient_at": None,
            },
        )
        return created + is_new

    def _experiences(self, rng):
        choices = [value for value in Experience.values if value != Experience.OTHER]
        return sorted(rng.sample(choices, rng.randint(0, 3)))

"""A whole clinic in the database, fast: therapists, patients, a year of sessions and entries,
intentions, signed consents, comments with the patients' replies, reads, and a year of
PHQ-9 and GAD-7 answers every two weeks.

Rows are made in memory and inserted with `bulk_create` in batches, which skips `save()`;
so everything `save()` and the services would derive is set here the same way
(`has_crisis_language`, `shared_at`, care-team memberships, sealed signatures), and every
database constraint holds. Signatures are sealed with `consent.seals`, so
`manage.py verify_records` passes on the seeded clinic.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import CareTeamMembership, Role, User
from bench import words
from consent import seals
from consent.models import Acknowledgement, Consent, ConsentVersion, QuizAttempt, Signature
from consent.services import signature_meaning
from journal import crisis
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
from measures.models import (
    Measure,
    MeasureAlert,
    MeasureResponse,
    MeasureSchedule,
    MeasureVersion,
    ScheduleMode,
)

EMAIL_DOMAIN = "bench.example"
# Everyone seeded shares this password (hashed once): the benchmark's database is
# throwaway, and a person trying the pages by hand can log in with it.
PASSWORD = "bench-clinic-password"  # noqa: S105
BATCH = 2_000
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Sizes:
    therapists: int = 50
    patients_per_therapist: int = 40
    entries_per_patient: int = 100
    sessions_per_patient: int = 10
    drafts_share: float = 0.2  # patients with an unfinished draft
    shared_share: float = 0.45  # entries shared with the care team
    comment_share: float = 0.25  # shared entries the therapist commented on
    crisis_share: float = 0.002  # entries with crisis language in them
    reply_share: float = 0.3  # care team comments the patient answered
    intention_share: float = 0.6  # sessions the patient wrote an intention for
    measures: tuple = ("phq9", "gad7")  # answered every `measure_days` all year
    measure_days: int = 14

    @property
    def patients(self):
        return self.therapists * self.patients_per_therapist


def therapist_email(number):
    return f"therapist-{number:03d}@{EMAIL_DOMAIN}"


def patient_email(number):
    return f"patient-{number:04d}@{EMAIL_DOMAIN}"


# The two people the benchmark logs in as: the first therapist, and her first patient.
BENCH_THERAPIST_EMAIL = therapist_email(1)
BENCH_PATIENT_EMAIL = patient_email(1)


def is_seeded():
    return User.objects.filter(email=BENCH_THERAPIST_EMAIL).exists()


def seed(sizes, *, seed_value=12, say=print):
    """Fill the database with a clinic of `sizes`. Deterministic for one seed value."""
    rng = random.Random(seed_value)  # noqa: S311 (test data, not secrets)
    now = timezone.now()
    version = ConsentVersion.objects.current()
    if version is None:
        raise RuntimeError("No published consent version: run migrate first.")
    with transaction.atomic():
        therapists = _therapists(sizes, rng)
        say(f"{len(therapists)} therapists")
        patients = _patients(sizes, rng, therapists)
        say(f"{len(patients)} patients in care")
        sessions = _sessions(sizes, rng, now, patients)
        say(f"{sum(len(s) for s in sessions.values())} administration sessions")
        entry_count = _entries(sizes, rng, now, patients, sessions)
        say(f"{entry_count} journal entries, with drafts, comments and reads")
        intentions = _intentions(sizes, rng, now, patients, sessions)
        say(f"{intentions} intentions")
        signed = _signed_consents(rng, now, version, patients)
        say(f"{signed} signed consents, sealed")
        answered = _measures(sizes, rng, now, patients)
        say(f"{answered} questionnaire answers ({', '.join(sizes.measures)}), with alerts")
    # Fresh statistics, as autovacuum would gather soon after: the planner's choices
    # (and the EXPLAIN in the report) are then those of a clinic that has run a while.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- People ---------------------------------------------------------------------------


def _name(rng):
    return rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)


def _therapists(sizes, rng):
    password = make_password(PASSWORD)
    therapists = [
        User(
            email=therapist_email(number),
            first_name=first,
            last_name=last,
            role=Role.THERAPIST,
            password=password,
        )
        for number, (first, last) in ((n, _name(rng)) for n in range(1, sizes.therapists + 1))
    ]
    User.objects.bulk_create(therapists, batch_size=BATCH)
    # Staff must use two-factor: each has an authenticator, as after setting one up.
    for therapist in therapists:
        TOTP.activate(therapist, generate_totp_secret())
    return therapists


def _patients(sizes, rng, therapists):
    """Patients with the therapist who cares for them: [(patient, therapist)]."""
    password = make_password(PASSWORD)
    pairs = []
    number = 0
    for therapist in therapists:
        for _ in range(sizes.patients_per_therapist):
            number += 1
            first, last = _name(rng)
            patient = User(
                email=patient_email(number),
                first_name=first,
                last_name=last,
                role=Role.PATIENT,
                password=password,
            )
            pairs.append((patient, therapist))
    User.objects.bulk_create([patient for patient, _ in pairs], batch_size=BATCH)
    CareTeamMembership.objects.bulk_create(
        [CareTeamMembership(patient=p, therapist=t) for p, t in pairs], batch_size=BATCH
    )
    return pairs


# --- The journal ----------------------------------------------------------------------


def _sessions(sizes, rng, now, patients):
    """Sessions spread over the past year, the latest a few days ago: {patient pk: [..]}."""
    by_patient = {}
    rows = []
    count = sizes.sessions_per_patient
    for patient, therapist in patients:
        spacing = YEAR / max(count, 1)
        own = []
        for index in range(count):
            occurred_at = (
                now
                - YEAR
                + spacing * index
                + timedelta(days=rng.uniform(0, spacing.days * 0.8), hours=rng.randint(9, 16))
            )
            occurred_at = min(occurred_at, now - timedelta(days=rng.uniform(1, 5)))
            own.append(
                AdministrationSession(
                    patient=patient,
                    recorded_by=therapist,
                    occurred_at=occurred_at,
                    route=rng.choice(Route.values),
                    dose_mg=Decimal(rng.choice(("35.0", "50.0", "70.0", "100.0", "0.5")))
                    if rng.random() < 0.8
                    else None,
                    notes=rng.choice(words.SESSION_NOTES),
                    created_at=occurred_at + timedelta(hours=2),
                )
            )
        by_patient[patient.pk] = sorted(own, key=lambda s: s.occurred_at)
        rows += own
    AdministrationSession.objects.bulk_create(rows, batch_size=BATCH)
    return by_patient


def _text(rng, sizes):
    sentences = [rng.choice(words.OPENINGS)]
    sentences += rng.sample(words.MIDDLES, rng.randint(1, 4))
    if rng.random() < sizes.crisis_share:
        sentences.append(rng.choice(words.CRISIS_SENTENCES))
    sentences.append(rng.choice(words.CLOSINGS))
    return " ".join(sentences)


def _maybe(rng, choices, chance):
    return rng.choice(choices) if rng.random() < chance else ""


def _entry(rng, sizes, now, patient, therapist, sessions, submitted_at):
    """One submitted entry, as `journal.services.submit_entry` would have stored it."""
    about = [s for s in sessions if s.occurred_at <= submitted_at]
    session = (
        about[-1] if about and submitted_at - about[-1].occurred_at < timedelta(days=10) else None
    )
    mood = rng.randint(0, 10) if rng.random() < 0.9 else None
    anxiety = (
        max(0, min(10, 10 - (mood or 5) + rng.randint(-3, 3))) if rng.random() < 0.85 else None
    )
    is_shared = rng.random() < sizes.shared_share
    recent = now - submitted_at < timedelta(days=30)
    reviewed = is_shared and not recent and rng.random() < 0.8
    entry = Entry(
        patient=patient,
        session=session,
        body=_text(rng, sizes),
        stood_out=_maybe(rng, words.STOOD_OUT, 0.4),
        emotions=_maybe(rng, words.EMOTIONS, 0.5),
        body_sensations=_maybe(rng, words.BODY_SENSATIONS, 0.3),
        insights=_maybe(rng, words.INSIGHTS, 0.3),
        intention=_maybe(rng, words.INTENTIONS, 0.3),
        mood=mood,
        anxiety=anxiety,
        experiences=rng.sample(Experience.values[:-1], rng.randint(0, 3)) if session else [],
        is_shared=is_shared,
        is_for_discussion=is_shared and rng.random() < 0.15,
        created_at=submitted_at - timedelta(minutes=rng.randint(3, 90)),
        updated_at=submitted_at,
        submitted_at=submitted_at,
        shared_at=submitted_at if is_shared else None,
        reviewed_at=submitted_at + timedelta(days=rng.uniform(0.5, 4)) if reviewed else None,
        reviewed_by=therapist if reviewed else None,
    )
    if entry.is_for_discussion and not recent:
        entry.discussed_at = submitted_at + timedelta(days=rng.uniform(3, 14))
    entry.has_crisis_language = crisis.has_crisis_language(entry.all_text())
    return entry


def _entries(sizes, rng, now, patients, sessions):
    count = 0
    for start in range(0, len(patients), max(1, BATCH // max(sizes.entries_per_patient, 1))):
        chunk = patients[start : start + max(1, BATCH // max(sizes.entries_per_patient, 1))]
        entries, drafts = [], []
        for patient, therapist in chunk:
            times = sorted(
                now - timedelta(seconds=rng.uniform(3600, YEAR.total_seconds()))
                for _ in range(sizes.entries_per_patient)
            )
            own_sessions = sessions[patient.pk]
            entries += [_entry(rng, sizes, now, patient, therapist, own_sessions, t) for t in times]
            if rng.random() < sizes.drafts_share:
                started = now - timedelta(hours=rng.uniform(1, 72))
                drafts.append(
                    Entry(
                        patient=patient,
                        session=own_sessions[-1] if own_sessions else None,
                        body=rng.choice(words.OPENINGS),
                        mood=rng.randint(0, 10),
                        created_at=started,
                        updated_at=started + timedelta(minutes=rng.randint(1, 20)),
                    )
                )
        Entry.objects.bulk_create(entries + drafts, batch_size=BATCH)
        _comments_and_reads(rng, sizes, entries, dict(chunk))
        count += len(entries)
    return count


def _comments_and_reads(rng, sizes, entries, therapist_of):
    """The care team read what was shared (and reviewed), and answered some of it."""
    comments, reads = [], []
    for entry in entries:
        if not entry.is_shared:
            continue
        therapist = therapist_of[entry.patient]
        if entry.reviewed_at:
            reads.append(EntryRead(entry=entry, reader=therapist, read_at=entry.reviewed_at))
        elif rng.random() < 0.3:
            read_at = entry.submitted_at + timedelta(hours=rng.uniform(1, 48))
            reads.append(EntryRead(entry=entry, reader=therapist, read_at=read_at))
        if entry.reviewed_at and rng.random() < sizes.comment_share:
            created_at = entry.reviewed_at + timedelta(minutes=rng.randint(1, 30))
            comments.append(
                Comment(
                    entry=entry,
                    author=therapist,
                    body=rng.choice(words.COMMENTS),
                    created_at=created_at,
                    # Most were seen long ago; the latest few are still new to the patient.
                    seen_by_patient_at=created_at + timedelta(hours=rng.uniform(1, 30))
                    if rng.random() < 0.9
                    else None,
                )
            )
    Comment.objects.bulk_create(comments, batch_size=BATCH)
    EntryRead.objects.bulk_create(reads, batch_size=BATCH)
    Comment.objects.bulk_create(_replies(rng, sizes, comments), batch_size=BATCH)


def _replies(rng, sizes, comments):
    """The patient answered some comments; the care team read nearly every answer."""
    replies = []
    for comment in comments:
        if rng.random() >= sizes.reply_share or comment.seen_by_patient_at is None:
            continue
        created_at = comment.seen_by_patient_at + timedelta(minutes=rng.randint(2, 600))
        replies.append(
            Comment(
                entry=comment.entry,
                author=comment.entry.patient,
                author_side=Side.PATIENT,
                in_reply_to=comment,
                body=rng.choice(words.REPLIES),
                created_at=created_at,
                seen_by_patient_at=created_at,
                read_by_care_team_at=created_at + timedelta(hours=rng.uniform(2, 72))
                if rng.random() < 0.95
                else None,
            )
        )
    return replies


def _intentions(sizes, rng, now, patients, sessions):
    """What patients wanted to bring to their sessions, and to the next one for some."""
    rows = []
    for patient, _ in patients:
        for session in sessions[patient.pk]:
            if rng.random() < sizes.intention_share:
                written_at = session.occurred_at - timedelta(days=rng.uniform(0.5, 3))
                rows.append(_intention(rng, patient, written_at, session=session))
        if rng.random() < 0.5:
            rows.append(_intention(rng, patient, now - timedelta(days=rng.uniform(0.2, 5))))
    Intention.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _intention(rng, patient, written_at, session=None):
    return Intention(
        patient=patient,
        session=session,
        body=rng.choice(words.INTENTIONS),
        is_shared=rng.random() < 0.85,
        written_at=written_at,
        updated_at=written_at,
    )


# --- Questionnaires -------------------------------------------------------------------


def _measures(sizes, rng, now, patients):
    """Each patient answered the scheduled questionnaires every `measure_days` for a year,
    feeling a little better over time, as the care team set up; the rare PHQ-9 item 9
    answer raised an alert, acknowledged unless recent."""
    measures = {m.code: m for m in Measure.objects.filter(code__in=sizes.measures)}
    versions = {code: MeasureVersion.objects.current_for(m) for code, m in measures.items()}
    schedules, responses, alerts = [], [], []
    for patient, therapist in patients:
        severity = rng.uniform(0.3, 0.8)  # the share of the maximum answer, at the start
        for code in sizes.measures:
            version = versions[code]
            schedules.append(
                MeasureSchedule(
                    patient=patient,
                    measure=measures[code],
                    mode=ScheduleMode.EVERY_DAYS,
                    interval=sizes.measure_days,
                    set_by=therapist,
                    updated_at=now - YEAR,
                )
            )
            moment = now - YEAR + timedelta(days=rng.uniform(0, 3), hours=rng.randint(8, 20))
            due_key = f"{code}:baseline"
            top = max(version.values)
            # Items that alert the care team (PHQ-9 item 9) are rarely answered above 0.
            alerting = {rule["item"] for rule in version.alert_items}
            while moment < now:
                progress = (moment - (now - YEAR)) / YEAR
                level = severity * (1 - 0.5 * progress)
                answers = {
                    str(position): (
                        int(rng.random() < 0.01)
                        if position in alerting
                        else max(0, min(top, round(top * level + rng.uniform(-1, 1))))
                    )
                    for position in range(1, version.item_count + 1)
                }
                total = version.score(answers)
                response = MeasureResponse(
                    patient=patient,
                    measure=measures[code],
                    version=version,
                    answers=answers,
                    started_at=moment - timedelta(minutes=rng.randint(2, 8)),
                    updated_at=moment,
                    submitted_at=moment,
                    total_score=total,
                    band=version.band_for(total)["label"],
                    due_key=due_key,
                )
                responses.append(response)
                flagged = version.flagged_items(answers)
                if flagged:
                    recent = now - moment < timedelta(days=7)
                    alerts.append(
                        MeasureAlert(
                            response=response,
                            patient=patient,
                            items=flagged,
                            raised_at=moment,
                            acknowledged_at=None if recent else moment + timedelta(hours=20),
                            acknowledged_by=None if recent else therapist,
                        )
                    )
                due_key = f"{code}:after:{response.public_id}"
                moment += timedelta(days=sizes.measure_days, hours=rng.uniform(-20, 20))
    MeasureSchedule.objects.bulk_create(schedules, batch_size=BATCH)
    MeasureResponse.objects.bulk_create(responses, batch_size=BATCH)
    MeasureAlert.objects.bulk_create(alerts, batch_size=BATCH)
    return len(responses)


# --- Consent --------------------------------------------------------------------------


def _signed_consents(rng, now, version, patients):
    """Each patient read every section (answering its question), then signed, as the
    consent services record it: acknowledgements, answers, and a sealed signature."""
    sections = version.ordered_sections()
    signed_text = version.canonical_text(sections)
    fingerprint = version.fingerprint(sections)
    meaning = signature_meaning(version)
    consents = []
    for patient, _ in patients:
        started_at = now - YEAR - timedelta(days=rng.uniform(1, 30))
        consents.append(Consent(patient=patient, version=version, started_at=started_at))
    Consent.objects.bulk_create(consents, batch_size=BATCH)

    acknowledgements, attempts, signed_at = [], [], {}
    for consent in consents:
        moment = consent.started_at
        for section in sections:
            opened_at = moment
            if section.has_question:
                if rng.random() < 0.2:
                    wrong = next(
                        c for c, _ in section.numbered_choices if c != section.correct_choice
                    )
                    moment += timedelta(seconds=rng.randint(20, 90))
                    attempts.append(_attempt(consent, section, wrong, moment))
                moment += timedelta(seconds=rng.randint(20, 90))
                attempts.append(_attempt(consent, section, section.correct_choice, moment))
            moment += timedelta(seconds=rng.randint(30, 240))
            acknowledgements.append(
                Acknowledgement(
                    consent=consent, section=section, opened_at=opened_at, acknowledged_at=moment
                )
            )
        signed_at[consent.pk] = moment + timedelta(seconds=rng.randint(20, 120))
    Acknowledgement.objects.bulk_create(acknowledgements, batch_size=BATCH)
    QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)

    signatures = []
    for consent in consents:
        patient = consent.patient
        signature = Signature(
            consent=consent,
            typed_name=patient.get_full_name(),
            signer_email=patient.email,
            meaning=meaning,
            signed_text=signed_text,
            fingerprint=fingerprint,
            signed_at=signed_at[consent.pk],
            ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148",
            identity_confirmed_by=Signature.ConfirmedBy.PASSWORD,
            identity_confirmed_at=signed_at[consent.pk],
        )
        # The real seal, over the acknowledgements and answers just stored.
        seals.seal(signature, sealed_when=Signature.SealedWhen.AT_SIGNING)
        signatures.append(signature)
    Signature.objects.bulk_create(signatures, batch_size=BATCH)
    return len(signatures)


def _attempt(consent, section, choice, answered_at):
    return QuizAttempt(
        consent=consent,
        section=section,
        choice=choice,
        is_correct=section.is_right_answer(choice),
        answered_at=answered_at,
    )

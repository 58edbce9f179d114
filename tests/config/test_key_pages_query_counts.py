"""Every key page costs the same number of queries for a new patient and for one with a
long journal: what the benchmark (docs/benchmark.md) measures stays true as data grows.

Each test loads the page once in a small world, grows the world (entries with comments,
reads and edits, sessions, drafts, more patients in the therapist's care), and loads it
again: the count must not move. The counts themselves are pinned too, so a new query on
a key page is a decision someone makes on purpose.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from consent import services as consent_services
from journal.models import Entry
from tests.factories.accounts import PatientFactory
from tests.factories.journal import (
    AdministrationSessionFactory,
    CommentFactory,
    EntryFactory,
    EntryReadFactory,
    IntentionFactory,
    ReplyFactory,
)
from tests.factories.measures import answered, schedule


def grow_journal(patient, therapist, *, entries=45, sessions=12):
    """Months of a patient's journal: more than two pages of entries, most shared."""
    now = timezone.now()
    for n in range(sessions):
        session = AdministrationSessionFactory(
            patient=patient, recorded_by=therapist, occurred_at=now - timedelta(days=7 * n + 1)
        )
        IntentionFactory(
            patient=patient, session=session, written_at=session.occurred_at - timedelta(days=1)
        )
    IntentionFactory(patient=patient)
    for n in range(entries):
        entry = EntryFactory(
            patient=patient,
            is_shared=n % 4 != 0,
            submitted_at=now - timedelta(days=n, hours=1),
            mood=n % 11,
            anxiety=(n * 3) % 11,
        )
        if entry.is_shared and n % 3 == 0:
            comment = CommentFactory(entry=entry, author=therapist)
            EntryReadFactory(entry=entry, reader=therapist)
            if n % 2 == 0:
                ReplyFactory(in_reply_to=comment)
    EntryFactory(patient=patient, draft=True)
    EntryFactory(patient=patient, draft=True)
    # Months of questionnaires, one alert acknowledged and a draft.
    for n in range(0, 60, 7):
        answered(patient, "phq9", [n % 4] * 9, submitted_at=now - timedelta(days=n, hours=2))
        answered(patient, "gad7", [1] * 7, submitted_at=now - timedelta(days=n, hours=3))
    answered(patient, "pcl5", [1, 2, 3], draft=True)


def grow_caseload(therapist, *, patients=30):
    for _ in range(patients):
        person = PatientFactory(care_team=[therapist])
        EntryFactory(patient=person, shared=True)


def queries_for(client, url, django_assert_num_queries, expected, audit_writes):
    client.get(url)  # warm the session and the per-process caches
    if connection.vendor == "postgresql":
        # Each write to the audit chain takes the chain's advisory lock instead of a
        # savepoint and its release (audit.services): one query fewer.
        expected -= audit_writes
    with django_assert_num_queries(expected) as counted:
        response = client.get(url)
    assert response.status_code == 200
    return len(counted.captured_queries)


# (who is logged in, the page, queries in a small world, writes it makes to the audit
# chain). The same count must hold after the world grows.
KEY_PAGES = [
    # 11: the journal card reads the intention the patient wrote for their next session,
    # and one query finds the measures due (measures.selectors.due_measures). The consent
    # status reads the consents with their signature, withdrawal and version in one query,
    # and counts the progress once though the card shows done and total (was 15).
    ("patient", lambda ctx: reverse("care:patient_home"), 11, 0),
    # 6: one query reads the consents with their signatures, the unfinished one is found
    # among them, and its acknowledgements are read once for the progress and where to
    # resume (was 10).
    ("patient", lambda ctx: reverse("consent:overview"), 6, 0),
    # 13: the step reads the version's sections once (the section shown is among them),
    # the acknowledgements once for its own and the next section, and the last signed
    # consent with its version alone (was 16).
    ("patient", lambda ctx: reverse("consent:step", args=[1]), 13, 0),
    # 7: the invitation to reflect reads the latest session with whether it was written
    # about, beside the drafts the page reads anyway (journal.selectors.timeline).
    ("patient", lambda ctx: reverse("journal:timeline"), 7, 0),
    ("patient", lambda ctx: reverse("journal:timeline") + "?chart=all", 7, 0),
    # 8: the entry is about a session, and shows what the patient wrote before it.
    ("patient", lambda ctx: reverse("journal:entry_detail", args=[ctx["entry"].public_id]), 8, 0),
    ("patient", lambda ctx: reverse("api:journal_entries"), 2, 0),
    # +1: open questionnaire alerts above the list (measures.selectors.open_alerts).
    ("therapist", lambda ctx: reverse("care:roster"), 8, 0),
    # The patient without the roster row's extra figures (nor an invitation: they joined);
    # +1 for the intention the patient shared for their next session; +4 for the measures
    # summary (measures, answers, schedules, alerts: four plain queries cost less to build
    # than one of subqueries).
    # Its three audit events (entries, consent record, measures) go into the chain in one
    # write: a savepoint, the chain's end, one insert, the release.
    ("therapist", lambda ctx: reverse("care:patient", args=[ctx["patient"].public_id]), 25, 1),
    ("therapist", lambda ctx: reverse("api:patients"), 6, 0),
    (
        "therapist",
        lambda ctx: reverse("api:patient_entries", args=[ctx["patient"].public_id]),
        7,
        1,
    ),
]


@pytest.mark.parametrize(("who", "page", "expected", "audit_writes"), KEY_PAGES)
def test_a_key_page_costs_the_same_queries_for_a_short_journal_or_a_long_one(
    client_for,
    patient,
    therapist,
    consent_version,
    django_assert_num_queries,
    who,
    page,
    expected,
    audit_writes,
):
    # A new patient: consent begun, one session, one shared entry about it.
    consent_services.start_consent(patient=patient)
    session = AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, occurred_at=timezone.now() - timedelta(days=2)
    )
    entry = EntryFactory(patient=patient, session=session, shared=True)
    # A measure on a schedule, answered once (the baseline).
    schedule(patient, "phq9", by=therapist)
    answered(patient, "phq9", [1] * 9, submitted_at=timezone.now() - timedelta(days=3))
    context = {"patient": patient, "entry": entry}
    client = client_for(patient if who == "patient" else therapist)

    small = queries_for(client, page(context), django_assert_num_queries, expected, audit_writes)

    grow_journal(patient, therapist)
    grow_caseload(therapist)
    assert Entry.objects.filter(patient=patient).count() > 40

    large = queries_for(client, page(context), django_assert_num_queries, expected, audit_writes)
    assert small == large


def test_the_login_page_asks_the_database_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("account_login"))
    assert response.status_code == 200

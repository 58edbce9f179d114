"""The therapist's roster: what needs attention first, in a fixed number of queries."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CareTeamMembership
from journal.models import Entry
from tests.care.helpers import roster_patients
from tests.factories.accounts import PatientFactory
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


def test_patients_needing_attention_come_first(client_for, therapist):
    quiet = PatientFactory(first_name="Quiet", last_name="Able", care_team=[therapist])
    EntryFactory(patient=quiet, reviewed=True)
    waiting = PatientFactory(first_name="Waiting", last_name="Baker", care_team=[therapist])
    EntryFactory(patient=waiting, shared=True)
    urgent = PatientFactory(first_name="Urgent", last_name="Cole", care_team=[therapist])
    EntryFactory(patient=urgent, shared=True, body="I keep thinking about suicide.")
    private = PatientFactory(first_name="Private", last_name="Dunn", care_team=[therapist])
    EntryFactory(patient=private, body="I keep thinking about suicide.")

    response = client_for(therapist).get(reverse("care:roster"))
    rows = roster_patients(response)
    assert [p.first_name for p in rows] == ["Urgent", "Waiting", "Quiet", "Private"]
    assert (rows[0].urgent_count, rows[0].awaiting_review_count) == (1, 1)
    assert (rows[2].awaiting_review_count, rows[2].last_entry_at is not None) == (0, True)
    # A private entry leaves no trace: not urgent, not even a "last entry".
    assert (rows[3].urgent_count, rows[3].last_entry_at) == (0, None)


def test_the_dashboard_counts_discussion_and_shows_the_last_session(
    client_for, therapist, patient, session
):
    EntryFactory(patient=patient, for_discussion=True)
    EntryFactory(patient=patient, for_discussion=True, reviewed=True)
    page = client_for(therapist).get(reverse("care:roster"))
    row = roster_patients(page)[0]
    assert (row.for_discussion_count, row.awaiting_review_count) == (2, 1)
    assert row.last_session_at == session.occurred_at
    text = page.content.decode()
    assert "2 for discussion" in text and "1 to review" in text
    assert reverse("journal:agenda", args=[patient.public_id]) in text


def test_the_dashboard_shows_only_the_therapists_own_patients(
    client_for, therapist, patient, other_patient
):
    page = client_for(therapist).get(reverse("care:roster")).content.decode()
    assert "Sam Rivera" in page and "Grace Kim" not in page


def _fill(therapist, patients, entries):
    rng = random.Random(7)
    people = [PatientFactory.build(care_team=None) for _ in range(patients)]
    for person in people:
        person.password = "!"  # hashing 50 passwords would only slow the test
    from accounts.models import User

    User.objects.bulk_create(people)
    people = list(User.objects.filter(email__in=[p.email for p in people]))
    CareTeamMembership.objects.bulk_create(
        CareTeamMembership(patient=p, therapist=therapist) for p in people
    )
    now = timezone.now()
    Entry.objects.bulk_create(
        Entry(
            patient=rng.choice(people),
            body="An ordinary day.",
            submitted_at=now,
            is_shared=rng.random() < 0.6,
            is_for_discussion=False,
            mood=rng.randint(0, 10),
        )
        for _ in range(entries)
    )
    for person in people[:5]:
        AdministrationSessionFactory(patient=person, recorded_by=therapist)


@pytest.mark.parametrize(("patients", "entries"), [(5, 20), (50, 1000), (120, 2000)])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client_for, therapist, django_assert_num_queries, patients, entries
):
    _fill(therapist, patients, entries)
    client = client_for(therapist)
    client.get(reverse("care:roster"))  # warm the session
    # The user (the session is in the cache), the patients, every figure of every row
    # (care.selectors._caseload_figures), the consent records and pending invitations of
    # the rows on the page, the current consent version, the urgent entries, the open
    # questionnaire alerts.
    with django_assert_num_queries(8):
        response = client.get(reverse("care:roster"))
    assert len(roster_patients(response)) == min(patients, 50)


def test_a_large_caseload_comes_fifty_at_a_time_attention_first(client_for, therapist):
    _fill(therapist, 52, 0)
    urgent = PatientFactory(care_team=[therapist], last_name="Zed")
    EntryFactory(patient=urgent, shared=True, body="I keep thinking about suicide.")
    client = client_for(therapist)

    first = client.get(reverse("care:roster"))
    assert roster_patients(first)[0] == urgent
    assert len(roster_patients(first)) == 50
    assert "Patients 1 to 50 of 53" in first.content.decode()
    assert "?page=2" in first.content.decode()

    second = client.get(reverse("care:roster"), {"page": 2})
    assert len(roster_patients(second)) == 3
    # A page past the end, or not a number, shows a real page rather than an error.
    assert client.get(reverse("care:roster"), {"page": 99}).status_code == 200
    assert client.get(reverse("care:roster"), {"page": "x"}).status_code == 200

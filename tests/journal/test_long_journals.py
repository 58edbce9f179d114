"""A journal a year long: pages of 20, "Older entries", a chart over a window of time.

The timeline, the therapist's view of it and every API list come a page at a time, each
page starting where the last one ended (common/keyset.py, common/rest.py), so a
patient's hundredth entry costs what their first did.
"""

import base64
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from common.keyset import decode_cursor, encode_cursor
from tests.factories.journal import AdministrationSessionFactory, EntryFactory

TIMELINE = reverse("journal:timeline")


@pytest.fixture
def year_of_entries(patient, therapist):
    """45 submitted entries a day apart (all shared), and 3 sessions nobody wrote about."""
    now = timezone.now()
    entries = [
        EntryFactory(
            patient=patient,
            is_shared=True,
            body=f"Entry number {n}",
            submitted_at=now - timedelta(days=n * 8, hours=1),
            mood=n % 11,
        )
        for n in range(45)
    ]
    sessions = [
        AdministrationSessionFactory(
            patient=patient, recorded_by=therapist, occurred_at=now - timedelta(days=days)
        )
        for days in (3, 150, 400)
    ]
    return entries, sessions


def _entries_on(response):
    return [entry for group in response.context["groups"] for entry in group.entries]


def _sessions_on(response):
    return [group.session for group in response.context["groups"] if group.session]


def _walk(client, url):
    """Follow "Older entries" from the first page to the last, as a reader would."""
    pages = [client.get(url)]
    while pages[-1].context["page"].has_older:
        older = pages[-1].context["older_url"]
        assert "before=" in older
        pages.append(client.get(older))
    return pages


def test_sam_reads_his_journal_twenty_entries_at_a_time_and_misses_none(
    client_for, patient, year_of_entries
):
    entries, sessions = year_of_entries
    pages = _walk(client_for(patient), TIMELINE)

    assert [len(_entries_on(page)) for page in pages] == [20, 20, 5]
    shown = [entry for page in pages for entry in _entries_on(page)]
    # Newest first, each entry exactly once, however the pages fall.
    assert [e.pk for e in shown] == [e.pk for e in entries]
    # A session nobody wrote about appears once, on the page its date falls in.
    empty_sessions = [s for page in pages for s in _sessions_on(page)]
    assert sorted(s.pk for s in empty_sessions) == sorted(s.pk for s in sessions)
    assert "Older entries" in pages[0].content.decode()
    assert "Older entries" not in pages[-1].content.decode()
    assert "Back to your newest entries" in pages[1].content.decode()


def test_older_entries_through_htmx_is_only_the_next_page(client_for, patient, year_of_entries):
    client = client_for(patient)
    first = client.get(TIMELINE)
    older = client.get(first.context["older_url"], headers={"HX-Request": "true"})

    body = older.content.decode()
    assert older.status_code == 200
    assert "<html" not in body and "Your journal" not in body
    assert "Entry number 20" in body and "Entry number 19" not in body
    assert 'id="older-entries"' in body  # the link to the page after, for the next swap
    assert "HX-Request" in older["Vary"]


def test_older_entries_through_htmx_reads_only_the_next_page(
    client_for, patient, year_of_entries, django_assert_num_queries
):
    client = client_for(patient)
    older_url = client.get(TIMELINE).context["older_url"]
    # The user, then the page, its drafts and its sessions: neither the chart nor the
    # invitation to reflect, which stay above the list.
    with django_assert_num_queries(4):
        older = client.get(older_url, headers={"HX-Request": "true"})
    assert "Entry number 20" in older.content.decode()


@pytest.mark.parametrize("cursor", ["garbage", "", "x" * 500, encode_cursor(timezone.now(), "")])
def test_a_changed_or_broken_page_link_shows_the_first_page(
    client_for, patient, year_of_entries, cursor
):
    response = client_for(patient).get(TIMELINE, {"before": cursor})
    assert response.status_code == 200
    assert _entries_on(response)[0].body == "Entry number 0"


def test_a_cursor_holds_a_moment_and_a_public_id_never_a_row_number(patient, year_of_entries):
    entries, _ = year_of_entries
    cursor = encode_cursor(entries[3].submitted_at, entries[3].public_id)
    position = decode_cursor(cursor)
    assert (position.moment, position.key) == (entries[3].submitted_at, entries[3].public_id)
    assert decode_cursor("not a cursor") is None


def test_the_chart_shows_ninety_days_unless_sam_asks_for_more(client_for, patient, year_of_entries):
    client = client_for(patient)
    # Entries are 8 days apart: 12 fall in the last 90 days, all 45 in the last year.
    ninety = client.get(TIMELINE)
    assert len(ninety.context["chart"].rows) == 12
    assert "the last 90 days" in ninety.content.decode()
    assert len(client.get(TIMELINE, {"chart": "365"}).context["chart"].rows) == 45
    assert len(client.get(TIMELINE, {"chart": "all"}).context["chart"].rows) == 45
    # Anything else is the default, not an error.
    assert len(client.get(TIMELINE, {"chart": "9999"}).context["chart"].rows) == 12


# --- The therapist's view of the same journal ----------------------------------------------


def _patient_page(patient):
    return reverse("care:patient", args=[patient.public_id])


def test_maya_pages_through_sams_shared_entries_and_each_page_is_on_his_trail(
    client_for, patient, therapist, year_of_entries
):
    entries, _ = year_of_entries
    private = EntryFactory(patient=patient, body="Only mine", submitted_at=timezone.now())
    client = client_for(therapist)

    pages = _walk(client, _patient_page(patient))

    shown = [entry for page in pages for entry in _entries_on(page)]
    assert [e.pk for e in shown] == [e.pk for e in entries]
    assert private.pk not in {e.pk for e in shown}
    listed = AuditEvent.objects.filter(kind=Kind.ENTRIES_LISTED, patient=patient)
    assert sorted(event.detail["count"] for event in listed) == [5, 20, 20]


def test_older_entries_on_the_patient_page_through_htmx_is_only_the_journal(
    client_for, patient, therapist, year_of_entries
):
    client = client_for(therapist)
    first = client.get(_patient_page(patient))
    older = client.get(first.context["older_url"], headers={"HX-Request": "true"})
    body = older.content.decode()
    assert older.status_code == 200
    assert "Entry number 20" in body
    assert 'id="consent"' not in body  # the consent record is not shown (nor recorded) again
    assert AuditEvent.objects.filter(kind=Kind.CONSENT_RECORD_VIEWED).count() <= 1


def test_another_therapist_cannot_page_through_sams_journal(
    client_for, patient, other_therapist, year_of_entries
):
    client = client_for(other_therapist)
    cursor = encode_cursor(timezone.now(), year_of_entries[0][0].public_id)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(_patient_page(patient), {"before": cursor}, headers=headers)
        assert response.status_code == 404
    assert not AuditEvent.objects.filter(actor=other_therapist, patient=patient).exists()


# --- The API: every list by cursor -----------------------------------------------------------


def _follow(client, url):
    seen = []
    while url:
        body = client.get(url).json()
        assert "count" not in body  # no COUNT(*) over the whole journal for each page
        seen.extend(body["results"])
        url = body["next"]
    return seen


def test_the_api_lists_every_entry_once_by_cursor(client_for, patient, year_of_entries):
    entries, _ = year_of_entries
    client = client_for(patient)
    listed = _follow(client, reverse("api:journal_entries") + "?page_size=7")
    # The API lists by when each entry was begun (drafts have no submission time yet).
    begun = sorted(entries, key=lambda e: (e.created_at, e.pk), reverse=True)
    assert [row["public_id"] for row in listed] == [str(e.public_id) for e in begun]


def test_a_cursor_survives_a_new_entry_written_meanwhile(client_for, patient, year_of_entries):
    client = client_for(patient)
    first = client.get(reverse("api:journal_entries")).json()
    EntryFactory(patient=patient, body="Written while Sam scrolled")
    second = client.get(first["next"]).json()
    # Nothing shifts: the second page starts right after the first page's last entry.
    assert second["results"][0]["public_id"] != first["results"][-1]["public_id"]
    assert "Written while Sam scrolled" not in str(second)


def test_a_forged_api_cursor_gets_a_kind_404(client_for, patient, year_of_entries):
    response = client_for(patient).get(reverse("api:journal_entries"), {"cursor": "forged"})
    assert response.status_code == 404
    assert "first page" in response.json()["message"]


def test_a_page_link_never_carries_a_row_number(client_for, patient, year_of_entries):
    nxt = client_for(patient).get(reverse("api:journal_entries")).json()["next"]
    cursor = parse_qs(urlparse(nxt).query)["cursor"][0]
    decoded = parse_qs(base64.b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    # The position is a moment; the integer key of a row never leaves the server.
    assert datetime.fromisoformat(decoded["p"][0])

"""Every time Maya sees Sam's words, the audit trail keeps who, which entry, when, from where.

Never the words themselves. Jonas, who does not care for Sam, gets a 404 everywhere and
leaves no trace about Sam. Sam reading his own journal is not a look.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from journal.models import EntryRead
from tests.factories.journal import EntryFactory

SAMS_WORDS = "The music felt like a wave."


def _looks(patient):
    return list(AuditEvent.objects.about(patient).looks_at_words().order_by("sequence"))


def _assert_no_words_in(events):
    for event in events:
        assert SAMS_WORDS not in str(event.detail)
        assert SAMS_WORDS not in event.object_id


# --- The web pages -------------------------------------------------------------------------


def test_opening_an_entry_records_an_entry_viewed_event_and_a_read(
    client_for, patient, therapist, shared_entry
):
    url = reverse("journal:entry_review", args=[shared_entry.public_id])
    response = client_for(therapist).get(url, HTTP_USER_AGENT="Maya's laptop")
    assert response.status_code == 200

    [event] = _looks(patient)
    assert event.kind == Kind.ENTRY_VIEWED
    assert (event.actor, event.patient) == (therapist, patient)
    assert event.actor_email == therapist.email
    assert (event.object_type, event.object_id) == ("journal.entry", str(shared_entry.public_id))
    assert event.ip_address == "127.0.0.1" and event.user_agent == "Maya's laptop"
    _assert_no_words_in([event])
    # The patient's "who has read it" line still counts the opening.
    assert EntryRead.objects.filter(entry=shared_entry, reader=therapist).count() == 1


def test_a_refused_comment_shows_the_page_again_and_that_counts_as_an_opening(
    client_for, patient, therapist, shared_entry, htmx
):
    url = reverse("journal:entry_comment", args=[shared_entry.public_id])
    client = client_for(therapist)
    # With htmx only the comments come back: no words of Sam's, nothing recorded.
    assert client.post(url, {"body": " "}, **htmx).status_code == 422
    assert _looks(patient) == []
    # Without JavaScript the whole page comes back, entry and all.
    page = client.post(url, {"body": " "})
    assert page.status_code == 422 and SAMS_WORDS in page.content.decode()
    assert [e.kind for e in _looks(patient)] == [Kind.ENTRY_VIEWED]


def test_opening_the_agenda_records_one_event_with_how_many_entries(client_for, patient, therapist):
    on_agenda = [
        EntryFactory(patient=patient, for_discussion=True, body=SAMS_WORDS) for _ in range(3)
    ]
    client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))

    [event] = _looks(patient)
    assert event.kind == Kind.AGENDA_VIEWED
    assert event.detail == {"count": 3}
    assert (event.actor, event.object_id) == (therapist, str(patient.public_id))
    # Each entry on it still counts as read, as before.
    assert EntryRead.objects.filter(entry__in=on_agenda).count() == 3


def test_an_empty_agenda_shows_no_words_and_records_nothing(client_for, patient, therapist):
    EntryFactory(patient=patient, shared=True)
    response = client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))
    assert response.status_code == 200
    assert _looks(patient) == []


def test_sams_own_reading_is_not_a_look(client_for, patient, shared_entry):
    client = client_for(patient)
    client.get(shared_entry.get_absolute_url())
    client.get(reverse("journal:timeline"))
    assert _looks(patient) == []


# --- The API -------------------------------------------------------------------------------


def test_the_api_records_each_reading_like_the_web(api_as, patient, therapist, shared_entry):
    client = api_as(therapist)
    EntryFactory(patient=patient, for_discussion=True)

    assert client.get(f"/api/v1/journal/entries/{shared_entry.public_id}/").status_code == 200
    listed = client.get(f"/api/v1/patients/{patient.public_id}/entries/")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 2
    assert client.get(f"/api/v1/patients/{patient.public_id}/agenda/").status_code == 200
    # Marking reviewed answers with the entry, words and all: an opening too.
    assert (
        client.post(f"/api/v1/journal/entries/{shared_entry.public_id}/review/").status_code == 200
    )

    events = _looks(patient)
    assert [(e.kind, e.detail) for e in events] == [
        (Kind.ENTRY_VIEWED, {}),
        (Kind.ENTRIES_LISTED, {"count": 2}),
        (Kind.AGENDA_VIEWED, {"count": 1}),
        (Kind.ENTRY_VIEWED, {}),
    ]
    assert all(e.actor == therapist and e.ip_address == "127.0.0.1" for e in events)
    assert events[0].object_id == str(shared_entry.public_id)
    _assert_no_words_in(events)


def test_an_empty_list_by_api_records_nothing(api_as, patient, therapist, private_entry):
    response = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/entries/")
    assert len(response.json()["results"]) == 0
    assert _looks(patient) == []


def test_sam_reading_his_own_entry_by_api_is_not_a_look(api_as, patient, shared_entry):
    api_as(patient).get(f"/api/v1/journal/entries/{shared_entry.public_id}/")
    assert _looks(patient) == []


# --- Jonas, who does not care for Sam ------------------------------------------------------


def test_jonas_gets_404_everywhere_and_leaves_no_trace_about_sam(
    client_for, api_as, patient, other_therapist, shared_entry
):
    EntryFactory(patient=patient, for_discussion=True)
    client = client_for(other_therapist)
    for url in (
        reverse("journal:entry_review", args=[shared_entry.public_id]),
        reverse("journal:agenda", args=[patient.public_id]),
        reverse("care:patient", args=[patient.public_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("journal:entry_comment", args=[shared_entry.public_id]), {"body": ""}
        ).status_code
        == 404
    )
    api = api_as(other_therapist)
    for url in (
        f"/api/v1/journal/entries/{shared_entry.public_id}/",
        f"/api/v1/patients/{patient.public_id}/entries/",
        f"/api/v1/patients/{patient.public_id}/agenda/",
    ):
        assert api.get(url).status_code == 404, url
    assert api.post(f"/api/v1/journal/entries/{shared_entry.public_id}/review/").status_code == 404

    assert not AuditEvent.objects.about(patient).filter(actor=other_therapist).exists()
    assert not EntryRead.objects.filter(reader=other_therapist).exists()


@pytest.mark.parametrize("role", ["patient", "clinic_admin"])
def test_nobody_else_opening_the_review_page_is_recorded(
    request, client_for, patient, shared_entry, role
):
    response = client_for(request.getfixturevalue(role)).get(
        reverse("journal:entry_review", args=[shared_entry.public_id])
    )
    assert response.status_code == 403
    assert _looks(patient) == []

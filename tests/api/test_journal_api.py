"""A native app writes, shares and reads journal entries; therapists review them by API."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import Comment, Entry, EntryRead
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


@pytest.fixture
def session(patient, therapist):
    return AdministrationSessionFactory(patient=patient, recorded_by=therapist)


@pytest.fixture
def shared_entry(patient, session):
    return EntryFactory(patient=patient, session=session, shared=True, body="Like a wave.")


@pytest.fixture
def private_entry(patient, session):
    return EntryFactory(patient=patient, session=session, body="Only for me.")


def test_patient_autosaves_a_draft_then_submits_it_once(api_as, patient, session):
    client = api_as(patient)
    key = uuid.uuid4()
    draft = client.put(
        f"/api/v1/journal/drafts/{key}/",
        {"body": "The first", "session": str(session.public_id), "mood": 6},
        format="json",
    )
    assert draft.status_code == 200
    assert draft.json()["state"] == "draft"
    client.put(f"/api/v1/journal/drafts/{key}/", {"body": "The first words"}, format="json")
    stored = Entry.objects.get(public_id=key)
    assert stored.body == "The first words" and stored.mood == 6 and stored.is_draft

    first = client.post(f"/api/v1/journal/drafts/{key}/submit/", {"is_shared": True}, format="json")
    second = client.post(f"/api/v1/journal/drafts/{key}/submit/", {}, format="json")
    assert first.status_code == second.status_code == 201
    assert first.json()["state"] == "submitted" and first.json()["is_shared"] is True
    assert Entry.objects.filter(patient=patient).count() == 1
    # An autosave that arrives late changes nothing.
    late = client.put(f"/api/v1/journal/drafts/{key}/", {"body": "late"}, format="json")
    assert late.json()["body"] == "The first words"


def test_an_empty_entry_cannot_be_submitted(api_as, patient):
    response = api_as(patient).post(
        f"/api/v1/journal/drafts/{uuid.uuid4()}/submit/", {}, format="json"
    )
    assert response.status_code == 400
    assert "nothing to save yet" in response.json()["message"]


def test_bad_input_gets_kind_field_errors(api_as, patient, other_patient):
    client = api_as(patient)
    key = uuid.uuid4()
    response = client.put(
        f"/api/v1/journal/drafts/{key}/",
        {"mood": "eleven", "experiences": ["flying"], "body": "x" * 20_001},
        format="json",
    )
    assert response.status_code == 400
    assert {"mood", "experiences", "body"} <= set(response.json()["errors"])
    foreign = AdministrationSessionFactory(patient=other_patient)
    response = client.put(
        f"/api/v1/journal/drafts/{key}/", {"session": str(foreign.public_id)}, format="json"
    )
    assert response.status_code == 400
    assert "session" in response.json()["errors"]


def test_discussion_needs_sharing(api_as, patient):
    response = api_as(patient).post(
        f"/api/v1/journal/drafts/{uuid.uuid4()}/submit/",
        {"body": "Hi", "is_shared": False, "is_for_discussion": True},
        format="json",
    )
    assert response.status_code == 400
    assert "is_for_discussion" in response.json()["errors"]


def test_crisis_words_bring_help_to_the_patient(api_as, patient):
    response = api_as(patient).post(
        f"/api/v1/journal/drafts/{uuid.uuid4()}/submit/",
        {"body": "Some days I want to kill myself."},
        format="json",
    )
    body = response.json()
    assert body["has_crisis_language"] is True
    assert "988" in body["crisis_help"]["lifeline"]


def test_html_is_kept_as_text(api_as, patient):
    key = uuid.uuid4()
    client = api_as(patient)
    client.post(
        f"/api/v1/journal/drafts/{key}/submit/",
        {"body": "<script>alert(1)</script>"},
        format="json",
    )
    assert (
        client.get(f"/api/v1/journal/entries/{key}/").json()["body"] == "<script>alert(1)</script>"
    )


def test_patient_lists_entries_by_session_and_date(api_as, patient, session, shared_entry):
    standalone = EntryFactory(patient=patient, body="Between sessions")
    client = api_as(patient)
    everything = client.get("/api/v1/journal/entries/").json()
    assert len(everything["results"]) == 2
    about = client.get(f"/api/v1/journal/entries/?session={session.public_id}").json()
    assert [e["public_id"] for e in about["results"]] == [str(shared_entry.public_id)]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert len(client.get(f"/api/v1/journal/entries/?since={tomorrow}").json()["results"]) == 0
    bad = client.get("/api/v1/journal/entries/?since=yesterday")
    assert bad.status_code == 400
    assert standalone.public_id


def test_patient_edits_an_entry_and_the_therapist_sees_when(
    api_as, patient, therapist, shared_entry
):
    response = api_as(patient).patch(
        f"/api/v1/journal/entries/{shared_entry.public_id}/",
        {"body": "Like a slow wave."},
        format="json",
    )
    assert response.status_code == 200
    seen = api_as(therapist).get(f"/api/v1/journal/entries/{shared_entry.public_id}/").json()
    assert seen["body"] == "Like a slow wave."
    assert seen["edited_at"] is not None


def test_patient_edits_twice_and_reads_the_earlier_versions_the_therapist_never_does(
    api_as, patient, therapist, other_patient, shared_entry
):
    url = f"/api/v1/journal/entries/{shared_entry.public_id}/"
    client = api_as(patient)
    client.patch(url, {"body": "Like a slow wave."}, format="json")
    client.patch(url, {"body": "Like a slow, warm wave.", "mood": 7}, format="json")

    versions = client.get(f"{url}revisions/")
    assert versions.status_code == 200
    results = versions.json()["results"]
    assert [v["body"] for v in results] == ["Like a slow wave.", "Like a wave."]
    assert results[0]["mood"] is None and results[0]["is_shared"] is True
    assert results[1]["replaced_at"] <= results[0]["replaced_at"]

    seen = api_as(therapist).get(url).json()
    assert seen["edit_count"] == 2 and seen["edited_at"] is not None
    listed = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/entries/").json()
    assert listed["results"][0]["edit_count"] == 2
    # Patients' endpoint: 403 for the care team; someone else's entry: 404.
    refused = api_as(therapist).get(f"{url}revisions/")
    assert refused.status_code == 403 and "Like a wave." not in refused.content.decode()
    assert api_as(other_patient).get(f"{url}revisions/").status_code == 404


def test_patient_shares_and_makes_private_again(api_as, patient, private_entry):
    client = api_as(patient)
    shared = client.post(f"/api/v1/journal/entries/{private_entry.public_id}/share/")
    assert shared.json()["is_shared"] is True
    private = client.patch(
        f"/api/v1/journal/entries/{private_entry.public_id}/", {"is_shared": False}, format="json"
    )
    assert private.json()["is_shared"] is False


def test_therapist_records_a_session_the_patient_then_sees(api_as, therapist, patient):
    response = api_as(therapist).post(
        f"/api/v1/patients/{patient.public_id}/sessions/",
        {
            "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
            "route": "lozenge",
            "dose_mg": "52.5",
        },
        format="json",
    )
    assert response.status_code == 201
    mine = api_as(patient).get("/api/v1/journal/sessions/").json()
    assert [s["route"] for s in mine["results"]] == ["lozenge"]


def test_a_session_in_the_future_is_refused(api_as, therapist, patient):
    response = api_as(therapist).post(
        f"/api/v1/patients/{patient.public_id}/sessions/",
        {"occurred_at": (timezone.now() + timedelta(days=2)).isoformat(), "route": "other"},
        format="json",
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()["errors"]


def test_therapist_reviews_comments_and_notes(api_as, therapist, patient, shared_entry):
    client = api_as(therapist)
    url = f"/api/v1/journal/entries/{shared_entry.public_id}"
    assert client.get(f"{url}/").status_code == 200
    assert EntryRead.objects.filter(entry=shared_entry, reader=therapist).count() == 1
    assert client.post(f"{url}/review/").json()["reviewed_at"] is not None
    assert client.post(f"{url}/comments/", {"body": "Thank you."}, format="json").status_code == 201
    assert client.post(f"{url}/notes/", {"body": "Watch sleep."}, format="json").status_code == 201

    as_patient = api_as(patient)
    comments = as_patient.get(f"{url}/comments/").json()
    assert [c["body"] for c in comments["results"]] == ["Thank you."]
    assert Comment.objects.get().seen_by_patient_at is not None
    readers = as_patient.get(f"{url}/readers/").json()
    assert readers["results"][0]["reader"] == "Maya Okafor"
    # The GET, and the review, whose answer carries the entry's words; not the comment
    # or the note.
    assert readers["results"][0]["times"] == 2
    # Clinical notes are the care team's: the patient is refused.
    assert as_patient.get(f"{url}/notes/").status_code == 403


def test_the_agenda_lists_entries_for_discussion_and_records_reads(
    api_as, therapist, patient, session
):
    on_agenda = EntryFactory(patient=patient, session=session, for_discussion=True)
    EntryFactory(patient=patient, shared=True)
    body = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/agenda/").json()
    assert [e["public_id"] for e in body["results"]] == [str(on_agenda.public_id)]
    assert EntryRead.objects.filter(entry=on_agenda, reader=therapist).exists()


def test_patient_list_carries_journal_counts(api_as, therapist, patient, shared_entry):
    body = api_as(therapist).get("/api/v1/patients/").json()
    assert body["results"][0]["journal"]["awaiting_review"] == 1


# --- Who may see what ------------------------------------------------------------------------


def test_therapist_never_sees_a_private_entry_or_a_draft(api_as, therapist, patient, private_entry):
    draft = EntryFactory(patient=patient, draft=True)
    client = api_as(therapist)
    listing = client.get(f"/api/v1/patients/{patient.public_id}/entries/").json()
    assert len(listing["results"]) == 0
    for entry in (private_entry, draft):
        assert client.get(f"/api/v1/journal/entries/{entry.public_id}/").status_code == 404
        assert client.post(f"/api/v1/journal/entries/{entry.public_id}/review/").status_code == 404


@pytest.mark.parametrize("role", ["other_patient", "other_therapist", "clinic_admin"])
def test_others_get_404_for_my_entry(request, api_as, shared_entry, role):
    client = api_as(request.getfixturevalue(role))
    url = f"/api/v1/journal/entries/{shared_entry.public_id}"
    assert client.get(f"{url}/").status_code == 404
    assert client.get(f"{url}/comments/").status_code == 404
    assert client.get(f"{url}/readers/").status_code == 404


def test_other_patient_cannot_take_over_my_draft_key(api_as, patient, other_patient):
    key = uuid.uuid4()
    api_as(patient).put(f"/api/v1/journal/drafts/{key}/", {"body": "Mine"}, format="json")
    client = api_as(other_patient)
    assert (
        client.put(f"/api/v1/journal/drafts/{key}/", {"body": "x"}, format="json").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/journal/drafts/{key}/submit/", {"body": "x"}, format="json"
        ).status_code
        == 404
    )
    assert Entry.objects.get(public_id=key).body == "Mine"


def test_other_therapist_gets_404_for_my_patients_journal(
    api_as, other_therapist, patient, shared_entry
):
    client = api_as(other_therapist)
    for path in ("sessions", "entries", "agenda"):
        assert client.get(f"/api/v1/patients/{patient.public_id}/{path}/").status_code == 404
    response = client.post(
        f"/api/v1/patients/{patient.public_id}/sessions/",
        {"occurred_at": timezone.now().isoformat(), "route": "other"},
        format="json",
    )
    assert response.status_code == 404


def test_patients_cannot_comment_review_or_record_sessions(api_as, patient, shared_entry):
    client = api_as(patient)
    url = f"/api/v1/journal/entries/{shared_entry.public_id}"
    assert client.post(f"{url}/comments/", {"body": "me"}, format="json").status_code == 403
    assert client.post(f"{url}/review/").status_code == 403
    assert client.get(f"/api/v1/patients/{patient.public_id}/sessions/").status_code == 403


def test_therapist_cannot_edit_a_patients_entry(api_as, therapist, shared_entry):
    response = api_as(therapist).patch(
        f"/api/v1/journal/entries/{shared_entry.public_id}/", {"body": "edited"}, format="json"
    )
    assert response.status_code == 403
    shared_entry.refresh_from_db()
    assert shared_entry.body == "Like a wave."


@pytest.mark.parametrize(
    "url",
    ["/api/v1/journal/sessions/", "/api/v1/journal/entries/"],
)
def test_journal_lists_want_a_patient(api, api_as, therapist, url):
    assert api.get(url).status_code == 401
    assert api_as(therapist).get(url).status_code == 403

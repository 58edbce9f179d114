"""A therapist reviews shared entries, comments for the patient and keeps private notes."""

from django.urls import reverse

from journal import services
from journal.models import ClinicalNote, Comment, EntryRead
from tests.factories.journal import EntryFactory


def test_opening_an_entry_is_recorded_and_the_patient_sees_who_read_it(
    client_for, patient, therapist, shared_entry
):
    review_url = reverse("journal:entry_review", args=[shared_entry.public_id])
    client = client_for(therapist)
    assert client.get(review_url).status_code == 200
    client.get(review_url)
    reads = EntryRead.objects.filter(entry=shared_entry)
    assert reads.count() == 2 and {r.reader for r in reads} == {therapist}

    page = client_for(patient).get(shared_entry.get_absolute_url()).content.decode()
    assert "Who has read it" in page
    assert "Maya Okafor, last today at" in page
    assert "(2 times)" in page


def test_a_private_entry_shows_no_readers(client_for, patient, private_entry):
    page = client_for(patient).get(private_entry.get_absolute_url()).content.decode()
    assert "Nobody at the clinic sees it" in page
    assert "Who has read it" not in page


def test_therapist_marks_an_entry_reviewed(client_for, therapist, shared_entry):
    client = client_for(therapist)
    response = client.post(reverse("journal:entry_mark_reviewed", args=[shared_entry.public_id]))
    assert response.status_code == 303
    shared_entry.refresh_from_db()
    assert shared_entry.reviewed_by == therapist and shared_entry.reviewed_at
    page = client.get(response["Location"]).content.decode()
    assert "Reviewed today at" in page and "by Maya Okafor" in page


def test_marking_reviewed_with_htmx_returns_the_review_fragment(
    client_for, therapist, shared_entry, htmx
):
    response = client_for(therapist).post(
        reverse("journal:entry_mark_reviewed", args=[shared_entry.public_id]), **htmx
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="review-status"')
    assert "Reviewed today at" in page
    assert "HX-Request" in response["Vary"]


def test_therapist_comments_and_the_patient_sees_the_comment(
    client_for, patient, therapist, shared_entry
):
    client = client_for(therapist)
    response = client.post(
        reverse("journal:entry_comment", args=[shared_entry.public_id]),
        {"body": "That wave image is worth exploring together."},
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert (comment.entry, comment.author) == (shared_entry, therapist)

    timeline = client_for(patient).get(reverse("journal:timeline")).content.decode()
    assert "New comment" in timeline
    page = client_for(patient).get(shared_entry.get_absolute_url()).content.decode()
    assert "That wave image is worth exploring together." in page
    assert "Maya Okafor" in page
    comment.refresh_from_db()
    assert comment.seen_by_patient_at is not None


def test_commenting_with_htmx_returns_the_comments_fragment(
    client_for, therapist, shared_entry, htmx
):
    url = reverse("journal:entry_comment", args=[shared_entry.public_id])
    response = client_for(therapist).post(url, {"body": "Good to hear."}, **htmx)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="comments"')
    assert "Good to hear." in response.content.decode()


def test_an_empty_comment_is_refused_kindly(client_for, therapist, shared_entry, htmx):
    url = reverse("journal:entry_comment", args=[shared_entry.public_id])
    client = client_for(therapist)
    response = client.post(url, {"body": "  "}, **htmx)
    assert response.status_code == 422
    assert "Write your comment before sending it." in response.content.decode()
    # The htmx fragment holds the comments only: not an opening of the entry.
    assert not EntryRead.objects.exists()
    response = client.post(url, {"body": "  "})
    assert response.status_code == 422
    assert "Write your comment before sending it." in response.content.decode()
    # Without JavaScript the whole page, entry and all, comes back: that is an opening.
    assert EntryRead.objects.filter(entry=shared_entry, reader=therapist).count() == 1
    assert not Comment.objects.exists()


def test_a_clinical_note_is_never_shown_to_the_patient(
    client_for, patient, therapist, shared_entry
):
    response = client_for(therapist).post(
        reverse("journal:entry_note", args=[shared_entry.public_id]),
        {"body": "Consider screening for sleep disturbance."},
    )
    assert response.status_code == 303
    assert ClinicalNote.objects.get().author == therapist
    review = client_for(therapist).get(response["Location"]).content.decode()
    assert "Consider screening for sleep disturbance." in review

    client = client_for(patient)
    for url in (shared_entry.get_absolute_url(), reverse("journal:timeline")):
        assert "sleep disturbance" not in client.get(url).content.decode()


def test_the_agenda_lists_every_entry_marked_for_discussion(client_for, patient, therapist):
    older = EntryFactory(patient=patient, for_discussion=True, body="First topic")
    newer = EntryFactory(patient=patient, for_discussion=True, body="Second topic")
    EntryFactory(patient=patient, shared=True, body="Not for discussion")
    EntryFactory(patient=patient, body="Private, never on the agenda")
    discussed = EntryFactory(patient=patient, for_discussion=True, body="Talked about already")
    services.mark_discussed(viewer=therapist, patient=patient, entry_ids=[discussed.public_id])

    page = client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert [e.pk for e in page.context["entries"]] == [older.pk, newer.pk]
    assert text.index("First topic") < text.index("Second topic")
    for absent in ("Not for discussion", "Private, never", "Talked about already"):
        assert absent not in text
    assert "/static/js/journal-print.js" in text


def test_clearing_the_agenda_keeps_entries_shared_since_the_page_was_opened(
    client_for, patient, therapist
):
    on_page = EntryFactory(patient=patient, for_discussion=True)
    client = client_for(therapist)
    client.get(reverse("journal:agenda", args=[patient.public_id]))
    arrived_later = EntryFactory(patient=patient, for_discussion=True)
    response = client.post(
        reverse("journal:agenda_discussed", args=[patient.public_id]),
        {"entry": [str(on_page.public_id)]},
    )
    assert response.status_code == 303
    on_page.refresh_from_db()
    arrived_later.refresh_from_db()
    assert on_page.discussed_at is not None
    assert arrived_later.discussed_at is None


def test_the_patient_journal_page_groups_shared_entries_by_session(
    client_for, therapist, patient, session, shared_entry
):
    standalone = EntryFactory(patient=patient, shared=True, body="Between sessions")
    page = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    groups = page.context["journal"].groups
    assert [g.session for g in groups] == [session, None]
    assert groups[0].entries == [shared_entry]
    assert groups[1].entries == [standalone]


def test_opening_the_agenda_counts_as_reading_each_entry(client_for, patient, therapist):
    entry = EntryFactory(patient=patient, for_discussion=True)
    client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))
    assert list(EntryRead.objects.filter(entry=entry).values_list("reader", flat=True)) == [
        therapist.pk
    ]

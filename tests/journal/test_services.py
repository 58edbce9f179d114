"""The journal's services, called directly: what each change does and what it refuses.

The web and API tests check the front ends; these check the one place the rules live.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from journal import selectors, services
from journal.models import AdministrationSession, Comment, Entry, EntryRead
from tests.factories.journal import AdministrationSessionFactory, CommentFactory, EntryFactory

WORDS = {"body": "The music felt like a wave.", "mood": 6, "anxiety": 3}


# --- Writing ---------------------------------------------------------------------------


def test_autosaving_keeps_a_draft_under_the_key_the_page_chose(patient, session):
    key = uuid.uuid4()
    draft = services.save_draft(
        patient=patient,
        draft_key=key,
        fields={**WORDS, "session": session, "experiences": ["nausea"]},
    )
    stored = Entry.objects.get(public_id=key)
    assert draft.pk == stored.pk and stored.is_draft
    assert (stored.patient, stored.session, stored.mood) == (patient, session, 6)
    assert stored.experiences == ["nausea"]


def test_a_later_autosave_changes_only_the_fields_it_sends(patient):
    key = uuid.uuid4()
    services.save_draft(patient=patient, draft_key=key, fields=WORDS)
    services.save_draft(patient=patient, draft_key=key, fields={"body": "A wave, then calm."})
    stored = Entry.objects.get(public_id=key)
    assert (stored.body, stored.mood, stored.anxiety) == ("A wave, then calm.", 6, 3)


def test_an_empty_draft_may_be_kept_but_not_submitted(patient):
    key = uuid.uuid4()
    services.save_draft(patient=patient, draft_key=key, fields={"body": ""})
    with pytest.raises(ValidationError) as refused:
        services.submit_entry(patient=patient, draft_key=key, fields={"body": "  "})
    assert "There is nothing to save yet" in refused.value.messages[0]
    assert Entry.objects.get(public_id=key).is_draft


def test_submitting_a_draft_twice_makes_one_entry(patient):
    key = uuid.uuid4()
    first = services.submit_entry(patient=patient, draft_key=key, fields=WORDS)
    second = services.submit_entry(patient=patient, draft_key=key, fields={"body": "Again"})
    assert first.pk == second.pk and not second.is_draft
    assert Entry.objects.filter(patient=patient).count() == 1
    assert Entry.objects.get().body == "The music felt like a wave."


def test_a_late_autosave_never_overwrites_a_submitted_entry(patient):
    key = uuid.uuid4()
    services.submit_entry(patient=patient, draft_key=key, fields=WORDS)
    late = services.save_draft(patient=patient, draft_key=key, fields={"body": "late"})
    assert not late.is_draft and late.body == "The music felt like a wave."
    assert Entry.objects.get(public_id=key).body == "The music felt like a wave."


def test_a_draft_saved_in_a_second_tab_is_finished_as_one_entry(patient):
    key = uuid.uuid4()
    services.save_draft(patient=patient, draft_key=key, fields={"body": "First tab"})
    entry = services.submit_entry(patient=patient, draft_key=key, fields={"body": "Second tab"})
    assert Entry.objects.filter(patient=patient).get() == entry
    assert entry.body == "Second tab" and entry.submitted_at is not None


def test_someone_elses_draft_key_is_not_found_and_their_draft_is_kept(other_patient, draft):
    for store in (services.save_draft, services.submit_entry):
        with pytest.raises(Http404):
            store(patient=other_patient, draft_key=draft.public_id, fields={"body": "Mine now"})
    draft.refresh_from_db()
    assert draft.body == "Half a thought" and draft.patient != other_patient


def test_someone_elses_session_is_refused(patient, other_patient):
    theirs = AdministrationSessionFactory(patient=other_patient)
    with pytest.raises(ValidationError) as refused:
        services.submit_entry(
            patient=patient, draft_key=uuid.uuid4(), fields={**WORDS, "session": theirs}
        )
    assert refused.value.message_dict["session"] == ["Choose one of your own sessions."]
    assert not Entry.objects.exists()


def test_a_private_entry_cannot_go_on_the_agenda(patient):
    with pytest.raises(ValidationError) as refused:
        services.submit_entry(
            patient=patient,
            draft_key=uuid.uuid4(),
            fields={**WORDS, "is_shared": False, "is_for_discussion": True},
        )
    assert "only bring an entry to the session if you share it" in str(
        refused.value.message_dict["is_for_discussion"]
    )
    assert not Entry.objects.exists()


def test_an_unknown_experience_is_refused(patient):
    with pytest.raises(ValidationError) as refused:
        services.save_draft(
            patient=patient, draft_key=uuid.uuid4(), fields={"experiences": ["flying"]}
        )
    assert refused.value.message_dict["experiences"] == ["Choose from the experiences listed."]


def test_a_field_the_patient_does_not_write_is_a_programming_error(patient):
    with pytest.raises(TypeError):
        services.save_draft(patient=patient, draft_key=uuid.uuid4(), fields={"reviewed_at": 1})


def test_crisis_words_are_flagged_when_the_entry_is_stored(patient):
    entry = services.submit_entry(
        patient=patient, draft_key=uuid.uuid4(), fields={"body": "I want to kill myself."}
    )
    assert Entry.objects.get(pk=entry.pk).has_crisis_language


def test_submitting_a_shared_entry_records_when_it_was_shared(patient):
    entry = services.submit_entry(
        patient=patient, draft_key=uuid.uuid4(), fields={**WORDS, "is_shared": True}
    )
    assert Entry.objects.get(pk=entry.pk).shared_at is not None


# --- Editing, sharing, discarding ------------------------------------------------------


def test_editing_an_entry_marks_it_edited_and_asks_for_review_again(patient, therapist):
    entry = EntryFactory(patient=patient, reviewed=True, reviewed_by=therapist)
    edited = services.edit_entry(entry=entry, fields={"body": "Something new"})
    assert edited.body == "Something new" and edited.edited_at is not None
    assert Entry.objects.awaiting_review().filter(pk=entry.pk).exists()


def test_sending_back_the_same_values_is_not_an_edit(patient, shared_entry):
    edited = services.edit_entry(
        entry=shared_entry,
        fields={"body": shared_entry.body, "is_shared": True, "experiences": []},
    )
    assert edited.edited_at is None
    shared_entry.refresh_from_db()
    assert shared_entry.edited_at is None


def test_an_entry_cannot_be_edited_empty(patient, private_entry):
    with pytest.raises(ValidationError):
        services.edit_entry(entry=private_entry, fields={"body": ""})
    private_entry.refresh_from_db()
    assert private_entry.body == "Something only I should read."


def test_a_draft_is_finished_not_edited(draft):
    with pytest.raises(ValidationError):
        services.edit_entry(entry=draft, fields={"body": "Edited"})


def test_sharing_an_entry_lets_the_care_team_read_it(therapist, private_entry):
    services.share_entry(entry=private_entry)
    private_entry.refresh_from_db()
    assert private_entry.is_shared and private_entry.shared_at is not None
    assert Entry.objects.visible_to(therapist).filter(pk=private_entry.pk).exists()


def test_a_draft_cannot_be_shared(draft):
    with pytest.raises(ValidationError, match="Finish the entry before sharing it."):
        services.share_entry(entry=draft)


def test_discarding_hides_a_draft_keeps_its_words_and_never_touches_an_entry(
    patient, draft, private_entry
):
    services.discard_draft(entry=draft)
    assert Entry.objects.get(pk=draft.pk).body == "Half a thought"
    assert not Entry.objects.visible_to(patient).filter(pk=draft.pk).exists()
    with pytest.raises(ValidationError):
        services.discard_draft(entry=private_entry)
    assert Entry.objects.visible_to(patient).filter(pk=private_entry.pk).exists()


def test_reading_the_comments_marks_only_the_new_ones_seen(patient, therapist, shared_entry):
    seen = CommentFactory(entry=shared_entry, author=therapist)
    Comment.objects.filter(pk=seen.pk).update(seen_by_patient_at=timezone.now())
    new = CommentFactory(entry=shared_entry, author=therapist)
    elsewhere = CommentFactory(entry=EntryFactory(patient=patient, shared=True))
    assert services.mark_comments_seen(patient=patient, entry=shared_entry) == {new.pk}
    new.refresh_from_db()
    elsewhere.refresh_from_db()
    assert new.seen_by_patient_at is not None and elsewhere.seen_by_patient_at is None


# --- The care team ---------------------------------------------------------------------


def test_recording_a_session(patient, therapist):
    occurred_at = timezone.now() - timedelta(hours=3)
    session = services.record_session(
        patient=patient,
        recorded_by=therapist,
        occurred_at=occurred_at,
        route="lozenge",
        dose_mg=Decimal("52.5"),
    )
    stored = AdministrationSession.objects.get()
    assert stored == session
    assert (stored.patient, stored.recorded_by, stored.occurred_at) == (
        patient,
        therapist,
        occurred_at,
    )
    assert (stored.route, stored.dose_mg, stored.notes) == ("lozenge", Decimal("52.5"), "")


def test_recording_a_session_in_the_future_is_refused(patient, therapist):
    with pytest.raises(ValidationError) as refused:
        services.record_session(
            patient=patient,
            recorded_by=therapist,
            occurred_at=timezone.now() + timedelta(days=1),
            route="other",
        )
    assert "Record a session after it has happened" in refused.value.message_dict["occurred_at"][0]
    assert not AdministrationSession.objects.exists()


def test_a_session_is_recorded_for_patients_only(therapist, other_therapist):
    with pytest.raises(ValidationError) as refused:
        services.record_session(
            patient=other_therapist,
            recorded_by=therapist,
            occurred_at=timezone.now(),
            route="other",
        )
    assert "patient" in refused.value.message_dict


def test_commenting_and_noting_on_an_entry(therapist, shared_entry):
    comment = services.comment_on_entry(entry=shared_entry, author=therapist, body="Thank you.")
    note = services.add_clinical_note(entry=shared_entry, author=therapist, body="Sleep?")
    assert (comment.entry, comment.author, comment.seen_by_patient_at) == (
        shared_entry,
        therapist,
        None,
    )
    assert list(shared_entry.clinical_notes.all()) == [note]


def test_an_empty_comment_is_refused(therapist, shared_entry):
    with pytest.raises(ValidationError):
        services.comment_on_entry(entry=shared_entry, author=therapist, body="")
    assert not Comment.objects.exists()


def test_marking_reviewed_records_who_and_when(therapist, shared_entry):
    services.mark_reviewed(entry=shared_entry, by=therapist)
    shared_entry.refresh_from_db()
    assert shared_entry.reviewed_by == therapist and shared_entry.reviewed_at is not None
    assert not Entry.objects.awaiting_review().filter(pk=shared_entry.pk).exists()


def test_a_private_entry_cannot_be_reviewed(therapist, private_entry):
    with pytest.raises(ValidationError, match="Only a shared entry can be reviewed."):
        services.mark_reviewed(entry=private_entry, by=therapist)


def test_opening_an_entry_records_who_read_it(patient, therapist, shared_entry):
    services.open_entry(entry=shared_entry, reader=therapist)
    services.open_entry(entry=shared_entry, reader=therapist)
    [row] = selectors.readers(patient, shared_entry)
    assert (row["reader_name"], row["times"]) == ("Maya Okafor", 2)
    assert EntryRead.objects.filter(entry=shared_entry, reader=therapist).count() == 2


def test_marking_discussed_only_touches_the_chosen_entries_of_that_patient(
    patient, therapist, other_patient
):
    chosen = EntryFactory(patient=patient, for_discussion=True)
    arrived_later = EntryFactory(patient=patient, for_discussion=True)
    not_in_care = EntryFactory(patient=other_patient, for_discussion=True)
    count = services.mark_discussed(
        viewer=therapist,
        patient=patient,
        entry_ids=[chosen.public_id, not_in_care.public_id],
    )
    assert count == 1
    assert list(selectors.agenda(therapist, patient)) == [arrived_later]
    not_in_care.refresh_from_db()
    assert not_in_care.discussed_at is None

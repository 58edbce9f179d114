"""A patient writes in their journal on a phone: nothing they write is ever lost."""

import uuid

from django.urls import reverse

from journal import services
from journal.models import ENTRY_MAX_CHARS, Entry
from tests.factories.journal import EntryFactory

WRITE = "/journal/write/"


def _fields(key, **overrides):
    fields = {
        "draft_key": str(key),
        "body": "I felt calm and a little far away.",
        "mood": "6",
        "anxiety": "3",
        "is_shared": "False",
        "intent": "submit",
    }
    fields.update(overrides)
    return fields


def test_the_writing_page_explains_the_limit_and_the_privacy_choice(client_for, patient, therapist):
    page = client_for(patient).get(reverse("journal:entry_write")).content.decode()
    assert "up to 20,000 characters" in page
    assert "Only me (private)" in page and "Me and my care team (shared)" in page
    assert "nobody at the clinic sees it" in page
    assert "Maya Okafor" in page  # who "my care team" is
    assert 'maxlength="20000"' in page
    assert "style=" not in page and "<script>" not in page


def test_patient_writes_an_entry_with_javascript_off(client_for, patient, session):
    client = client_for(patient)
    page = client.get(reverse("journal:entry_write"), {"session": session.public_id})
    key = page.context["draft_key"]
    response = client.post(
        WRITE,
        _fields(
            key,
            session=str(session.public_id),
            experiences=["dissociation", "nausea"],
            stood_out="The colours",
        ),
    )
    entry = Entry.objects.get(public_id=key)
    assert response.status_code == 303
    assert response["Location"] == entry.get_absolute_url()
    assert not entry.is_draft and not entry.is_shared
    assert (entry.session, entry.mood, entry.anxiety) == (session, 6, 3)
    assert entry.experiences == ["dissociation", "nausea"]
    detail = client.get(response["Location"]).content.decode()
    assert "Your entry is saved." in detail
    assert "I felt calm and a little far away." in detail
    assert "Only you can read this entry." in detail


def test_the_draft_saves_itself_and_survives_a_reload(client_for, patient, session, htmx):
    client = client_for(patient)
    first_visit = client.get(reverse("journal:entry_write"), {"session": session.public_id})
    key = first_visit.context["draft_key"]

    response = client.post(
        WRITE,
        _fields(key, session=str(session.public_id), intent="autosave", body="Half a sent"),
        **htmx,
    )
    assert response.status_code == 200
    assert 'id="draft-status"' in response.content.decode()
    assert "Draft saved" in response.content.decode()
    assert "<html" not in response.content.decode()  # only the fragment
    assert "HX-Request" in response["Vary"]

    reload = client.get(reverse("journal:entry_write"), {"session": session.public_id})
    assert reload.context["draft_key"] == key
    assert "Half a sent" in reload.content.decode()
    draft = Entry.objects.get(public_id=key)
    assert draft.is_draft and draft.patient == patient


def test_an_autosave_says_what_it_could_not_keep(client_for, patient, htmx):
    key = uuid.uuid4()
    response = client_for(patient).post(
        WRITE, _fields(key, intent="autosave", mood="eleven"), **htmx
    )
    assert response.status_code == 422
    assert "Not saved yet" in response.content.decode()
    assert "Choose a number from 0 to 10" in response.content.decode()


def test_an_empty_draft_may_be_autosaved_but_not_submitted(client_for, patient, htmx):
    client = client_for(patient)
    key = uuid.uuid4()
    empty = _fields(key, body="", mood="", anxiety="")
    assert client.post(WRITE, {**empty, "intent": "autosave"}, **htmx).status_code == 200
    response = client.post(WRITE, empty)
    assert response.status_code == 422
    assert "There is nothing to save yet" in response.content.decode()
    assert Entry.objects.get(public_id=key).is_draft


def test_a_double_submit_makes_one_entry(client_for, patient):
    client = client_for(patient)
    key = uuid.uuid4()
    first = client.post(WRITE, _fields(key))
    second = client.post(WRITE, _fields(key, body="the same tap, twice"))
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Entry.objects.filter(patient=patient).count() == 1
    assert Entry.objects.get().body == "I felt calm and a little far away."


def test_an_autosave_arriving_after_the_submit_changes_nothing(client_for, patient, htmx):
    client = client_for(patient)
    key = uuid.uuid4()
    client.post(WRITE, _fields(key))
    late = client.post(WRITE, _fields(key, intent="autosave", body="late"), **htmx)
    assert late.status_code == 200
    assert "This entry is saved." in late.content.decode()
    assert Entry.objects.get(public_id=key).body == "I felt calm and a little far away."


def test_a_draft_submitted_becomes_the_entry(client_for, patient, draft):
    response = client_for(patient).post(WRITE, _fields(draft.public_id, body="Whole thought"))
    draft.refresh_from_db()
    assert response.status_code == 303
    assert not draft.is_draft and draft.body == "Whole thought"
    assert Entry.objects.filter(patient=patient).count() == 1


def test_saving_a_draft_without_javascript_comes_back_to_it(client_for, patient):
    client = client_for(patient)
    key = uuid.uuid4()
    response = client.post(WRITE, _fields(key, intent="draft"))
    assert response.status_code == 303
    assert response["Location"] == f"{WRITE}?draft={key}"
    page = client.get(response["Location"])
    assert page.context["draft_key"] == key
    assert "Your draft is saved" in page.content.decode()


def test_patient_discards_a_draft(client_for, patient, draft):
    response = client_for(patient).post(reverse("journal:entry_discard", args=[draft.public_id]))
    assert response.status_code == 303
    # Gone from the journal; the words are kept (tests/journal/test_nothing_is_deleted.py).
    assert not Entry.objects.visible_to(patient).filter(pk=draft.pk).exists()
    assert Entry.objects.get(pk=draft.pk).is_discarded


def test_a_submitted_entry_cannot_be_discarded_as_a_draft(client_for, patient, private_entry):
    client_for(patient).post(reverse("journal:entry_discard", args=[private_entry.public_id]))
    assert Entry.objects.filter(pk=private_entry.pk).exists()


def test_someone_elses_draft_key_is_a_404_and_changes_nothing(
    client_for, other_patient, draft, htmx
):
    client = client_for(other_patient)
    assert client.post(WRITE, _fields(draft.public_id)).status_code == 404
    assert (
        client.post(WRITE, _fields(draft.public_id, intent="autosave"), **htmx).status_code == 404
    )
    assert client.get(WRITE, {"draft": draft.public_id}).status_code == 404
    draft.refresh_from_db()
    assert draft.body == "Half a thought" and draft.is_draft


def test_a_malformed_draft_key_is_a_404(client_for, patient):
    assert client_for(patient).post(WRITE, _fields("not-a-uuid")).status_code == 404


def test_too_long_an_entry_is_refused_kindly_and_kept_on_the_page(client_for, patient):
    huge = "a" * (ENTRY_MAX_CHARS + 1)
    response = client_for(patient).post(WRITE, _fields(uuid.uuid4(), body=huge))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Nothing you wrote is lost" in page
    assert "20000 characters at most (it has 20001)" in page
    assert huge in page
    assert not Entry.objects.exists()


def test_a_score_that_is_not_a_number_is_refused(client_for, patient):
    response = client_for(patient).post(WRITE, _fields(uuid.uuid4(), mood="eleven", anxiety="11"))
    assert response.status_code == 422
    assert "Choose a number from 0 to 10" in response.content.decode()
    assert set(response.context["form"].errors) == {"mood", "anxiety"}
    assert not Entry.objects.exists()


def test_an_unknown_experience_or_someone_elses_session_is_refused(
    client_for, patient, other_patient
):
    from tests.factories.journal import AdministrationSessionFactory

    theirs = AdministrationSessionFactory(patient=other_patient)
    client = client_for(patient)
    response = client.post(WRITE, _fields(uuid.uuid4(), experiences=["flying"]))
    assert response.status_code == 422
    assert "Choose from the experiences listed" in response.content.decode()
    response = client.post(WRITE, _fields(uuid.uuid4(), session=str(theirs.public_id)))
    assert response.status_code == 422
    assert not Entry.objects.exists()


def test_marking_for_discussion_needs_sharing(client_for, patient):
    response = client_for(patient).post(
        WRITE, _fields(uuid.uuid4(), is_for_discussion="on", is_shared="False")
    )
    assert response.status_code == 422
    assert "only bring an entry to the session if you share it" in response.content.decode()


def test_html_in_an_entry_is_shown_as_text(client_for, patient, therapist):
    client = client_for(patient)
    body = '<script>alert("x")</script><b>bold</b>'
    response = client.post(WRITE, _fields(uuid.uuid4(), body=body, is_shared="True"))
    page = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page
    entry = Entry.objects.get()
    review = client_for(therapist).get(reverse("journal:entry_review", args=[entry.public_id]))
    assert "&lt;script&gt;" in review.content.decode()


def test_patient_edits_an_entry_and_the_therapist_sees_when(
    client_for, patient, therapist, shared_entry
):
    edit_url = reverse("journal:entry_edit", args=[shared_entry.public_id])
    client = client_for(patient)
    assert "The music felt like a wave." in client.get(edit_url).content.decode()
    response = client.post(
        edit_url, {"body": "The music felt like the sea.", "is_shared": "True", "mood": "7"}
    )
    assert response.status_code == 303
    shared_entry.refresh_from_db()
    assert shared_entry.body == "The music felt like the sea."
    assert shared_entry.edited_at is not None

    review = client_for(therapist).get(
        reverse("journal:entry_review", args=[shared_entry.public_id])
    )
    assert "Edited today at" in review.content.decode()


def test_an_unchanged_edit_is_not_marked_as_edited(client_for, patient, shared_entry):
    client_for(patient).post(
        reverse("journal:entry_edit", args=[shared_entry.public_id]),
        {
            "body": shared_entry.body,
            "is_shared": "True",
            "session": str(shared_entry.session.public_id),
        },
    )
    shared_entry.refresh_from_db()
    assert shared_entry.edited_at is None


def test_an_edit_after_review_asks_for_review_again(patient, therapist):
    entry = EntryFactory(patient=patient, reviewed=True, reviewed_by=therapist)
    assert not Entry.objects.awaiting_review().filter(pk=entry.pk).exists()
    services.edit_entry(entry=entry, fields={"body": "Something new"})
    assert Entry.objects.awaiting_review().filter(pk=entry.pk).exists()


def test_an_edit_that_breaks_a_rule_is_refused_with_everything_kept(
    client_for, patient, shared_entry
):
    response = client_for(patient).post(
        reverse("journal:entry_edit", args=[shared_entry.public_id]),
        {"body": "Kept text", "mood": "12", "is_shared": "True"},
    )
    assert response.status_code == 422
    assert "Kept text" in response.content.decode()
    shared_entry.refresh_from_db()
    assert shared_entry.body == "The music felt like a wave."


def test_opening_a_draft_as_an_entry_goes_back_to_writing(client_for, patient, draft):
    response = client_for(patient).get(reverse("journal:entry_detail", args=[draft.public_id]))
    assert response.status_code == 303
    assert response["Location"] == f"{WRITE}?draft={draft.public_id}"


def test_an_autosave_keeps_the_words_even_when_another_choice_is_refused(client_for, patient, htmx):
    key = uuid.uuid4()
    response = client_for(patient).post(
        WRITE,
        _fields(key, intent="autosave", is_for_discussion="on", is_shared="False", body="Kept"),
        **htmx,
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Your writing is saved." in page and "share it" in page
    draft = Entry.objects.get(public_id=key)
    assert draft.body == "Kept" and draft.is_draft
    assert not draft.is_for_discussion and not draft.is_shared

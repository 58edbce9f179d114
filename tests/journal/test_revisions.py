"""Sam edits an entry he saved: what it said before is kept, and only Sam can read it.

Maya sees that the entry was edited, when and how many times, never the earlier words:
Sam may have taken something out on purpose.
"""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from journal import services
from journal.models import Entry, EntryRevision, KeptRecordError
from tests.factories.journal import EntryFactory

FIRST = "The music felt like a wave. I thought about my brother."
SECOND = "The music felt like a wave."
THIRD = "The music felt like a slow wave."


@pytest.fixture
def entry(patient, session):
    return EntryFactory(
        patient=patient, session=session, shared=True, body=FIRST, mood=4, insights="Be kind"
    )


def _edit_form(entry, **changes):
    fields = {
        "session": str(entry.session.public_id) if entry.session else "",
        "body": entry.body,
        "insights": entry.insights,
        "mood": str(entry.mood) if entry.mood is not None else "",
        "anxiety": "",
        "is_shared": str(entry.is_shared),
    }
    fields.update(changes)
    return fields


# --- The service ---------------------------------------------------------------------


def test_an_edit_keeps_every_field_the_entry_had_before(patient, session, entry):
    submitted_at = entry.submitted_at
    edited = services.edit_entry(entry=entry, fields={"body": SECOND, "mood": 6})

    revision = EntryRevision.objects.get(entry=entry)
    assert (revision.body, revision.mood, revision.insights) == (FIRST, 4, "Be kind")
    assert (revision.session, revision.is_shared, revision.is_for_discussion) == (
        session,
        True,
        False,
    )
    assert revision.saved_at == submitted_at
    assert revision.replaced_at == edited.edited_at
    assert Entry.objects.get(pk=entry.pk).body == SECOND


def test_each_edit_keeps_the_version_it_replaced(entry):
    first_edit = services.edit_entry(entry=entry, fields={"body": SECOND}).edited_at
    services.edit_entry(entry=entry, fields={"body": THIRD})

    older, newer = EntryRevision.objects.filter(entry=entry).oldest_first()
    assert (older.body, newer.body) == (FIRST, SECOND)
    # The second version was saved by the first edit, and replaced by the second.
    assert newer.saved_at == first_edit
    entry.refresh_from_db()
    assert entry.body == THIRD and entry.edit_count == 2


def test_sending_back_the_same_words_keeps_no_revision(entry):
    services.edit_entry(entry=entry, fields={"body": FIRST, "is_shared": True})
    assert not EntryRevision.objects.exists()


def test_a_refused_edit_keeps_no_revision(entry):
    with pytest.raises(ValidationError):
        services.edit_entry(
            entry=entry,
            fields={"body": "", "insights": "", "mood": None, "session": None},
        )
    assert not EntryRevision.objects.exists()
    assert Entry.objects.get(pk=entry.pk).body == FIRST


def test_autosaving_and_submitting_a_draft_are_not_revisions(patient):
    key = uuid.uuid4()
    services.save_draft(patient=patient, draft_key=key, fields={"body": "First words"})
    services.save_draft(patient=patient, draft_key=key, fields={"body": "First words, more"})
    services.submit_entry(patient=patient, draft_key=key, fields={"body": "Finished"})
    assert not EntryRevision.objects.exists()


# --- Kept as they were ---------------------------------------------------------------


def test_an_earlier_version_can_be_neither_changed_nor_deleted(entry):
    services.edit_entry(entry=entry, fields={"body": SECOND})
    revision = EntryRevision.objects.get()
    revision.body = "Rewritten"
    with pytest.raises(KeptRecordError):
        revision.save()
    with pytest.raises(KeptRecordError):
        revision.delete()
    with pytest.raises(KeptRecordError):
        EntryRevision.objects.filter(pk=revision.pk).update(body="Rewritten")
    with pytest.raises(KeptRecordError):
        EntryRevision.objects.all().delete()
    assert EntryRevision.objects.get().body == FIRST


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE journal_entryrevision SET body = 'Forged'", "DELETE FROM journal_entryrevision"],
)
def test_postgresql_refuses_to_rewrite_an_earlier_version(entry, sql):
    services.edit_entry(entry=entry, fields={"body": SECOND})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert EntryRevision.objects.get().body == FIRST


# --- Sam reads his earlier versions ----------------------------------------------------


def test_sam_edits_on_the_web_and_finds_the_earlier_words_from_the_entry(
    client_for, patient, entry
):
    client = client_for(patient)
    response = client.post(
        reverse("journal:entry_edit", args=[entry.public_id]), _edit_form(entry, body=SECOND)
    )
    assert response.status_code == 303
    assert EntryRevision.objects.get(entry=entry).body == FIRST

    page = client.get(entry.get_absolute_url()).content.decode()
    versions_url = reverse("journal:entry_versions", args=[entry.public_id])
    assert versions_url in page
    assert "See what it said before" in page

    versions = client.get(versions_url)
    text = versions.content.decode()
    assert versions.status_code == 200
    assert FIRST in text
    assert "It was shared with your care team." in text
    assert "Only you can see these versions." in text


def test_an_entry_never_edited_has_no_earlier_versions(client_for, patient, entry):
    page = client_for(patient).get(entry.get_absolute_url()).content.decode()
    assert "See what it said before" not in page
    versions = client_for(patient).get(reverse("journal:entry_versions", args=[entry.public_id]))
    assert "has no earlier versions" in versions.content.decode()


def test_only_sam_opens_his_earlier_versions(
    client_for, other_patient, therapist, other_therapist, clinic_admin, entry
):
    services.edit_entry(entry=entry, fields={"body": SECOND})
    url = reverse("journal:entry_versions", args=[entry.public_id])
    # Another patient: as if the entry did not exist.
    assert client_for(other_patient).get(url).status_code == 404
    # The care team and the clinic admin: a patient's page, not theirs.
    for person in (therapist, other_therapist, clinic_admin):
        response = client_for(person).get(url)
        assert response.status_code == 403
        assert FIRST not in response.content.decode()
    assert client_for(None).get(url).status_code == 302


def test_maya_sees_that_and_when_it_was_edited_never_the_earlier_words(
    client_for, patient, therapist, entry
):
    services.edit_entry(entry=entry, fields={"body": SECOND})
    services.edit_entry(entry=entry, fields={"body": THIRD, "is_for_discussion": True})
    client = client_for(therapist)

    review = client.get(reverse("journal:entry_review", args=[entry.public_id])).content.decode()
    assert "Sam edited this entry 2 times, last today at" in review
    assert "kept for Sam alone" in review
    journal = client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    assert "(2 times)" in journal
    agenda = client.get(reverse("journal:agenda", args=[patient.public_id])).content.decode()
    assert ", 2 times" in agenda
    for page in (review, journal, agenda):
        assert THIRD in page
        assert "brother" not in page and SECOND + "</p>" not in page
    assert reverse("journal:entry_versions", args=[entry.public_id]) not in review

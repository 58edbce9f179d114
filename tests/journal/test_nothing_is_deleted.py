"""Nothing a patient wrote is ever erased: not by discarding, not by the admin, not in SQL.

Sam discards a draft and it is gone from his journal, yet its words are kept. Entries,
sessions, comments, clinical notes and reads refuse deletion in Python and, on PostgreSQL,
in the database. Deactivating an account keeps every record.
"""

import uuid

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.db.models.deletion import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from accounts.services import deactivate_accounts
from journal import services
from journal.models import (
    AdministrationSession,
    ClinicalNote,
    Comment,
    Entry,
    EntryRead,
    KeptRecordError,
)
from tests.factories.journal import ClinicalNoteFactory, CommentFactory, EntryReadFactory

WRITE = "/journal/write/"


# --- Discarding a draft keeps its words --------------------------------------------------


def test_sam_discards_a_draft_it_leaves_his_journal_and_its_words_are_kept(
    client_for, patient, draft
):
    client = client_for(patient)
    write_page = client.get(WRITE, {"draft": draft.public_id}).content.decode()
    assert "Discard this draft" in write_page

    response = client.post(reverse("journal:entry_discard", args=[draft.public_id]))
    assert response.status_code == 303
    assert response["Location"] == reverse("journal:timeline")

    kept = Entry.objects.get(pk=draft.pk)
    assert kept.body == "Half a thought" and kept.is_discarded and kept.is_draft
    timeline = client.get(reverse("journal:timeline")).content.decode()
    assert "The draft is discarded." in timeline
    assert "Unfinished drafts" not in timeline
    assert str(draft.public_id) not in timeline
    # Gone wherever Sam looks: the draft page, the entry page, the API's list of drafts.
    assert client.get(WRITE, {"draft": draft.public_id}).status_code == 404
    assert client.get(reverse("journal:entry_detail", args=[draft.public_id])).status_code == 404
    assert len(client.get("/api/v1/journal/entries/?state=all").json()["results"]) == 0
    assert list(Entry.objects.visible_to(patient)) == []


def test_the_app_discards_a_draft_by_api_and_the_words_are_kept(api_as, patient, draft):
    client = api_as(patient)
    response = client.delete(f"/api/v1/journal/drafts/{draft.public_id}/")
    assert response.status_code == 204
    assert Entry.objects.get(pk=draft.pk).body == "Half a thought"
    assert len(client.get("/api/v1/journal/entries/?state=draft").json()["results"]) == 0
    # Discarding it again: it is gone for Sam, so there is nothing to discard.
    assert client.delete(f"/api/v1/journal/drafts/{draft.public_id}/").status_code == 404


def test_a_save_arriving_after_the_discard_is_refused_kindly_and_changes_nothing(
    client_for, api_as, patient, draft
):
    services.discard_draft(entry=draft)
    client = client_for(patient)
    typed = "Words typed in a second tab"
    autosave = client.post(
        WRITE,
        {"draft_key": str(draft.public_id), "body": typed, "intent": "autosave"},
        HTTP_HX_REQUEST="true",
    )
    assert autosave.status_code == 422
    assert "You discarded this draft" in autosave.content.decode()

    submit = client.post(
        WRITE, {"draft_key": str(draft.public_id), "body": typed, "intent": "submit"}
    )
    assert submit.status_code == 422
    page = submit.content.decode()
    assert "You discarded this draft" in page
    assert typed in page  # the words stay on the screen

    api = api_as(patient).put(
        f"/api/v1/journal/drafts/{draft.public_id}/", {"body": typed}, format="json"
    )
    assert api.status_code == 400
    assert "You discarded this draft" in api.json()["message"]

    kept = Entry.objects.get(pk=draft.pk)
    assert kept.body == "Half a thought" and kept.is_draft and kept.is_discarded


def test_a_submitted_entry_is_never_discarded(client_for, patient, private_entry):
    client_for(patient).post(reverse("journal:entry_discard", args=[private_entry.public_id]))
    private_entry.refresh_from_db()
    assert not private_entry.is_discarded
    with pytest.raises(ValidationError, match="Only an unfinished draft"):
        services.discard_draft(entry=private_entry)


# --- Deleting is refused everywhere ------------------------------------------------------


@pytest.fixture
def sams_journal(patient, therapist, session, shared_entry):
    return {
        "session": session,
        "entry": shared_entry,
        "comment": CommentFactory(entry=shared_entry, author=therapist),
        "note": ClinicalNoteFactory(entry=shared_entry, author=therapist),
        "read": EntryReadFactory(entry=shared_entry, reader=therapist),
    }


@pytest.mark.parametrize("name", ["session", "entry", "comment", "note", "read"])
def test_python_refuses_to_delete_a_journal_record(sams_journal, name):
    record = sams_journal[name]
    model = type(record)
    with pytest.raises(KeptRecordError):
        record.delete()
    with pytest.raises(KeptRecordError):
        model.objects.filter(pk=record.pk).delete()
    assert model.objects.filter(pk=record.pk).exists()


def test_even_past_the_refusal_django_stops_at_what_the_care_team_wrote(sams_journal):
    # Model.delete itself, as a careless subclass or a library might call it: the comment
    # and the note are PROTECTed, never swept away with the entry.
    entry = sams_journal["entry"]
    with pytest.raises(ProtectedError):
        models.Model.delete(entry)
    for model in (Entry, Comment, ClinicalNote, EntryRead):
        assert model.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "table",
    [
        "journal_entryread",
        "journal_comment",
        "journal_clinicalnote",
        "journal_entry",
        "journal_administrationsession",
    ],
)
def test_postgresql_refuses_to_delete_journal_rows(sams_journal, table):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (a fixed table name)
    assert Entry.objects.filter(pk=sams_journal["entry"].pk).exists()
    assert AdministrationSession.objects.filter(pk=sams_journal["session"].pk).exists()


def test_the_admin_cannot_delete_a_session(client_for, clinic_admin, sams_journal):
    session = sams_journal["session"]
    client = client_for(clinic_admin)
    url = reverse("admin:journal_administrationsession_delete", args=[session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:journal_administrationsession_changelist")
    page = client.get(changelist).content.decode()
    assert "delete_selected" not in page
    client.post(changelist, {"action": "delete_selected", "_selected_action": [session.pk]})
    assert AdministrationSession.objects.filter(pk=session.pk).exists()


def test_no_journal_model_in_the_admin_may_delete(clinic_admin):
    request = RequestFactory().get("/admin/")
    request.user = clinic_admin
    journal_admins = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "journal"
    ]
    assert journal_admins  # the sessions, at least
    for model_admin in journal_admins:
        assert not model_admin.has_delete_permission(request)


# --- Closing an account keeps the records --------------------------------------------------


def test_deactivating_sam_keeps_every_record_and_his_account_cannot_be_deleted(
    patient, therapist, sams_journal, draft
):
    deactivate_accounts(users=User.objects.filter(pk=patient.pk), by=None)
    patient.refresh_from_db()
    assert not patient.is_active
    assert Entry.objects.filter(patient=patient).count() == 2
    assert AdministrationSession.objects.filter(patient=patient).exists()
    assert Comment.objects.filter(entry__patient=patient).exists()
    assert ClinicalNote.objects.filter(entry__patient=patient).exists()
    with pytest.raises(ProtectedError):
        patient.delete()
    with pytest.raises(ProtectedError):
        therapist.delete()  # who wrote the comments and notes is kept too
    assert Entry.objects.filter(patient=patient).count() == 2


def test_a_new_draft_after_a_discard_starts_afresh(patient, draft):
    services.discard_draft(entry=draft)
    fresh = services.save_draft(patient=patient, draft_key=uuid.uuid4(), fields={"body": "New"})
    assert fresh.pk != draft.pk
    assert [e.body for e in Entry.objects.visible_to(patient)] == ["New"]

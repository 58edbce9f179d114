"""A patient sees only their own entries; a therapist only what their own patients shared."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

from accounts.access import (
    can_edit_entry,
    can_review_entry,
    can_view_entry,
    clinical_notes_visible_to,
    comments_visible_to,
    entries_visible_to,
    sessions_visible_to,
)
from journal.models import Entry
from tests.factories.journal import ClinicalNoteFactory, CommentFactory, EntryFactory


def test_a_patient_sees_only_their_own_entries(patient, other_patient, private_entry, draft):
    someone_elses = EntryFactory(patient=other_patient, shared=True)
    visible = set(Entry.objects.visible_to(patient))
    assert visible == {private_entry, draft}
    assert someone_elses not in visible
    assert not can_view_entry(patient, someone_elses)


def test_a_therapist_sees_only_shared_submitted_entries_of_their_patients(
    therapist, patient, shared_entry, private_entry, draft, other_patient
):
    shared_draft = EntryFactory(patient=patient, draft=True, is_shared=True)
    other_patients_shared = EntryFactory(patient=other_patient, shared=True)
    assert list(Entry.objects.visible_to(therapist)) == [shared_entry]
    assert can_view_entry(therapist, shared_entry)
    for hidden in (private_entry, draft, shared_draft, other_patients_shared):
        assert not can_view_entry(therapist, hidden)


def test_a_patient_with_two_therapists_is_seen_once_by_each(
    therapist, other_therapist, patient, shared_entry
):
    from accounts.models import CareTeamMembership

    CareTeamMembership.objects.create(patient=patient, therapist=other_therapist)
    assert list(Entry.objects.visible_to(other_therapist)) == [shared_entry]
    assert list(Entry.objects.visible_to(therapist)) == [shared_entry]


def test_the_other_therapist_and_the_clinic_admin_see_no_entry(
    other_therapist, clinic_admin, shared_entry
):
    for person in (other_therapist, clinic_admin, AnonymousUser()):
        assert list(entries_visible_to(person)) == []
        assert not can_view_entry(person, shared_entry)
        assert not can_review_entry(person, shared_entry)


def test_an_inactive_therapist_sees_nothing(therapist, shared_entry, session):
    therapist.is_active = False
    assert not can_view_entry(therapist, shared_entry)
    assert list(entries_visible_to(therapist)) == []
    assert list(sessions_visible_to(therapist)) == []


def test_only_the_author_edits_an_entry(patient, other_patient, therapist, shared_entry):
    assert can_edit_entry(patient, shared_entry)
    assert not can_edit_entry(other_patient, shared_entry)
    assert not can_edit_entry(therapist, shared_entry)


def test_clinical_notes_are_never_visible_to_the_patient(patient, therapist, shared_entry):
    note = ClinicalNoteFactory(entry=shared_entry, author=therapist)
    comment = CommentFactory(entry=shared_entry, author=therapist)
    assert list(clinical_notes_visible_to(patient)) == []
    assert list(clinical_notes_visible_to(therapist)) == [note]
    assert list(comments_visible_to(patient)) == [comment]


def test_notes_on_an_entry_made_private_again_disappear_for_the_therapist(therapist, shared_entry):
    ClinicalNoteFactory(entry=shared_entry, author=therapist)
    shared_entry.is_shared = False
    shared_entry.save()
    assert list(clinical_notes_visible_to(therapist)) == []


# --- Every view, tried by who may not -----------------------------------------------


def _patient_pages(entry):
    return [
        ("get", reverse("journal:timeline")),
        ("get", reverse("journal:entry_write")),
        ("get", reverse("journal:entry_detail", args=[entry.public_id])),
        ("get", reverse("journal:entry_edit", args=[entry.public_id])),
        ("post", reverse("journal:entry_share", args=[entry.public_id])),
        ("post", reverse("journal:entry_discard", args=[entry.public_id])),
    ]


def _therapist_pages(patient, entry):
    return [
        ("get", reverse("care:roster")),
        ("get", reverse("care:patient", args=[patient.public_id])),
        ("get", reverse("care:session_new", args=[patient.public_id])),
        ("get", reverse("journal:agenda", args=[patient.public_id])),
        ("post", reverse("journal:agenda_discussed", args=[patient.public_id])),
        ("get", reverse("journal:entry_review", args=[entry.public_id])),
        ("post", reverse("journal:entry_mark_reviewed", args=[entry.public_id])),
        ("post", reverse("journal:entry_comment", args=[entry.public_id])),
        ("post", reverse("journal:entry_note", args=[entry.public_id])),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, patient, shared_entry):
    for method, url in _patient_pages(shared_entry) + _therapist_pages(patient, shared_entry):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]


def test_therapists_and_clinic_admins_get_403_on_patient_pages(
    client_for, therapist, clinic_admin, shared_entry
):
    for person in (therapist, clinic_admin):
        client = client_for(person)
        for method, url in _patient_pages(shared_entry):
            assert getattr(client, method)(url).status_code == 403, url


def test_patients_and_clinic_admins_get_403_on_therapist_pages(
    client_for, patient, clinic_admin, shared_entry
):
    for person in (patient, clinic_admin):
        client = client_for(person)
        for method, url in _therapist_pages(patient, shared_entry):
            assert getattr(client, method)(url).status_code == 403, url


def test_other_patient_gets_404_for_my_entries(client_for, other_patient, shared_entry, draft):
    client = client_for(other_patient)
    for entry in (shared_entry, draft):
        for method, url in _patient_pages(entry)[2:]:
            assert getattr(client, method)(url).status_code == 404, url
    assert list(Entry.objects.filter(pk__in=[shared_entry.pk, draft.pk])) != []


def test_other_patient_gets_404_writing_about_my_session(client_for, other_patient, session):
    response = client_for(other_patient).get(
        reverse("journal:entry_write"), {"session": session.public_id}
    )
    assert response.status_code == 404


def test_other_therapist_gets_404_for_my_patient_and_shared_entry(
    client_for, other_therapist, patient, shared_entry
):
    client = client_for(other_therapist)
    for method, url in _therapist_pages(patient, shared_entry)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert not shared_entry.comments.exists()
    assert not shared_entry.reads.exists()


def test_therapist_gets_404_for_a_private_entry_or_a_draft(
    client_for, therapist, private_entry, draft
):
    client = client_for(therapist)
    for entry in (private_entry, draft):
        assert (
            client.get(reverse("journal:entry_review", args=[entry.public_id])).status_code == 404
        )
        url = reverse("journal:entry_comment", args=[entry.public_id])
        assert client.post(url, {"body": "Hello"}).status_code == 404
    assert not private_entry.reads.exists()


def test_private_entries_never_appear_on_the_therapist_pages(
    client_for, therapist, patient, shared_entry, private_entry, draft
):
    client = client_for(therapist)
    for url in (
        reverse("care:roster"),
        reverse("care:patient", args=[patient.public_id]),
        reverse("journal:agenda", args=[patient.public_id]),
    ):
        page = client.get(url).content.decode()
        assert "Something only I should read" not in page
        assert "Half a thought" not in page
        assert str(private_entry.public_id) not in page
    journal = client.get(reverse("care:patient", args=[patient.public_id]))
    assert "The music felt like a wave." in journal.content.decode()


def test_the_django_admin_shows_sessions_but_no_journal_text(client_for, clinic_admin, session):
    client = client_for(clinic_admin)
    response = client.get(reverse("admin:journal_administrationsession_changelist"))
    assert response.status_code == 200
    for name in ("entry", "comment", "clinicalnote", "entryread"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:journal_{name}_changelist")

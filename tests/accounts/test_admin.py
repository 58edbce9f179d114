"""The clinic admin manages accounts: never a password, never clinical words, never a deletion.

Each test is an attack a clinic admin (or whoever holds their session) could try, refused.
"""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from consent import services as consent_services
from consent.models import CareTeamQuestion
from journal.models import AdministrationSession
from tests.factories.accounts import TEST_PASSWORD, PatientFactory
from tests.factories.consent import signed_consent
from tests.factories.journal import (
    AdministrationSessionFactory,
    ClinicalNoteFactory,
    CommentFactory,
    EntryFactory,
    EntryReadFactory,
)

QUESTION = "Will the ketamine interact with my lithium?"
ANSWER = "Please bring your lithium dose to the next session; we will check."
WITHDRAWAL_REASON = "My partner found out and I am scared."
SESSION_NOTE = "Dissociated heavily at 40 minutes; recalled childhood trauma."
ENTRY_TEXT = "I saw my father's face and finally cried."
COMMENT = "Thank you for trusting me with the memory of your father."
CLINICAL_NOTE = "Possible PTSD; screen with PCL-5 next visit."
CLINICAL_WORDS = (QUESTION, ANSWER, WITHDRAWAL_REASON, SESSION_NOTE, ENTRY_TEXT, COMMENT)


@pytest.fixture
def sams_records(patient, therapist, consent_version):
    """Sam's clinical record: every kind of words a patient or their therapist writes."""
    consent = signed_consent(patient, consent_version)
    question = consent_services.ask_care_team(
        consent=consent, section=consent_version.ordered_sections()[0], text=QUESTION
    )
    consent_services.answer_care_team_question(question=question, therapist=therapist, text=ANSWER)
    consent_services.withdraw_consent(patient=patient, reason=WITHDRAWAL_REASON)
    session = AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, notes=SESSION_NOTE
    )
    entry = EntryFactory(patient=patient, session=session, shared=True, body=ENTRY_TEXT)
    CommentFactory(entry=entry, author=therapist, body=COMMENT)
    ClinicalNoteFactory(entry=entry, author=therapist, body=CLINICAL_NOTE)
    EntryReadFactory(entry=entry, reader=therapist)
    return {"consent": consent, "question": question, "session": session}


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


def user_change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


# --- Passwords ---------------------------------------------------------------------------


def test_the_admin_cannot_set_a_password(admin_client, patient):
    url = reverse("admin:auth_user_password_change", args=[patient.pk])
    assert url == f"/admin/accounts/user/{patient.pk}/password/"

    assert admin_client.get(url).status_code == 403
    response = admin_client.post(
        url, {"password1": "admin-chose-this-42", "password2": "admin-chose-this-42"}
    )

    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.check_password(TEST_PASSWORD)


def test_the_user_page_has_no_password_field_nor_a_link_to_set_one(admin_client, patient):
    page = admin_client.get(user_change_url(patient)).content.decode()

    assert 'name="password' not in page
    assert "password/" not in page
    assert "pbkdf2" not in page


def test_the_admin_sends_a_reset_email_instead(admin_client, therapist, mailoutbox, run_worker):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset_emails", "_selected_action": [therapist.pk]},
        follow=True,
    )

    assert "Sent 1 password reset email(s)." in response.content.decode()
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[therapist.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    therapist.refresh_from_db()
    assert therapist.check_password(TEST_PASSWORD)


# --- Email changes -----------------------------------------------------------------------


def test_changing_an_email_in_the_admin_tells_both_addresses(
    admin_client, patient, mailoutbox, run_worker
):
    old_email = patient.email
    membership = patient.care_team_memberships.get()
    response = admin_client.post(
        user_change_url(patient),
        {
            "email": "Sam.Rivera@New.example",
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "role": "patient",
            "is_active": "on",
            "care_team_memberships-TOTAL_FORMS": "1",
            "care_team_memberships-INITIAL_FORMS": "1",
            "care_team_memberships-0-id": membership.pk,
            "care_team_memberships-0-patient": patient.pk,
            "care_team_memberships-0-therapist": membership.therapist_id,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    patient.refresh_from_db()
    assert patient.email == "sam.rivera@new.example"
    run_worker()  # the worker delivers the mail
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([old_email, patient.email])
    assert all("email address" in mail.subject for mail in mailoutbox)


# --- Clinical words stay out ------------------------------------------------------------


def test_no_admin_page_shows_what_patients_or_therapists_wrote(
    admin_client, patient, therapist, sams_records
):
    consent, question, session = (sams_records[k] for k in ("consent", "question", "session"))
    pages = [
        user_change_url(patient),
        user_change_url(therapist),
        reverse("admin:accounts_user_changelist") + "?q=lithium",
        reverse("admin:consent_consent_changelist"),
        reverse("admin:consent_consent_change", args=[consent.pk]),
        reverse("admin:consent_careteamquestion_changelist"),
        reverse("admin:consent_careteamquestion_change", args=[question.pk]),
        reverse("admin:journal_administrationsession_changelist"),
        reverse("admin:journal_administrationsession_change", args=[session.pk]),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for words in (*CLINICAL_WORDS, CLINICAL_NOTE):
            assert words not in page, (url, words)


def test_filtering_by_clinical_words_in_the_address_is_refused(admin_client, sams_records):
    # The admin filters on any field named in the URL unless told not to: each of these
    # would say which records mention a word, without ever showing the words.
    for url in (
        reverse("admin:journal_administrationsession_changelist") + "?notes__icontains=trauma",
        reverse("admin:consent_careteamquestion_changelist") + "?text__icontains=lithium",
        reverse("admin:consent_careteamquestion_changelist") + "?answer__icontains=lithium",
        reverse("admin:consent_consent_changelist") + "?withdrawal__reason__icontains=partner",
        reverse("admin:accounts_user_changelist") + "?journal_entries__body__icontains=father",
        reverse("admin:accounts_user_changelist")
        + "?administration_sessions__notes__icontains=trauma",
    ):
        assert admin_client.get(url).status_code == 400, url
    # The search box looks at names and addresses only.
    sessions = reverse("admin:journal_administrationsession_changelist")
    assert (
        "0 administration sessions"
        in admin_client.get(sessions + "?q=Dissociated").content.decode()
    )


def test_correcting_a_session_in_the_admin_keeps_its_notes(admin_client, sams_records):
    session = sams_records["session"]
    response = admin_client.post(
        reverse("admin:journal_administrationsession_change", args=[session.pk]),
        {
            "patient": session.patient_id,
            "occurred_at_0": session.occurred_at.strftime("%Y-%m-%d"),
            "occurred_at_1": session.occurred_at.strftime("%H:%M:%S"),
            "route": session.route,
            "dose_mg": "35.0",
            "recorded_by": session.recorded_by_id,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert str(session.dose_mg) == "35.0"
    assert session.notes == SESSION_NOTE


# --- Nothing is erased -------------------------------------------------------------------


def test_deleting_a_patient_with_records_is_refused_by_the_database_layer(patient, sams_records):
    with pytest.raises(ProtectedError):
        patient.delete()


def test_deleting_a_therapist_with_records_is_refused_by_the_database_layer(
    therapist, sams_records
):
    with pytest.raises(ProtectedError):
        therapist.delete()


def test_a_reader_and_an_author_are_never_forgotten(patient):
    # Reads, comments and notes keep who wrote them even without any other record.
    read = EntryReadFactory(entry=EntryFactory(patient=patient, shared=True))
    with pytest.raises(ProtectedError):
        read.reader.delete()
    note = ClinicalNoteFactory(entry=EntryFactory(patient=PatientFactory(), shared=True))
    with pytest.raises(ProtectedError):
        note.author.delete()


def test_the_admin_offers_no_delete(admin_client, patient, therapist, sams_records):
    for person in (patient, therapist):
        assert "deletelink" not in admin_client.get(user_change_url(person)).content.decode()
        delete_url = reverse("admin:accounts_user_delete", args=[person.pk])
        assert admin_client.get(delete_url).status_code == 403
        assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "delete_selected" not in changelist
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [patient.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    session = sams_records["session"]
    session_delete = reverse("admin:journal_administrationsession_delete", args=[session.pk])
    assert admin_client.post(session_delete, {"post": "yes"}).status_code == 403
    patient.refresh_from_db()
    therapist.refresh_from_db()
    assert AdministrationSession.objects.filter(pk=session.pk).exists()
    assert CareTeamQuestion.objects.filter(consent__patient=patient).exists()


def test_the_admin_deactivates_instead(
    admin_client, clinic_admin, patient, therapist, sams_records
):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "deactivate_accounts",
            "_selected_action": [patient.pk, therapist.pk, clinic_admin.pk],
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Deactivated 2 account(s)." in page
    assert "You cannot deactivate your own account." in page
    patient.refresh_from_db()
    therapist.refresh_from_db()
    clinic_admin.refresh_from_db()
    assert not patient.is_active and not therapist.is_active
    assert clinic_admin.is_active
    # Everything they wrote, and who wrote it, is still there.
    assert AdministrationSession.objects.filter(patient=patient, recorded_by=therapist).exists()

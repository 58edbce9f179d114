"""A therapist invites a new patient, who sets a password from a one-time link on their phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CareTeamMembership, Invitation, User
from tests.factories.accounts import PatientFactory, invitation_for

NEW_PASSWORD = "sunrise-over-the-river-42"


def accept(client, token, password=NEW_PASSWORD, again=None):
    return client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"new_password1": password, "new_password2": again or password},
    )


@pytest.fixture
def invited_patient(therapist):
    return PatientFactory(first_name="Ana", last_name="Lopez", invited=True, care_team=[therapist])


def test_therapist_adds_a_patient_who_gets_an_emailed_link(
    client, therapist, mailoutbox, run_worker
):
    client.force_login(therapist)
    response = client.post(
        reverse("care:patient_add"),
        {"first_name": " Ana ", "last_name": "Lopez", "email": "Ana.Lopez@Example.com"},
    )
    patient = User.objects.get(email="ana.lopez@example.com")
    assert response.status_code == 303
    assert patient.is_patient and not patient.has_joined
    assert patient.first_name == "Ana"
    assert CareTeamMembership.objects.filter(patient=patient, therapist=therapist).exists()
    run_worker()  # the worker delivers the mail
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.lopez@example.com"]
    emailed_link = next(w for w in mailoutbox[0].body.split() if "/welcome/" in w)

    # Whoever holds the link can become the patient: the therapist never sees it.
    for url in (response["Location"], reverse("care:patient", args=[patient.public_id])):
        page = client.get(url).content.decode()
        assert emailed_link not in page
        assert "/welcome/" not in page


def test_adding_a_patient_with_a_taken_email_creates_nothing(client, therapist, other_patient):
    client.force_login(therapist)
    response = client.post(
        reverse("care:patient_add"),
        {"first_name": "Grace", "last_name": "Kim", "email": other_patient.email.upper()},
    )
    # The same answer as for a new address (tests/care/test_add_patient.py compares them).
    assert response.status_code == 303
    # Typing someone's email never pulls them into this therapist's care.
    assert not CareTeamMembership.objects.filter(
        patient=other_patient, therapist=therapist
    ).exists()


def test_adding_a_patient_with_empty_fields_shows_each_problem(client, therapist):
    client.force_login(therapist)
    response = client.post(reverse("care:patient_add"), {"first_name": "", "email": "nope"})
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("This field is required") == 2
    assert "Enter a valid email address" in page


def test_patient_name_with_html_is_shown_as_text(client, therapist):
    client.force_login(therapist)
    client.post(
        reverse("care:patient_add"),
        {"first_name": "<script>alert(1)</script>", "last_name": "X", "email": "x@example.com"},
    )
    page = client.get(reverse("care:roster")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_new_patient_sets_a_password_and_lands_on_their_home(client, invited_patient):
    _, token = invitation_for(invited_patient)
    page = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert "Welcome, Ana" in page.content.decode()

    response = accept(client, token)
    assert response.status_code == 303
    invited_patient.refresh_from_db()
    assert invited_patient.check_password(NEW_PASSWORD)
    assert client.get(reverse("care:patient_home")).status_code == 200


def test_a_used_link_is_refused_with_a_clear_message(client, invited_patient):
    _, token = invitation_for(invited_patient)
    accept(client, token)
    client.logout()

    response = accept(client, token, password="someone-else-typing-99")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    invited_patient.refresh_from_db()
    assert invited_patient.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_with_a_clear_message(client, invited_patient):
    invitation, token = invitation_for(invited_patient)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()

    response = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "has expired" in page
    assert "Ask your therapist to send you a new invitation link" in page
    assert accept(client, token).status_code == 410
    invited_patient.refresh_from_db()
    assert not invited_patient.has_joined


def test_an_unknown_link_is_a_kind_404(client, db):
    response = client.get(reverse("accounts:invitation_accept", args=["made-up-token"]))
    assert response.status_code == 404
    assert "could not find this invitation link" in response.content.decode()


def test_a_newer_invitation_replaces_the_older_one(client, therapist, invited_patient):
    _, old_token = invitation_for(invited_patient)
    client.force_login(therapist)
    client.post(reverse("care:invitation_resend", args=[invited_patient.public_id]))
    client.logout()

    response = client.get(reverse("accounts:invitation_accept", args=[old_token]))
    assert response.status_code == 410
    assert "replaced by a newer one" in response.content.decode()
    assert Invitation.objects.pending().filter(patient=invited_patient).count() == 1


def test_mismatched_passwords_keep_the_link_usable(client, invited_patient):
    _, token = invitation_for(invited_patient)
    response = accept(client, token, again="something-different-1")
    assert response.status_code == 422
    assert "didn’t match" in response.content.decode()
    assert accept(client, token).status_code == 303


def test_a_weak_password_is_refused_with_the_reason(client, invited_patient):
    _, token = invitation_for(invited_patient)
    response = accept(client, token, password="12345678")
    assert response.status_code == 422
    assert "too common" in response.content.decode()


def test_other_therapist_cannot_resend_an_invitation_for_my_patient(
    client, other_therapist, invited_patient, mailoutbox, run_worker
):
    client.force_login(other_therapist)
    url = reverse("care:invitation_resend", args=[invited_patient.public_id])
    assert client.post(url).status_code == 404
    run_worker()  # the worker delivers the mail
    assert mailoutbox == []


def test_resend_needs_a_post(client, therapist, invited_patient):
    client.force_login(therapist)
    url = reverse("care:invitation_resend", args=[invited_patient.public_id])
    assert client.get(url).status_code == 405

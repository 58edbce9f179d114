"""Account services, called directly: inviting a patient and spending the link once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role
from tests.factories.accounts import PatientFactory

BASE_URL = "https://clinic.example/"


def test_inviting_a_patient_puts_them_in_the_therapists_care_and_emails_one_link(
    therapist, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        patient, link = services.invite_patient(
            therapist=therapist,
            first_name="Ada",
            last_name="Quinn",
            email="ada@example.com",
            base_url=BASE_URL,
        )

    assert patient.role == Role.PATIENT and not patient.has_usable_password()
    assert list(patient.care_team_memberships.values_list("therapist", flat=True)) == [therapist.pk]
    assert link.startswith(BASE_URL + "welcome/")
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
    assert link in mailoutbox[0].body


def test_only_a_hash_of_the_token_is_stored(patient):
    invitation, raw_token = services.issue_invitation(patient=patient, invited_by=None)

    assert raw_token not in invitation.token_hash
    assert Invitation.objects.find_by_token(raw_token) == invitation


def test_a_new_link_replaces_the_older_one(therapist):
    patient = PatientFactory(invited=True, care_team=[therapist])
    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    first = patient.invitations.get()

    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)

    first.refresh_from_db()
    assert first.problem == Invitation.Problem.REVOKED
    assert patient.invitations.pending().count() == 1


def test_accepting_sets_the_password_and_spends_the_link(therapist):
    patient = PatientFactory(invited=True, care_team=[therapist])
    invitation, _ = services.issue_invitation(patient=patient, invited_by=therapist)

    services.accept_invitation(invitation=invitation, password="a-long-new-pass-42")

    patient.refresh_from_db()
    assert patient.check_password("a-long-new-pass-42")
    invitation.refresh_from_db()
    assert invitation.problem == Invitation.Problem.USED


def test_a_link_spent_in_another_tab_cannot_set_a_second_password(therapist):
    patient = PatientFactory(invited=True, care_team=[therapist])
    invitation, _ = services.issue_invitation(patient=patient, invited_by=therapist)
    stale = Invitation.objects.get(pk=invitation.pk)  # the second tab's copy, not yet spent
    services.accept_invitation(invitation=invitation, password="first-tab-pass-42")

    with pytest.raises(ValidationError, match="already been used"):
        services.accept_invitation(invitation=stale, password="second-tab-pass-42")

    patient.refresh_from_db()
    assert patient.check_password("first-tab-pass-42")


def test_an_expired_link_is_refused(therapist):
    patient = PatientFactory(invited=True, care_team=[therapist])
    invitation, _ = services.issue_invitation(patient=patient, invited_by=therapist)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)

    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(invitation=invitation, password="too-late-pass-42")

"""Account services, called directly: inviting a patient, spending the link once, and what
the clinic admin does to accounts (email changes, reset emails, deactivation)."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, CareTeamMembership, Invitation, Role, User
from tests.factories.accounts import ClinicAdminFactory, PatientFactory

BASE_URL = "https://clinic.example/"


def test_inviting_a_patient_puts_them_in_the_therapists_care_and_emails_one_link(
    therapist, mailoutbox, run_worker
):
    patient = services.invite_patient(
        therapist=therapist,
        first_name="Ada",
        last_name="Quinn",
        email="ada@example.com",
        base_url=BASE_URL,
    )

    assert patient.role == Role.PATIENT and not patient.has_usable_password()
    assert list(patient.care_team_memberships.values_list("therapist", flat=True)) == [therapist.pk]
    run_worker()  # the worker delivers the mail
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
    assert BASE_URL + "welcome/" in mailoutbox[0].body


def test_no_invitation_service_hands_the_link_to_its_caller(therapist, mailoutbox):
    # Whoever gets the link can become the patient; only the patient's mailbox gets it.
    patient = PatientFactory(invited=True, care_team=[therapist])
    invitation = services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    assert isinstance(invitation, Invitation)
    assert (
        services.add_patient_to_care(
            therapist=therapist,
            first_name="Ada",
            last_name="Quinn",
            email="ada@example.com",
            base_url=BASE_URL,
        )
        is None
    )


def test_adding_a_taken_email_asks_the_admins_and_creates_nothing(
    therapist, other_patient, mailoutbox, run_worker
):
    admin = ClinicAdminFactory()
    services.add_patient_to_care(
        therapist=therapist,
        first_name="Grace",
        last_name="Kim",
        email=f"  {other_patient.email.upper()} ",
        base_url=BASE_URL,
    )

    assert not CareTeamMembership.objects.filter(patient=other_patient, therapist=therapist)
    assert not other_patient.invitations.exists()
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[admin.email]]
    assert BASE_URL + f"admin/accounts/user/{other_patient.pk}/change/" in mailoutbox[0].body


def test_adding_my_own_patient_again_bothers_nobody(therapist, patient, mailoutbox, run_worker):
    ClinicAdminFactory()
    services.add_patient_to_care(
        therapist=therapist,
        first_name="Sam",
        last_name="Rivera",
        email=patient.email,
        base_url=BASE_URL,
    )
    run_worker()  # the worker delivers the mail
    assert mailoutbox == []


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


# --- What the clinic admin does to accounts --------------------------------------------


def test_changing_an_email_tells_the_old_and_the_new_address(patient, mailoutbox, run_worker):
    old_email = patient.email
    EmailAddress.objects.create(user=patient, email=old_email, primary=True, verified=True)
    services.change_email(user=patient, new_email=" Sam.New@Example.com ")

    patient.refresh_from_db()
    assert patient.email == "sam.new@example.com"
    run_worker()  # the worker delivers the mail
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([old_email, "sam.new@example.com"])
    to_old = next(mail for mail in mailoutbox if mail.to == [old_email])
    # The old mailbox may be the reason for the change: it does not learn the new address.
    assert "sam.new@example.com" not in to_old.body
    # allauth no longer finds the account by its old address (login, password reset).
    assert not EmailAddress.objects.filter(email=old_email).exists()


def test_an_email_another_account_uses_is_refused(patient, other_patient, mailoutbox, run_worker):
    with pytest.raises(ValidationError):
        services.change_email(user=patient, new_email=other_patient.email)
    run_worker()  # the worker delivers the mail
    assert mailoutbox == []


def test_a_reset_email_goes_to_the_person_and_a_deactivated_one_gets_none(
    rf, therapist, mailoutbox, run_worker
):
    request = rf.get("/admin/")
    assert services.send_password_reset(user=therapist, request=request)
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[therapist.email]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body

    therapist.is_active = False
    therapist.save()
    assert not services.send_password_reset(user=therapist, request=request)
    assert len(mailoutbox) == 1


def test_deactivating_closes_logins_and_links_but_keeps_the_account(therapist):
    patient = PatientFactory(invited=True, care_team=[therapist])
    services.send_invitation(patient=patient, invited_by=therapist, base_url=BASE_URL)
    ApiToken.objects.create(user=therapist, device_name="Maya's phone")

    count = services.deactivate_accounts(
        users=User.objects.filter(pk__in=[patient.pk, therapist.pk])
    )

    assert count == 2
    assert not User.objects.filter(pk__in=[patient.pk, therapist.pk], is_active=True).exists()
    assert not patient.invitations.pending().exists()
    assert not ApiToken.objects.filter(user=therapist).exists()
    assert User.objects.filter(pk=patient.pk).exists()

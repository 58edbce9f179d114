"""API tokens at rest and over time: hashed, one per device, gone with the password.

The services are called directly to set the scene; the API and the "Your devices" page
are used as the person (or the attacker) would.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import update_last_login
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import accept_invitation
from accounts.tokens import devices_of, issue_token, revoke_device
from tests.factories.accounts import TEST_PASSWORD, PatientFactory, invitation_for

NEW_PASSWORD = "a-brand-new-long-passphrase"


def works(token):
    """True if the API accepts this token right now."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api.get("/api/v1/me/").status_code == 200


@pytest.fixture
def sams_phone(patient):
    return issue_token(user=patient, device_name="Sam's iPhone")


@pytest.fixture
def sams_tablet(patient):
    return issue_token(user=patient, device_name="Sam's iPad")


# --- At rest ---------------------------------------------------------------------------


def test_the_database_holds_only_a_hash_of_the_token(sams_phone):
    row = ApiToken.objects.values().get(public_id=sams_phone.device.public_id)
    assert row["digest"] == hash_token(sams_phone.token)
    for column, value in row.items():
        assert sams_phone.token not in str(value), column
    # knox keeps the first characters to find the row: not enough to use it.
    assert len(row["token_key"]) < len(sams_phone.token) / 4


def test_a_stolen_token_row_cannot_be_used(sams_phone):
    row = ApiToken.objects.get(public_id=sams_phone.device.public_id)
    assert not works(row.digest)
    assert not works(row.token_key)
    assert works(sams_phone.token)


# --- Over time -------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_days(sams_phone, settings):
    expected = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]
    assert abs(sams_phone.device.expires_at - expected) < timedelta(minutes=1)
    assert settings.REST_KNOX["TOKEN_TTL"] == timedelta(days=30)


def test_a_token_stops_working_once_it_expires(sams_phone):
    ApiToken.objects.filter(public_id=sams_phone.device.public_id).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )
    assert not works(sams_phone.token)
    # knox deletes it on sight; it leaves Sam's list too.
    assert not ApiToken.objects.filter(public_id=sams_phone.device.public_id).exists()


def test_using_the_app_does_not_extend_the_token(sams_phone):
    before = sams_phone.device.expires_at
    assert works(sams_phone.token)
    assert ApiToken.objects.get(public_id=sams_phone.device.public_id).expiry == before


def test_last_use_is_noted_for_the_devices_list(patient, sams_phone, sams_tablet):
    works(sams_phone.token)
    used = {device.name: device.last_used_at for device in devices_of(patient)}
    assert used["Sam's iPhone"] is not None
    assert used["Sam's iPad"] is None


def test_noting_last_use_costs_no_write_on_every_request(sams_phone, django_assert_num_queries):
    works(sams_phone.token)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {sams_phone.token}")
    # The token (with its user), the user's other tokens (knox's cleanup): no UPDATE.
    with django_assert_num_queries(2):
        assert api.get("/api/v1/me/").status_code == 200


# --- Revoked when the password changes or the account is deactivated --------------------


def test_changing_the_password_on_the_web_logs_out_every_device(
    client, patient, sams_phone, sams_tablet
):
    client.force_login(patient)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(sams_phone.token)
    assert not works(sams_tablet.token)
    assert not ApiToken.objects.filter(user=patient).exists()


def test_a_password_reset_from_the_emailed_link_logs_out_every_device(
    client, patient, sams_phone, mailoutbox, run_worker
):
    # Sam's phone was stolen; from a borrowed computer he resets his password.
    client.post(reverse("account_reset_password"), {"email": patient.email})
    run_worker()  # the worker delivers the mail
    link = next(word for word in mailoutbox[0].body.split() if "/password/reset/key/" in word)
    response = client.get(link.split("testserver", 1)[-1], follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not works(sams_phone.token)


def test_a_password_set_from_an_invitation_logs_out_every_device(therapist):
    invited = PatientFactory(care_team=[therapist])
    token = issue_token(user=invited, device_name="Old phone")
    invitation, _ = invitation_for(invited, invited_by=therapist)
    accept_invitation(invitation=invitation, password=NEW_PASSWORD)
    assert not works(token.token)


def test_deactivating_the_account_logs_out_every_device(patient, sams_phone):
    patient.is_active = False
    patient.save()
    assert not ApiToken.objects.filter(user=patient).exists()
    # Reactivated, the old token stays dead: Sam logs in again.
    patient.is_active = True
    patient.save()
    assert not works(sams_phone.token)


def test_the_admins_deactivate_action_logs_out_every_device(client, clinic_admin, patient):
    sams_phone = issue_token(user=patient, device_name="Sam's iPhone")
    client.force_login(clinic_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_accounts", "_selected_action": [patient.pk]},
    )
    patient.refresh_from_db()
    assert not patient.is_active
    assert not ApiToken.objects.filter(user=patient).exists()
    patient.is_active = True
    patient.save()
    assert not works(sams_phone.token)


def test_other_changes_to_the_account_leave_devices_logged_in(patient, sams_phone):
    patient.first_name = "Samuel"
    patient.save()
    update_last_login(None, patient)  # logging in on the web, for example
    assert works(sams_phone.token)


def test_one_persons_password_change_leaves_other_peoples_devices_alone(
    patient, other_patient, sams_phone
):
    graces = issue_token(user=other_patient, device_name="Grace's phone")
    patient.set_password(NEW_PASSWORD)
    patient.save()
    assert not works(sams_phone.token)
    assert works(graces.token)


# --- Revoking one device ---------------------------------------------------------------


def test_revoking_one_device_leaves_the_other_working(patient, sams_phone, sams_tablet):
    revoke_device(user=patient, public_id=sams_phone.device.public_id)
    assert not works(sams_phone.token)
    assert works(sams_tablet.token)


def test_grace_cannot_revoke_sams_device(other_patient, sams_phone):
    from django.http import Http404

    with pytest.raises(Http404):
        revoke_device(user=other_patient, public_id=sams_phone.device.public_id)
    assert works(sams_phone.token)


# --- The "Your devices" page -------------------------------------------------------------


def test_sam_sees_his_devices_on_the_web(client, patient, sams_phone, sams_tablet):
    client.force_login(patient)
    page = client.get(reverse("accounts:devices")).content.decode()
    assert "Sam&#x27;s iPhone" in page
    assert "Sam&#x27;s iPad" in page
    assert "Log out Sam&#x27;s iPhone" in page
    assert "Not used yet" in page
    assert "Stays logged in until" in page


def test_the_devices_page_costs_the_same_queries_for_one_device_or_many(
    client, patient, django_assert_max_num_queries
):
    client.force_login(patient)
    issue_token(user=patient, device_name="Phone")
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("accounts:devices"))
    for number in range(5):
        issue_token(user=patient, device_name=f"Tablet {number}")
    with django_assert_max_num_queries(10) as many:
        client.get(reverse("accounts:devices"))

    # The session may note the person's activity on one request and not the other
    # (common.middleware.idle_logout); what must not grow is the reading of devices.
    def device_queries(captured):
        return [query for query in captured.captured_queries if "apitoken" in query["sql"]]

    assert len(device_queries(many)) == len(device_queries(one)) == 1


def test_someone_without_devices_is_told_how_the_list_fills(client, patient):
    client.force_login(patient)
    page = client.get(reverse("accounts:devices")).content.decode()
    assert "not logged in on any device" in page


def test_sam_logs_out_his_lost_phone_on_the_web(client, patient, sams_phone, sams_tablet):
    client.force_login(patient)
    response = client.post(reverse("accounts:device_revoke", args=[sams_phone.device.public_id]))
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:devices")
    page = client.get(response["Location"]).content.decode()
    assert "Sam&#x27;s iPhone is logged out" in page
    assert not works(sams_phone.token)
    assert works(sams_tablet.token)


def test_grace_cannot_log_out_sams_phone_on_the_web(client, other_patient, sams_phone):
    client.force_login(other_patient)
    response = client.post(reverse("accounts:device_revoke", args=[sams_phone.device.public_id]))
    assert response.status_code == 404
    assert works(sams_phone.token)
    page = client.get(reverse("accounts:devices")).content.decode()
    assert "Sam" not in page


def test_the_revoke_button_needs_a_post(client, patient, sams_phone):
    client.force_login(patient)
    response = client.get(reverse("accounts:device_revoke", args=[sams_phone.device.public_id]))
    assert response.status_code == 405
    assert works(sams_phone.token)


def test_the_revoke_button_needs_the_csrf_token(patient, sams_phone):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(patient)
    response = browser.post(reverse("accounts:device_revoke", args=[sams_phone.device.public_id]))
    assert response.status_code == 403
    assert works(sams_phone.token)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("accounts:devices"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

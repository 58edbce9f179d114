"""Logins, logouts and changes to an account are in the audit trail: who, what, when, where.

Each story acts as the person would (the login form, the logout button, the admin) and
then reads the trail the clinic admin would search.
"""

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import issue_token
from audit.models import AuditEvent, Kind
from common.middleware import LAST_ACTIVITY
from tests.factories.accounts import (
    TEST_PASSWORD,
    PatientFactory,
    TherapistFactory,
    current_code,
    invitation_for,
)

NEW_PASSWORD = "sunrise-over-the-river-42"


def kinds(**filters):
    return list(AuditEvent.objects.filter(**filters).in_order().values_list("kind", flat=True))


def last(kind):
    return AuditEvent.objects.filter(kind=kind).in_order().last()


def log_in(client, email, password=TEST_PASSWORD, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


# --- Logging in and out ---------------------------------------------------------------


def test_a_login_is_recorded_with_the_address_it_came_from(client, patient):
    log_in(client, patient.email, REMOTE_ADDR="198.51.100.20")
    event = last(Kind.LOGIN_SUCCEEDED)
    assert event.actor == patient
    assert event.patient == patient
    assert event.ip_address == "198.51.100.20"


def test_behind_the_clinics_proxy_the_address_is_the_one_the_proxy_saw(client, patient, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The phone wrote its own X-Forwarded-For entry; only the proxy's last one is believed.
    log_in(
        client,
        patient.email,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50",
    )
    assert last(Kind.LOGIN_SUCCEEDED).ip_address == "203.0.113.50"


def test_a_refused_login_keeps_the_email_tried_but_never_the_password(client, patient):
    log_in(client, patient.email, "guess-number-one")
    event = last(Kind.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_email == patient.email
    assert event.patient == patient
    assert "guess-number-one" not in event.canonical()


def test_a_login_to_an_address_nobody_has_is_recorded_too(client, db):
    log_in(client, "nobody@example.com", "anything-at-all")
    event = last(Kind.LOGIN_FAILED)
    assert (event.actor_email, event.patient) == ("nobody@example.com", None)


def test_the_lockout_is_recorded(client, patient, settings):
    for attempt in range(settings.LOGIN_ATTEMPTS_LIMIT):
        log_in(client, patient.email, f"wrong-{attempt}")
    log_in(client, patient.email)  # the right password, too late
    assert "_auth_user_id" not in client.session
    assert last(Kind.LOCKED_OUT).actor_email == patient.email


def test_staff_login_is_recorded_once_the_code_is_accepted(client, therapist):
    log_in(client, therapist.email)
    assert kinds(kind=Kind.LOGIN_SUCCEEDED) == []
    client.post(reverse("mfa_authenticate"), {"code": current_code(therapist.totp_secret)})
    assert last(Kind.LOGIN_SUCCEEDED).actor == therapist


def test_a_wrong_code_after_the_right_password_is_a_refused_login(client, therapist):
    log_in(client, therapist.email)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    event = last(Kind.LOGIN_FAILED)
    assert (event.actor, event.actor_email, event.detail) == (
        None,
        therapist.email,
        {"step": "code"},
    )
    assert kinds(kind=Kind.LOGIN_SUCCEEDED) == []


def test_logging_out_is_recorded(client, patient):
    client.force_login(patient)
    client.post(reverse("account_logout"))
    assert last(Kind.LOGGED_OUT).actor == patient


def test_a_logout_when_idle_time_ran_out_is_recorded_as_such(client, patient):
    client.force_login(patient)
    client.get(reverse("journal:timeline"))
    session = client.session
    session[LAST_ACTIVITY] -= 31 * 60
    session.save()
    client.get(reverse("journal:timeline"))
    assert last(Kind.IDLE_LOGOUT).actor == patient
    assert kinds(kind=Kind.LOGGED_OUT) == []


def test_the_idle_pages_own_logout_is_recorded_as_idle(client, patient):
    client.force_login(patient)
    client.post(reverse("account_logout"), {"reason": "idle"})
    assert last(Kind.IDLE_LOGOUT).actor == patient


# --- Changing credentials -------------------------------------------------------------


def test_a_password_change_is_recorded(client, patient):
    client.force_login(patient)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a-brand-new-long-passphrase",
            "password2": "a-brand-new-long-passphrase",
        },
    )
    assert last(Kind.PASSWORD_CHANGED).actor == patient


def test_setting_up_two_factor_is_recorded(client, transactional_db):
    # allauth announces a new authenticator once its transaction commits, still within
    # the request: a test that really commits sees it as the server does.
    newcomer = TherapistFactory(two_factor=False)
    log_in(client, newcomer.email)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    added = AuditEvent.objects.filter(kind=Kind.TWO_FACTOR_ADDED, actor=newcomer)
    # The authenticator app, and the recovery codes allauth makes with it.
    assert sorted(event.detail["type"] for event in added) == ["recovery_codes", "totp"]


def test_app_tokens_issued_and_revoked_are_recorded(patient):
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/",
        {"email": patient.email, "password": TEST_PASSWORD, "device_name": "Sam's phone"},
        format="json",
    )
    assert response.status_code in (200, 201)
    issued = last(Kind.TOKEN_ISSUED)
    assert issued.actor == patient
    assert issued.ip_address == "127.0.0.1"

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert api.delete("/api/v1/auth/token/").status_code in (200, 204)
    revoked = last(Kind.TOKEN_REVOKED)
    assert (revoked.actor, revoked.object_id) == (patient, issued.object_id)


def test_tokens_revoked_by_a_password_change_are_recorded(patient):
    issue_token(user=patient, device_name="Sam's phone")
    patient.set_password("a-brand-new-long-passphrase")
    patient.save()
    assert last(Kind.TOKEN_REVOKED).detail == {"reason": "password changed or deactivated"}


# --- Invitations and the admin ---------------------------------------------------------


def test_an_invitation_sent_and_accepted_is_recorded(client, therapist):
    client.force_login(therapist)
    # The two-factor note is made at login; force_login skips it.
    session = client.session
    session["accounts:has-two-factor"] = True
    session.save()
    client.post(
        reverse("care:patient_add"),
        {"first_name": "Ana", "last_name": "Lopez", "email": "ana@example.com"},
    )
    sent = last(Kind.INVITATION_SENT)
    assert sent.actor == therapist
    assert sent.patient.email == "ana@example.com"

    invited = PatientFactory(invited=True, care_team=[therapist])
    _, token = invitation_for(invited)
    client.logout()
    client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {
            "new_password1": "sunrise-over-the-river-42",
            "new_password2": "sunrise-over-the-river-42",
        },
    )
    accepted = last(Kind.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.patient) == (invited, invited)


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    session = client.session
    session["accounts:has-two-factor"] = True
    session.save()
    return client


def test_a_change_in_the_admin_is_recorded_with_the_fields_but_not_their_values(
    admin_client, clinic_admin, patient
):
    url = reverse("admin:accounts_user_change", args=[patient.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "first_name": "Samuel",
            "care_team_memberships-TOTAL_FORMS": "0",
            "care_team_memberships-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = last(Kind.ADMIN_CHANGED)
    assert event.actor == clinic_admin
    assert event.patient == patient
    assert event.object_id == str(patient.public_id)
    assert event.detail["action"] == "changed"
    assert "First name" in event.detail["fields"] or "first_name" in event.detail["fields"]
    assert "Samuel" not in event.canonical()


def test_deactivating_an_account_is_recorded(admin_client, clinic_admin, patient):
    admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_accounts", "_selected_action": [patient.pk]},
    )
    event = last(Kind.ACCOUNT_DEACTIVATED)
    assert (event.actor, event.patient) == (clinic_admin, patient)

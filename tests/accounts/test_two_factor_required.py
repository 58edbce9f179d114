"""Therapists and the clinic admin open many patients' records: they log in with two steps.

A stolen therapist password alone opens nothing, and the admin's own login page is no
side door around it.
"""

from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from tests.factories.accounts import (
    TEST_PASSWORD,
    ClinicAdminFactory,
    TherapistFactory,
    current_code,
)


def _log_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_stolen_therapist_password_alone_opens_no_record(client, therapist, patient):
    response = _log_in(client, therapist.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("care:roster"))["Location"].startswith(reverse("account_login"))


def test_a_wrong_code_is_refused(client, therapist):
    _log_in(client, therapist.email)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_code_cannot_be_used_twice(client, therapist):
    _log_in(client, therapist.email)
    code = current_code(therapist.totp_secret)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(therapist.pk)

    client.logout()
    _log_in(client, therapist.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session


def test_a_therapist_without_two_factor_is_led_to_set_it_up_before_any_page(client, patient):
    newcomer = TherapistFactory(two_factor=False)
    client.post(reverse("account_login"), {"login": newcomer.email, "password": TEST_PASSWORD})

    for page in (reverse("care:roster"), reverse("care:patient", args=[patient.public_id])):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/patients/").status_code == 403

    # Setting up two-factor is a change to the account: the password is asked once more.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert client.get(reverse("care:roster")).status_code == 200


def test_a_clinic_admin_without_two_factor_cannot_open_the_admin(client, db):
    admin = ClinicAdminFactory(two_factor=False)
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_patients_may_choose_two_factor_but_need_not(client, patient):
    client.post(reverse("account_login"), {"login": patient.email, "password": TEST_PASSWORD})
    assert client.get(reverse("care:patient_home")).status_code == 200


def test_the_admin_login_page_is_no_way_around_the_second_step(client, clinic_admin):
    # Django's own admin login would log in with the password alone.
    page = client.get(reverse("admin:login"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))

    client.post(
        reverse("admin:login"),
        {"username": clinic_admin.email, "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_the_admin_login_is_rate_limited_like_every_login(client, clinic_admin):
    for _ in range(5):
        _log_in(client, clinic_admin.email, "not-the-password")
    refused = _log_in(client, clinic_admin.email)
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()

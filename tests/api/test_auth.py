"""Native apps obtain a token with email and password, use it, and revoke it."""

import time

import pytest
from django.test import override_settings

from tests.factories.accounts import TEST_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"


def obtain(api, email, password=TEST_PASSWORD, **extra):
    return api.post(TOKEN_URL, {"email": email, "password": password, **extra}, format="json")


def test_patient_obtains_a_token_and_uses_it(api, patient):
    response = obtain(api, patient.email.upper())
    assert response.status_code == 200
    assert response.json()["user"]["role"] == "patient"
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == patient.email


def test_a_wrong_password_gets_a_clear_json_error(api, patient):
    response = obtain(api, patient.email, "wrong-password")
    assert response.status_code == 400
    assert response.json() == {
        "message": "The email or password is not correct.",
        "errors": {"non_field_errors": ["The email or password is not correct."]},
    }


def test_missing_fields_are_listed_field_by_field(api, db):
    response = api.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "password"}


def test_a_token_is_refused_once_its_user_is_deactivated(api, patient):
    token = obtain(api, patient.email).json()["token"]
    patient.is_active = False
    patient.save()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["message"]


def test_a_revoked_token_stops_working(api, patient):
    token = obtain(api, patient.email).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.delete(TOKEN_URL).status_code == 204
    assert api.get("/api/v1/me/").status_code == 401


def test_anonymous_requests_get_401_json(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert "message" in response.json()


@override_settings(API_AUTH_RATE="3/minute")
def test_password_guessing_is_throttled(api, patient):
    for _ in range(3):
        obtain(api, patient.email, "guess")
    response = obtain(api, patient.email)
    assert response.status_code == 429
    assert "message" in response.json()


@override_settings(API_WRITE_RATE="2/minute")
def test_writes_are_throttled_but_reads_are_not(api_as, patient, consent_version):
    client = api_as(patient)
    for _ in range(2):
        assert client.post("/api/v1/consent/start/").status_code == 200
    assert client.post("/api/v1/consent/start/").status_code == 429
    assert client.get("/api/v1/consent/").status_code == 200


@pytest.mark.django_db
def test_a_two_factor_account_needs_its_code(api, patient):
    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
    )

    secret = generate_totp_secret()
    TOTP.activate(patient, secret)
    assert Authenticator.objects.filter(user=patient).exists()
    refused = obtain(api, patient.email)
    assert refused.status_code == 400
    assert "code" in refused.json()["errors"]
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(secret, counter))
    assert obtain(api, patient.email, code=code).status_code == 200

"""Two-factor secrets are encrypted at rest, and staff cannot switch their two-factor off.

Whoever reads a copy of the database (a backup, a leaked dump) gets the password hashes
and, without MFA_ENCRYPTION_KEY, nothing that makes the codes: the second factor holds.
"""

import importlib
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.adapters import ClinicMFAAdapter
from tests.factories.accounts import TEST_PASSWORD, PatientFactory, current_code

MIGRATION = importlib.import_module("accounts.migrations.0003_encrypt_two_factor_secrets")


def stored_totp(user):
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


def log_in_with_code(client, user):
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": current_code(user.totp_secret)})


def switch_off_two_factor(client):
    """allauth asks for the password again first; then the switch itself."""
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    return client.post(reverse("mfa_deactivate_totp"))


# --- Encrypted at rest -------------------------------------------------------------------


def test_the_database_does_not_hold_the_plain_totp_secret(therapist, settings):
    stored = stored_totp(therapist)
    assert therapist.totp_secret not in json.dumps(stored.data)
    key = Fernet(settings.MFA_ENCRYPTION_KEY)
    assert key.decrypt(stored.data["secret"].encode()).decode() == therapist.totp_secret


def test_a_therapist_still_logs_in_on_the_web_with_a_code(client, therapist):
    response = log_in_with_code(client, therapist)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == therapist.pk


def test_a_therapist_still_logs_in_to_the_app_with_a_code(therapist):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {
            "email": therapist.email,
            "password": TEST_PASSWORD,
            "code": current_code(therapist.totp_secret),
            "device_name": "Maya's iPad",
        },
        format="json",
    )
    assert response.status_code == 200


def test_recovery_code_seeds_are_encrypted_too(therapist):
    codes = RecoveryCodes.activate(therapist)
    seed = Authenticator.objects.get(user=therapist, type=Authenticator.Type.RECOVERY_CODES)
    assert seed.data["seed"].startswith("gAAAAA")  # a Fernet token, not the hex seed
    assert codes.validate_code(codes.get_unused_codes()[0])


def test_a_stolen_database_without_the_key_gives_no_codes(therapist, settings):
    settings.MFA_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(ImproperlyConfigured):
        TOTP(stored_totp(therapist)).validate_code(current_code(therapist.totp_secret))


def test_the_key_can_be_rotated_by_listing_the_new_one_first(therapist, settings):
    old_key = settings.MFA_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEY = f"{new_key},{old_key}"
    # Secrets from before still work; new ones are written with the new key.
    assert TOTP(stored_totp(therapist)).validate_code(current_code(therapist.totp_secret))
    assert Fernet(new_key).decrypt(ClinicMFAAdapter().encrypt("JBSWY3DPEHPK3PXP").encode())


# --- The migration that encrypted the secrets stored before ------------------------------


def test_the_migration_encrypts_plain_secrets_and_can_be_reversed(patient):
    secret = generate_totp_secret()
    # As allauth stored it before the clinic's adapter: in plain text.
    plain = Authenticator.objects.create(
        user=patient, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    MIGRATION.encrypt_secrets(apps, None)
    plain.refresh_from_db()
    assert secret not in json.dumps(plain.data)
    assert ClinicMFAAdapter().decrypt(plain.data["secret"]) == secret

    # Run twice, nothing changes: an encrypted secret is not encrypted again.
    encrypted_once = plain.data["secret"]
    MIGRATION.encrypt_secrets(apps, None)
    plain.refresh_from_db()
    assert plain.data["secret"] == encrypted_once

    MIGRATION.decrypt_secrets(apps, None)
    plain.refresh_from_db()
    assert plain.data == {"secret": secret}


# --- Staff keep their two-factor ----------------------------------------------------------


def test_a_therapist_cannot_switch_off_their_authenticator_app(client, therapist):
    log_in_with_code(client, therapist)
    response = switch_off_two_factor(client)
    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=therapist, type=Authenticator.Type.TOTP).exists()


def test_a_clinic_admin_cannot_switch_off_theirs_either(clinic_admin):
    adapter = ClinicMFAAdapter()
    assert not adapter.can_delete_authenticator(stored_totp(clinic_admin))


def test_a_patient_may_switch_off_the_two_factor_they_chose(client, db):
    sam = PatientFactory()
    sam.totp_secret = generate_totp_secret()
    TOTP.activate(sam, sam.totp_secret)
    log_in_with_code(client, sam)
    response = switch_off_two_factor(client)
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=sam, type=Authenticator.Type.TOTP).exists()

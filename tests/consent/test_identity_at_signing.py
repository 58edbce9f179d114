"""Signing asks who you are again (21 CFR 11.200(a)): the password, and the code with two-factor.

A phone left unlocked on a table is still logged in. Whoever picks it up must not be able
to sign for its owner, nor use the sign page to guess the owner's password: each wrong try
counts into the same limits as a wrong login.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.identity import TooManyAttempts
from consent import services
from consent.models import Signature
from tests.factories.accounts import TEST_PASSWORD, current_code
from tests.factories.consent import read_in_order, sign_request

TOO_MANY = "Too many wrong attempts"


@pytest.fixture
def ready_to_sign(client, patient, consent_version, read_sections):
    client.force_login(patient)
    read_sections(client, consent_version)
    return client


@pytest.fixture
def patient_with_two_factor(patient):
    patient.totp_secret = generate_totp_secret()
    TOTP.activate(patient, patient.totp_secret)
    return patient


def sign(client, *, password=TEST_PASSWORD, code=None, name="Sam Rivera"):
    data = {"typed_name": name, "confirms_meaning": "on", "password": password}
    if code is not None:
        data["code"] = code
    return client.post(reverse("consent:sign"), data)


def test_the_sign_page_asks_for_the_password_and_no_code_without_two_factor(ready_to_sign):
    page = ready_to_sign.get(reverse("consent:sign")).content.decode()
    assert "Your password" in page
    assert 'autocomplete="current-password"' in page
    assert "authenticator" not in page


def test_a_patient_with_two_factor_is_asked_for_the_code_too(
    ready_to_sign, patient_with_two_factor
):
    page = ready_to_sign.get(reverse("consent:sign")).content.decode()
    assert "Your password" in page
    assert "Code from your authenticator app" in page


def test_signing_with_the_password_records_how_identity_was_confirmed(ready_to_sign, patient):
    before = timezone.now()
    assert sign(ready_to_sign).status_code == 303
    signature = Signature.objects.get(consent__patient=patient)
    assert signature.identity_confirmed_by == "password"
    assert before <= signature.identity_confirmed_at <= signature.signed_at


def test_a_wrong_password_is_refused_kindly_and_keeps_the_typed_name(ready_to_sign):
    response = sign(ready_to_sign, password="not-my-password", name="sam  rivera")
    assert response.status_code == 422
    page = response.content.decode()
    assert "That is not the password of your account." in page
    assert 'value="sam  rivera"' in page
    # The password typed is never sent back to the page.
    assert "not-my-password" not in page
    assert not Signature.objects.exists()


def test_a_missing_password_is_asked_for_without_counting_as_a_guess(ready_to_sign, patient):
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT + 1):
        response = sign(ready_to_sign, password="")
        assert response.status_code == 422
        assert "Type your password." in response.content.decode()
    assert sign(ready_to_sign).status_code == 303


def test_a_wrong_name_and_a_wrong_password_are_both_explained_at_once(ready_to_sign):
    page = sign(ready_to_sign, password="not-my-password", name="Sam Riviera").content.decode()
    assert "does not match the name on your account" in page
    assert "That is not the password of your account." in page


def test_someone_holding_an_unlocked_phone_cannot_guess_the_password(
    ready_to_sign, client, patient
):
    guesses = 0
    while True:
        response = sign(ready_to_sign, password=f"guess-{guesses}")
        assert response.status_code == 422
        if TOO_MANY in response.content.decode():
            break
        guesses += 1
        assert guesses <= settings.LOGIN_ATTEMPTS_LIMIT, "the sign page never stopped guessing"
    # As many wrong passwords as a login allows, and not one more.
    assert guesses == settings.LOGIN_ATTEMPTS_LIMIT

    # Locked: even the right password is refused, here...
    response = sign(ready_to_sign)
    assert response.status_code == 422
    assert TOO_MANY in response.content.decode()
    assert 'value="Sam Rivera"' in response.content.decode()
    assert not Signature.objects.exists()
    # ...and at the login page, which counts into the same limit.
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": patient.email, "password": TEST_PASSWORD}
    )
    assert "Too many failed login attempts" in login.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_elsewhere_count_at_the_sign_page_too(client, ready_to_sign, patient):
    other_device = Client()
    for guess in range(settings.LOGIN_ATTEMPTS_LIMIT):
        other_device.post(
            reverse("account_login"), {"login": patient.email, "password": f"g{guess}"}
        )
    response = sign(ready_to_sign)
    assert response.status_code == 422
    assert TOO_MANY in response.content.decode()
    assert not Signature.objects.exists()


def test_two_factor_patient_signs_with_password_and_code(ready_to_sign, patient_with_two_factor):
    response = sign(ready_to_sign, code=current_code(patient_with_two_factor.totp_secret))
    assert response.status_code == 303
    signature = Signature.objects.get(consent__patient=patient_with_two_factor)
    assert signature.identity_confirmed_by == "password_and_code"
    copy = ready_to_sign.get(reverse("consent:copy", args=[signature.consent.public_id]))
    assert "Password and two-factor code" in copy.content.decode()


def test_two_factor_patient_without_the_code_is_asked_for_it(
    ready_to_sign, patient_with_two_factor
):
    response = sign(ready_to_sign, code="")
    assert response.status_code == 422
    assert "Type the code your authenticator app shows now." in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize("wrong", ["password", "code"])
def test_a_wrong_password_or_code_gets_one_answer_that_tells_neither(
    ready_to_sign, patient_with_two_factor, wrong
):
    code = current_code(patient_with_two_factor.totp_secret)
    if wrong == "password":
        response = sign(ready_to_sign, password="not-my-password", code=code)
    else:
        response = sign(ready_to_sign, code="000000" if code != "000000" else "111111")
    assert response.status_code == 422
    assert "The password or the code is not correct." in response.content.decode()
    assert not Signature.objects.exists()


def test_wrong_codes_lock_signing_like_wrong_passwords(ready_to_sign, patient_with_two_factor):
    code = current_code(patient_with_two_factor.totp_secret)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT):
        assert TOO_MANY not in sign(ready_to_sign, code=wrong).content.decode()
    response = sign(ready_to_sign, code=code)
    assert response.status_code == 422
    assert TOO_MANY in response.content.decode()
    assert not Signature.objects.exists()


# --- The service, as the web page and the API both call it -----------------------------


def test_the_service_refuses_a_wrong_password_on_the_password_field(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    with pytest.raises(services.ValidationError) as refused:
        services.sign_active_consent(
            patient=patient,
            typed_name="Sam Rivera",
            confirms_meaning=True,
            password="not-my-password",
            request=sign_request(),
        )
    assert refused.value.message_dict == {"password": ["That is not the password of your account."]}


def test_the_service_raises_too_many_attempts_once_locked(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent)

    def attempt(password):
        return services.sign_active_consent(
            patient=patient,
            typed_name="Sam Rivera",
            confirms_meaning=True,
            password=password,
            request=sign_request(),
        )

    for guess in range(settings.LOGIN_ATTEMPTS_LIMIT):
        with pytest.raises(services.ValidationError):
            attempt(f"guess-{guess}")
    with pytest.raises(TooManyAttempts) as locked:
        attempt(TEST_PASSWORD)
    assert locked.value.retry_after_seconds == settings.LOGIN_ATTEMPTS_TIMEOUT_SECONDS
    assert not Signature.objects.exists()

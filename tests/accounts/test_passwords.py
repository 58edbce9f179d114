"""Passwords: long enough to resist guessing (ASVS 2.1), with no rules about symbols.

A new patient chooses theirs from the invitation link, so that is where these are tried.
"""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.factories.accounts import PatientFactory, invitation_for


def choose(client, patient, password):
    _, token = invitation_for(patient)
    return client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"new_password1": password, "new_password2": password},
    )


@pytest.fixture
def newcomer(therapist):
    return PatientFactory(first_name="Ana", last_name="Lopez", invited=True, care_team=[therapist])


def test_the_short_password_from_the_review_is_refused_with_the_reason(client, newcomer):
    response = choose(client, newcomer, "ketamin1")
    assert response.status_code == 422
    assert "at least 12 characters" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


@pytest.mark.parametrize("guess", ["ketamine-ketamine", "Ketamine2024!!", "riversidekapclinic"])
@override_settings(CLINIC_NAME="Riverside KAP Clinic")
def test_passwords_built_from_the_clinic_or_the_treatment_are_refused(client, newcomer, guess):
    response = choose(client, newcomer, guess)
    assert response.status_code == 422
    assert "built from the clinic" in response.content.decode()


def test_a_password_that_is_the_patients_own_email_is_refused(newcomer):
    with pytest.raises(ValidationError):
        validate_password(newcomer.email, newcomer)


@pytest.mark.parametrize(
    "passphrase",
    [
        "violet river lantern",  # words and spaces, nothing else
        "mornings are quieter now",
        "479382615047",  # only digits, but long and not a common one
    ],
)
def test_a_long_password_needs_no_digits_capitals_or_symbols(client, newcomer, passphrase):
    response = choose(client, newcomer, passphrase)
    assert response.status_code == 303
    newcomer.refresh_from_db()
    assert newcomer.check_password(passphrase)

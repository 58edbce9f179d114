"""People log in with their email, land on their own home, and log out."""

import pytest
from django.urls import reverse

from tests.factories.accounts import TEST_PASSWORD, PatientFactory, current_code


def log_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def log_in_with_code(client, user, password=TEST_PASSWORD):
    """Staff: the password, then the code their authenticator app shows."""
    response = log_in(client, user.email, password)
    assert response["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": current_code(user.totp_secret)})


def test_patient_logs_in_and_lands_on_their_home(client, patient):
    response = log_in(client, patient.email)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("care:patient_home")
    assert "Hello, Sam" in response.content.decode()


def test_email_is_matched_without_regard_to_case(client, patient):
    response = log_in(client, patient.email.upper())
    assert response.status_code == 302


def test_therapist_logs_in_and_lands_on_their_patients_dashboard(client, therapist, patient):
    response = client.get(log_in_with_code(client, therapist)["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("care:roster")
    assert "Sam Rivera" in response.content.decode()


def test_clinic_admin_lands_on_the_admin(client, clinic_admin):
    response = client.get(log_in_with_code(client, clinic_admin)["Location"])
    assert response["Location"] == reverse("admin:index")


def test_wrong_password_is_refused_with_a_clear_message(client, patient):
    response = log_in(client, patient.email, "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_patient_cannot_log_in(client, patient):
    patient.is_active = False
    patient.save()
    log_in(client, patient.email)
    assert "_auth_user_id" not in client.session


def test_invited_patient_without_a_password_cannot_log_in(client, therapist):
    invited = PatientFactory(invited=True, care_team=[therapist])
    log_in(client, invited.email, "")
    assert "_auth_user_id" not in client.session


def test_log_out_ends_the_session(client, patient):
    client.force_login(patient)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_there_is_no_open_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.com",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (403, 404)
    from accounts.models import User

    assert not User.objects.filter(email="stranger@example.com").exists()


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, patient, mailoutbox, run_worker
):
    client.post(reverse("account_reset_password"), {"email": patient.email})
    run_worker()  # the worker delivers the mail
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = next(word for word in body.split() if "/accounts/password/reset/key/" in word)
    path = link.split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("a-brand-new-passphrase")


@pytest.mark.parametrize("url_name", ["care:patient_home", "care:roster", "care:patient_add"])
def test_anonymous_visitor_is_sent_to_log_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

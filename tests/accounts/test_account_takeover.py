"""Someone picks up a logged-in phone for a minute. They must not be able to keep the account.

The reviewer's attack: add your own email at /accounts/email/, ask for a password reset
to it, log in. Each door it used is closed here, and tried.
"""

from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories.accounts import TEST_PASSWORD

ATTACKER = "attacker@example.net"


def test_a_logged_in_phone_cannot_add_another_email_and_reset_the_password(
    client, patient, mailoutbox, run_worker
):
    client.force_login(patient)

    added = client.post(reverse("account_email"), {"email": ATTACKER, "action_add": ""})
    assert added.status_code == 405
    assert not EmailAddress.objects.filter(email=ATTACKER).exists()

    client.logout()
    client.post(reverse("account_reset_password"), {"email": ATTACKER})
    # allauth tells an unknown address that it has no account; no reset link goes there.
    run_worker()  # the worker delivers the mail
    to_attacker = [mail.body for mail in mailoutbox if ATTACKER in mail.to]
    assert not [body for body in to_attacker if "/password/reset/key/" in body]

    logged_in = client.post(reverse("account_login"), {"login": ATTACKER, "password": "x" * 12})
    assert "_auth_user_id" not in client.session
    assert logged_in.status_code == 200


def test_the_email_page_says_who_to_ask_instead(client, patient):
    client.force_login(patient)
    page = client.get(reverse("account_email")).content.decode()
    assert patient.email in page
    assert "ask the clinic" in page
    assert "<form" not in page.split("<main")[1].split("</main>")[0]


def test_changing_the_password_needs_the_current_one(client, patient):
    client.force_login(patient)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "",
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )
    patient.refresh_from_db()
    assert patient.check_password(TEST_PASSWORD)


def test_a_password_change_is_announced_to_the_accounts_own_address(
    client, patient, mailoutbox, run_worker
):
    client.post(reverse("account_login"), {"login": patient.email, "password": TEST_PASSWORD})
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "violet river lantern morning",
            "password2": "violet river lantern morning",
        },
    )
    patient.refresh_from_db()
    assert patient.check_password("violet river lantern morning")
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[patient.email]]
    assert "password" in mailoutbox[0].subject.lower()


def test_two_factor_settings_ask_for_the_password_again_on_an_old_session(client, patient):
    # A session whose login was not just now (an unlocked phone left on a table): the
    # two-factor pages first ask who is there.
    client.force_login(patient)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_the_password_is_asked_again_with_the_wrong_one_refused(client, patient):
    client.force_login(patient)
    client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200

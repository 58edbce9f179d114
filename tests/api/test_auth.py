"""Native apps log in a device with email, password (and code), use the token, log out.

Every refused credential answers the same, and failed logins are limited per account
and per address, together with the web login: a guesser learns nothing from the API
that the web login would not tell them, and gets no more tries there.
"""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from tests.factories.accounts import TEST_PASSWORD, PatientFactory, TherapistFactory, current_code

TOKEN_URL = "/api/v1/auth/token/"
DEVICES_URL = "/api/v1/auth/devices/"
REFUSED = "The email, password or code is not correct."


def log_in(api, email, password=TEST_PASSWORD, device_name="Sam's iPhone", headers=None, **extra):
    body = {"email": email, "password": password, "device_name": device_name, **extra}
    return api.post(TOKEN_URL, body, format="json", **(headers or {}))


def log_in_from(api, address, email, password=TEST_PASSWORD, **fields):
    """One attempt from its own address, with a forged X-Forwarded-For and Host too."""
    return api.post(
        TOKEN_URL,
        {"email": email, "password": password, "device_name": "Phone", **fields},
        format="json",
        REMOTE_ADDR=f"203.0.113.{address}",
        HTTP_X_FORWARDED_FOR=f"198.51.100.{address}",
        HTTP_HOST=["testserver", "localhost", "127.0.0.1"][address % 3],
    )


def bearer(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


# --- Logging in -------------------------------------------------------------------------


def test_patient_logs_in_their_phone_and_uses_the_token(api, patient):
    response = log_in(api, patient.email.upper())
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["role"] == "patient"
    assert body["device"]["name"] == "Sam's iPhone"
    assert body["device"]["is_current"] is True
    assert body["expiry"] == body["device"]["expires_at"]
    me = bearer(api, body["token"]).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == patient.email


def test_missing_fields_are_listed_field_by_field(api, db):
    response = api.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "password", "device_name"}


def test_a_blank_device_name_is_refused_before_the_password_is_tried(api, patient):
    response = log_in(api, patient.email, device_name="   ")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"device_name"}
    assert not ApiToken.objects.exists()


def test_therapist_logs_in_with_password_and_the_current_code(api, therapist):
    response = log_in(api, therapist.email, code=current_code(therapist.totp_secret))
    assert response.status_code == 200
    assert response.json()["user"]["role"] == "therapist"


def test_an_overheard_code_cannot_be_used_again(api, therapist):
    code = current_code(therapist.totp_secret)
    assert log_in(api, therapist.email, code=code).status_code == 200
    replayed = log_in(api, therapist.email, code=code, device_name="Attacker's laptop")
    assert replayed.status_code == 400
    assert replayed.json()["message"] == REFUSED
    assert list(ApiToken.objects.values_list("device_name", flat=True)) == ["Sam's iPhone"]


def test_therapist_without_two_factor_gets_no_token(api, db):
    newcomer = TherapistFactory(two_factor=False)
    response = log_in(api, newcomer.email)
    assert response.status_code == 403
    assert "Set it up in the web app first" in response.json()["message"]
    assert not ApiToken.objects.exists()


def test_each_login_is_its_own_device(api, patient):
    log_in(api, patient.email, device_name="Sam's iPhone")
    log_in(api, patient.email, device_name="Sam's iPad")
    assert sorted(ApiToken.objects.filter(user=patient).values_list("device_name", flat=True)) == [
        "Sam's iPad",
        "Sam's iPhone",
    ]


def test_a_person_logged_in_on_too_many_devices_is_asked_to_log_one_out(api, patient, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    assert log_in(api, patient.email, device_name="Phone").status_code == 200
    assert log_in(api, patient.email, device_name="Tablet").status_code == 200
    third = log_in(api, patient.email, device_name="Laptop")
    assert third.status_code == 403
    assert "Your devices" in third.json()["message"]
    assert ApiToken.objects.filter(user=patient).count() == 2


# --- One answer for every wrong credential -----------------------------------------------


def test_every_refused_credential_gets_the_same_answer(api, db):
    sam = PatientFactory(first_name="Sam")
    gone = PatientFactory()
    gone.is_active = False
    gone.save()
    maya = TherapistFactory(first_name="Maya")
    attempts = {
        "unknown email": log_in(api, "nobody@example.com"),
        "wrong password": log_in(api, sam.email, "not-the-password"),
        "deactivated account": log_in(api, gone.email),
        "therapist, wrong password": log_in(api, maya.email, "not-the-password", code="123456"),
        "therapist, right password, no code": log_in(api, maya.email),
        "therapist, right password, wrong code": log_in(api, maya.email, code="000000"),
    }
    bodies = {story: (r.status_code, r.content) for story, r in attempts.items()}
    assert set(bodies.values()) == {
        (
            400,
            b'{"message":"The email, password or code is not correct.",'
            b'"errors":{"non_field_errors":["The email, password or code is not correct."]}}',
        )
    }, bodies
    assert not any(response.cookies for response in attempts.values())
    assert not ApiToken.objects.exists()


# --- Limits on failed logins ---------------------------------------------------------------


def test_lockout_holds_when_the_guesser_changes_address_for_every_try(api, patient):
    # A botnet: every guess from a new address, with a new forged X-Forwarded-For and
    # Host. Five wrong passwords lock the account, whoever asks next and from wherever.
    for address in range(5):
        assert log_in_from(api, address, patient.email, "guess").status_code == 400
    response = log_in_from(api, 99, patient.email)
    assert response.status_code == 429
    assert "wait 5 minutes" in response.json()["message"]
    assert response["Retry-After"] == "300"
    assert not ApiToken.objects.exists()


def test_guessing_the_code_costs_as_much_as_guessing_the_password(api, therapist):
    # The password is known (a leak elsewhere); the guesser now tries codes. Each wrong
    # code counts against the same five tries, so the real code does not help after that.
    for address in range(5):
        assert log_in_from(api, address, therapist.email, code=f"{address:06d}").status_code == 400
    response = log_in_from(api, 99, therapist.email, code=current_code(therapist.totp_secret))
    assert response.status_code == 429
    assert not ApiToken.objects.exists()


def test_an_unknown_email_is_locked_out_the_same_way(api, db):
    # Otherwise the lockout itself would tell which addresses have accounts.
    for address in range(5):
        log_in_from(api, address, "nobody@example.com", "guess")
    response = log_in_from(api, 99, "nobody@example.com", "guess")
    assert response.status_code == 429


def test_failed_web_logins_count_against_the_api_too(api, client, patient):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": patient.email, "password": "guess"})
    assert log_in(api, patient.email).status_code == 429


def test_failed_api_logins_count_against_the_web_login_too(api, client, patient):
    for address in range(5):
        log_in_from(api, address, patient.email, "guess")
    response = client.post(
        reverse("account_login"), {"login": patient.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_the_address_limit_ignores_a_forged_x_forwarded_for(api, patient, settings):
    # One address sending many requests, each claiming to come from somewhere else.
    settings.API_AUTH_RATE = "3/minute"
    for address in range(3):
        api.post(
            TOKEN_URL,
            {"email": patient.email, "password": "guess", "device_name": "Phone"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{address}",
        )
    response = log_in(api, patient.email, headers={"HTTP_X_FORWARDED_FOR": "198.51.100.99"})
    assert response.status_code == 429
    assert "message" in response.json()


def test_behind_the_clinics_proxy_the_address_it_saw_is_the_one_counted(api, patient, settings):
    # With one trusted proxy, its entry (the last) counts; what the client wrote before
    # it does not, so rotating that part changes nothing.
    settings.API_AUTH_RATE = "3/minute"
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for forged in range(3):
        log_in(api, patient.email, headers={"HTTP_X_FORWARDED_FOR": f"10.0.0.{forged}, 192.0.2.7"})
    blocked = log_in(api, patient.email, headers={"HTTP_X_FORWARDED_FOR": "10.9.9.9, 192.0.2.7"})
    assert blocked.status_code == 429
    elsewhere = log_in(api, patient.email, headers={"HTTP_X_FORWARDED_FOR": "192.0.2.8"})
    assert elsewhere.status_code == 200


def test_writes_are_throttled_but_reads_are_not(api_as, patient, consent_version, settings):
    settings.API_WRITE_RATE = "2/minute"
    client = api_as(patient)
    for _ in range(2):
        assert client.post("/api/v1/consent/start/").status_code == 200
    assert client.post("/api/v1/consent/start/").status_code == 429
    assert client.get("/api/v1/consent/").status_code == 200


# --- Using and revoking tokens ---------------------------------------------------------


def test_anonymous_requests_get_401_json(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "message" in response.json()


def test_logging_out_revokes_only_this_devices_token(api, patient):
    phone = log_in(api, patient.email, device_name="Sam's iPhone").json()["token"]
    tablet = log_in(api, patient.email, device_name="Sam's iPad").json()["token"]
    assert bearer(api, phone).delete(TOKEN_URL).status_code == 204
    assert bearer(api, phone).get("/api/v1/me/").status_code == 401
    assert bearer(api, tablet).get("/api/v1/me/").status_code == 200


def test_sam_sees_his_devices_with_this_one_marked(api, patient):
    log_in(api, patient.email, device_name="Sam's iPad")
    phone = log_in(api, patient.email, device_name="Sam's iPhone").json()["token"]
    response = bearer(api, phone).get(DEVICES_URL)
    assert response.status_code == 200
    devices = response.json()["results"]
    assert [(d["name"], d["is_current"]) for d in devices] == [
        ("Sam's iPhone", True),
        ("Sam's iPad", False),
    ]
    assert devices[0]["last_used_at"] is not None
    assert devices[1]["last_used_at"] is None


def test_sam_logs_out_his_lost_phone_from_his_tablet(api, patient):
    phone = log_in(api, patient.email, device_name="Sam's iPhone").json()
    tablet = log_in(api, patient.email, device_name="Sam's iPad").json()["token"]
    response = bearer(api, tablet).delete(f"{DEVICES_URL}{phone['device']['public_id']}/")
    assert response.status_code == 204
    assert bearer(api, phone["token"]).get("/api/v1/me/").status_code == 401
    assert bearer(api, tablet).get("/api/v1/me/").status_code == 200


def test_grace_cannot_log_out_sams_phone(api, patient, other_patient):
    sams = log_in(api, patient.email, device_name="Sam's iPhone").json()
    graces = log_in(api, other_patient.email, device_name="Grace's phone").json()["token"]
    response = bearer(api, graces).delete(f"{DEVICES_URL}{sams['device']['public_id']}/")
    assert response.status_code == 404
    assert bearer(api, sams["token"]).get("/api/v1/me/").status_code == 200
    # Nor does Sam's phone appear in Grace's list.
    assert "Sam" not in bearer(api, graces).get(DEVICES_URL).content.decode()


@pytest.mark.parametrize(
    "header", ["Token {token}", "Bearer", "Bearer {token} extra", "Bearer \xff"]
)
def test_a_malformed_authorization_header_gets_401(api, patient, header):
    token = log_in(api, patient.email).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=header.format(token=token))
    assert api.get("/api/v1/me/").status_code == 401

"""Automatic logoff and a clean device (HIPAA 164.312(a)(2)(iii), OWASP ASVS 3.3).

Each test does what someone holding a shared phone, or a copied session cookie, would try:
come back after the limit, revive the session through "Stay logged in", reach the API,
read a cached page. And each sees it refused.
"""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from common.middleware import LAST_ACTIVITY
from journal.models import Entry
from tests.factories.accounts import TEST_PASSWORD

KEEP_ALIVE = "/session/keep-alive/"
ME = "/api/v1/me/"
PATIENT_MESSAGE = (
    "You were logged out after 30 minutes without activity, to keep your journal private."
)
STAFF_MESSAGE = (
    "You were logged out after 15 minutes without activity, to keep patients' records private."
)


def _idle_for(client, minutes):
    """Nobody touches the device for this long: the session's last activity moves back."""
    session = client.session
    session[LAST_ACTIVITY] -= minutes * 60
    session.save()


def _logged_in(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _cookie_thief(client):
    """Another browser holding a copy of this one's session cookie."""
    thief = Client()
    name = settings.SESSION_COOKIE_NAME
    thief.cookies[name] = client.cookies[name].value
    return thief


# --- Idle timeout ------------------------------------------------------------------------


def test_an_idle_session_cookie_is_refused_even_when_copied(client, patient):
    timeline = reverse("journal:timeline")
    _logged_in(client, patient, timeline)
    session_key = client.session.session_key
    _idle_for(client, 31)

    response = _cookie_thief(client).get(timeline, follow=True)

    assert response.redirect_chain[0] == (f"{reverse('account_login')}?next={timeline}", 302)
    assert PATIENT_MESSAGE in _messages(response)
    assert "Sam" not in response.content.decode()
    # The session is gone on the server, so Sam's own browser is logged out too.
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(timeline).status_code == 302


def test_activity_within_the_limit_keeps_the_session(client, patient):
    timeline = reverse("journal:timeline")
    _logged_in(client, patient, timeline)
    for _ in range(3):
        _idle_for(client, 29)
        # 87 minutes in all, but never 30 without a request.
        assert client.get(timeline).status_code == 200


def test_staff_are_logged_out_sooner_than_patients(client, therapist, patient):
    roster = reverse("care:roster")
    page = _logged_in(client, therapist, roster)
    assert 'data-idle-seconds="900"' in page.content.decode()
    _idle_for(client, 16)
    response = client.get(roster, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert STAFF_MESSAGE in _messages(response)

    # Sixteen minutes is nothing for a patient.
    page = _logged_in(client, patient, reverse("journal:timeline"))
    assert 'data-idle-seconds="1800"' in page.content.decode()
    _idle_for(client, 16)
    assert client.get(reverse("journal:timeline")).status_code == 200


def test_a_clinic_admin_has_the_staff_limit(client, clinic_admin):
    client.force_login(clinic_admin)
    assert client.post(KEEP_ALIVE).status_code == 204
    _idle_for(client, 16)
    assert client.post(KEEP_ALIVE).status_code == 401


def test_limits_may_be_fractions_of_a_minute(client, patient, settings):
    settings.IDLE_TIMEOUT_PATIENT_MINUTES = 0.05
    page = _logged_in(client, patient, reverse("journal:timeline"))
    assert 'data-idle-seconds="3"' in page.content.decode()
    _idle_for(client, 0.1)
    response = client.get(reverse("journal:timeline"), follow=True)
    assert (
        "You were logged out after 3 seconds without activity, to keep your journal private."
        in _messages(response)
    )


def test_the_next_person_logs_in_at_once_after_an_idle_session(client, patient, other_patient):
    _logged_in(client, patient, reverse("journal:timeline"))
    _idle_for(client, 31)

    response = client.post(
        reverse("account_login"), {"login": other_patient.email, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("journal:timeline")).context["user"] == other_patient


# --- Keep-alive ("Stay logged in") -------------------------------------------------------


def test_stay_logged_in_restarts_the_clock(client, patient):
    timeline = reverse("journal:timeline")
    _logged_in(client, patient, timeline)
    _idle_for(client, 29)
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    _idle_for(client, 29)
    assert client.get(timeline).status_code == 200


def test_stay_logged_in_cannot_revive_an_idle_session(client, patient):
    _logged_in(client, patient, reverse("journal:timeline"))
    _idle_for(client, 31)

    response = _cookie_thief(client).post(KEEP_ALIVE, headers={"Accept": "application/json"})

    assert response.status_code == 401
    assert response.json() == {"message": PATIENT_MESSAGE, "errors": {}}
    assert client.get(reverse("journal:timeline")).status_code == 302


def test_keep_alive_is_only_for_someone_logged_in(client, patient):
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 401
    assert response.json() == {"message": "You are logged out.", "errors": {}}
    # Not a session starter, and not something a link can trigger.
    assert "sessionid" not in response.cookies
    client.force_login(patient)
    assert client.get(KEEP_ALIVE).status_code == 405


def test_keep_alive_needs_the_csrf_token(patient):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(patient)
    assert browser.post(KEEP_ALIVE).status_code == 403


# --- htmx and the API --------------------------------------------------------------------


def test_an_htmx_autosave_after_the_limit_is_refused_and_sent_to_login(client, patient):
    write = reverse("journal:entry_write")
    page = _logged_in(client, patient, write)
    _idle_for(client, 31)

    response = client.post(
        write,
        {
            "draft_key": page.context["draft_key"],
            "intent": "autosave",
            "body": "Words typed into an abandoned phone.",
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 401
    assert response.json() == {"message": PATIENT_MESSAGE, "errors": {}}
    assert response["HX-Redirect"] == reverse("account_login")
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not Entry.objects.filter(body__contains="abandoned").exists()


def test_the_api_refuses_an_idle_session_in_its_error_shape(client, patient):
    client.force_login(patient)
    response = client.get(ME)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    _idle_for(client, 31)

    response = client.get(ME)

    assert response.status_code == 401
    assert response.json() == {"message": PATIENT_MESSAGE, "errors": {}}
    assert response["WWW-Authenticate"] == "Bearer"
    assert "no-store" in response["Cache-Control"]


def test_api_answers_to_a_token_are_never_cached_and_start_no_session(client, patient):
    login = client.post(
        "/api/v1/auth/token/",
        {"email": patient.email, "password": TEST_PASSWORD, "device_name": "Sam's phone"},
        content_type="application/json",
    )
    assert login.status_code == 200
    assert "no-store" in login["Cache-Control"]

    api = Client()
    response = api.get(ME, headers={"Authorization": f"Bearer {login.json()['token']}"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies


# --- Caches and logout -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [reverse("journal:timeline"), reverse("journal:entry_write"), reverse("care:home")]
)
def test_pages_with_health_data_are_never_cached(client, patient, url):
    client.force_login(patient)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_logging_out_wipes_the_browser_and_ends_the_session(client, patient):
    timeline = reverse("journal:timeline")
    _logged_in(client, patient, timeline)
    thief = _cookie_thief(client)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert thief.get(timeline).status_code == 302


def test_only_a_logout_sends_clear_site_data(client, patient):
    client.force_login(patient)
    assert "Clear-Site-Data" not in client.get(reverse("journal:timeline"))
    assert "Clear-Site-Data" not in client.post(KEEP_ALIVE)


def test_a_logout_when_time_ran_out_says_why(client, patient):
    _logged_in(client, patient, reverse("journal:timeline"))

    response = client.post(reverse("account_logout"), {"reason": "idle"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert PATIENT_MESSAGE in _messages(response)
    assert _messages(response).count(PATIENT_MESSAGE) == 1
    # Only the reason: no "You have signed out." above it.
    assert len(_messages(response)) == 1

"""The shell, the account pages, login and reminders speak Spanish to a Spanish speaker.

Every page and state is rendered for a person who chose Spanish (or, before login, whose
browser or the picker's cookie asks for it) and read by `assert_speaks_spanish`. Emails are
written in their recipient's language, whoever triggered them.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tasks as account_tasks
from accounts.services import send_invitation
from accounts.tokens import devices_of, issue_token
from reminders.kinds import CARE_TEAM_COMMENT, KINDS
from reminders.models import SentReminder
from reminders.services import unsubscribe_token
from reminders.tasks import send_reminder
from tests.factories.accounts import (
    TEST_PASSWORD,
    PatientFactory,
    TherapistFactory,
    invitation_for,
)
from tests.i18n.spanish import assert_speaks_spanish

pytestmark = pytest.mark.django_db

# The patient's own words and name are Spanish too: the detector cannot tell them from UI.
SOFIA = {"first_name": "Sofía", "last_name": "Ramírez", "language": "es"}
LINK = re.compile(r"\S*/\S*")


def email_text(text):
    """An email as a person reads it, without its links (paths are English words)."""
    return LINK.sub(" ", text).replace(settings.CLINIC_NAME, " ")


@pytest.fixture
def terapeuta(db):
    return TherapistFactory(first_name="Lucía", last_name="Méndez", language="es")


@pytest.fixture
def sofia(terapeuta):
    return PatientFactory(**SOFIA, care_team=[terapeuta])


@pytest.fixture
def spanish_browser():
    return Client(HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")


def logged_in(person):
    client = Client()
    client.force_login(person)
    return client


# --- Before login ------------------------------------------------------------------


def test_the_login_page_speaks_spanish_to_a_spanish_browser(spanish_browser):
    page = spanish_browser.get(reverse("account_login"))
    assert page.status_code == 200
    assert_speaks_spanish(page)
    assert "Iniciar sesión" in page.content.decode()
    assert "Línea de Prevención del Suicidio y Crisis" in page.content.decode()


def test_the_login_page_speaks_spanish_once_the_picker_chose_it(client):
    client.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert_speaks_spanish(page)


def test_a_wrong_password_is_refused_in_spanish(spanish_browser, sofia):
    page = spanish_browser.post(
        reverse("account_login"), {"login": sofia.email, "password": "no-es-esta-clave"}
    )
    assert page.status_code == 200
    assert_speaks_spanish(page)
    assert 'role="alert"' in page.content.decode()


def test_an_empty_login_form_is_refused_in_spanish(spanish_browser):
    page = spanish_browser.post(reverse("account_login"), {"login": "", "password": ""})
    assert_speaks_spanish(page)


def test_the_password_reset_pages_speak_spanish(spanish_browser, sofia):
    request_page = spanish_browser.get(reverse("account_reset_password"))
    assert_speaks_spanish(request_page)
    sent = spanish_browser.post(reverse("account_reset_password"), {"email": sofia.email})
    assert_speaks_spanish(spanish_browser.get(sent["Location"]))
    bad_key = spanish_browser.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "no-vale"})
    )
    assert_speaks_spanish(bad_key)


def test_the_idle_logout_notice_on_the_login_page_is_spanish(sofia, spanish_browser):
    # Logged out, the account's choice no longer speaks: her phone's browser (or cookie) does.
    client = spanish_browser
    client.force_login(sofia)
    # The page's own clock ran out: it logs out with the reason, as static/js/app.js does.
    response = client.post(reverse("account_logout"), {"reason": "idle"}, follow=True)
    page = response.content.decode()
    assert "Se cerró su sesión tras 30 minutos sin actividad" in page
    assert_speaks_spanish(response)


# --- The invitation link -------------------------------------------------------------


def test_the_invitation_page_and_its_errors_speak_spanish(spanish_browser, terapeuta):
    nuevo = PatientFactory(
        first_name="Mateo", last_name="Ruiz", invited=True, care_team=[terapeuta]
    )
    _, token = invitation_for(nuevo)
    url = reverse("accounts:invitation_accept", args=[token])
    assert_speaks_spanish(spanish_browser.get(url))

    mismatched = spanish_browser.post(
        url, {"new_password1": "amanecer-sobre-el-rio-42", "new_password2": "otra-cosa-distinta-7"}
    )
    assert mismatched.status_code == 422
    assert_speaks_spanish(mismatched)

    too_clinical = spanish_browser.post(
        url, {"new_password1": "ketamine2024!!", "new_password2": "ketamine2024!!"}
    )
    assert too_clinical.status_code == 422
    assert "nombre de la clínica o del tratamiento" in too_clinical.content.decode()
    assert_speaks_spanish(too_clinical)

    done = spanish_browser.post(
        url,
        {"new_password1": "amanecer-sobre-el-rio-42", "new_password2": "amanecer-sobre-el-rio-42"},
    )
    assert done.status_code == 303
    spanish_browser.logout()
    used = spanish_browser.get(url)
    assert used.status_code == 410
    assert "ya se usó" in used.content.decode()
    assert_speaks_spanish(used)


def test_expired_and_unknown_invitation_links_speak_spanish(spanish_browser, terapeuta):
    nuevo = PatientFactory(
        first_name="Mateo", last_name="Ruiz", invited=True, care_team=[terapeuta]
    )
    invitation, token = invitation_for(nuevo)
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    expired = spanish_browser.get(reverse("accounts:invitation_accept", args=[token]))
    assert expired.status_code == 410
    assert_speaks_spanish(expired)
    unknown = spanish_browser.get(reverse("accounts:invitation_accept", args=["no-existe"]))
    assert unknown.status_code == 404
    assert_speaks_spanish(unknown)


# --- Logged in: the shell, the account page, errors ---------------------------------


def test_the_account_page_speaks_spanish_with_and_without_devices(sofia):
    client = logged_in(sofia)
    empty = client.get(reverse("accounts:devices"))
    assert_speaks_spanish(empty)
    assert 'data-one-minute="1 minuto"' in empty.content.decode()

    issue_token(user=sofia, device_name="Teléfono de Sofía")
    with_device = client.get(reverse("accounts:devices"))
    page = with_device.content.decode()
    assert "Cerrar sesión en Teléfono de Sofía" in page
    assert "Sesión iniciada hoy a las" in page
    assert_speaks_spanish(with_device)

    public_id = devices_of(sofia)[0].public_id
    revoked = client.post(reverse("accounts:device_revoke", args=[public_id]), follow=True)
    assert "Se cerró la sesión en Teléfono de Sofía" in revoked.content.decode()
    assert_speaks_spanish(revoked)


def test_the_account_page_offers_the_language_as_a_setting(sofia):
    client = logged_in(sofia)
    page = client.get(reverse("accounts:devices")).content.decode()
    assert 'id="language-setting"' in page
    assert 'value="es" id="language-es" checked' in page

    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": reverse("accounts:devices")}
    )
    assert response["Location"] == reverse("accounts:devices")
    sofia.refresh_from_db()
    assert sofia.language == "en"
    assert "Your devices" in client.get(reverse("accounts:devices")).content.decode()


def test_the_email_address_page_speaks_spanish(sofia):
    assert_speaks_spanish(logged_in(sofia).get(reverse("account_email")))


def test_the_therapist_shell_speaks_spanish(terapeuta):
    page = logged_in(terapeuta).get(reverse("accounts:devices"))
    assert_speaks_spanish(page)
    assert "Pacientes" in page.content.decode()


def test_the_two_factor_pages_speak_spanish_to_a_therapist(terapeuta):
    client = logged_in(terapeuta)
    overview = client.get(reverse("mfa_index"))
    assert overview.status_code == 200
    assert_speaks_spanish(overview)


def test_a_therapist_without_two_factor_is_led_to_set_it_up_in_spanish(db):
    nueva = TherapistFactory(
        first_name="Elena", last_name="Torres", language="es", two_factor=False
    )
    client = logged_in(nueva)
    # allauth asks for the password again first (the session is not fresh), then sets up.
    asked = client.get(reverse("care:roster"), follow=True)
    assert "segundo paso al iniciar sesión" in asked.content.decode()
    assert_speaks_spanish(asked)
    client.post(asked.redirect_chain[-1][0], {"password": TEST_PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert_speaks_spanish(setup)
    wrong_code = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert_speaks_spanish(wrong_code)


def test_the_error_pages_speak_spanish(sofia, settings):
    client = logged_in(sofia)
    missing = client.get("/no-existe-esta-pagina/")
    assert missing.status_code == 404
    assert_speaks_spanish(missing)
    forbidden = client.get(reverse("care:roster"))
    assert forbidden.status_code == 403
    assert_speaks_spanish(forbidden)


def test_the_server_error_page_speaks_spanish():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("es"):
        assert_speaks_spanish(render_to_string("500.html"))


# --- The API's "me": the language as a setting ---------------------------------------


def test_the_api_shows_and_sets_the_language(api_as, sofia):
    api = api_as(sofia)
    assert api.get("/api/v1/me/").json()["language"] == "es"

    changed = api.patch("/api/v1/me/", {"language": "en"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["language"] == "en"
    sofia.refresh_from_db()
    assert sofia.language == "en"


def test_the_api_refuses_a_language_it_does_not_speak(api_as, sofia):
    refused = api_as(sofia).patch("/api/v1/me/", {"language": "xx"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"language": ["Choose one of the languages offered."]}
    sofia.refresh_from_db()
    assert sofia.language == "es"


def test_api_errors_speak_the_language_asked_for(api, db):
    refused = api.post(
        "/api/v1/auth/token/",
        {"email": "nadie@example.com", "password": "x", "device_name": "Teléfono"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert refused.status_code == 400
    assert (
        refused.json()["message"]
        == "El correo electrónico, la contraseña o el código no son correctos."
    )


# --- Reminders -----------------------------------------------------------------------


def test_the_reminder_settings_page_speaks_spanish(sofia):
    client = logged_in(sofia)
    page = client.get(reverse("reminders:settings"))
    assert_speaks_spanish(page)
    assert "Cuando su equipo de atención le escribe" in page.content.decode()
    saved = client.post(reverse("reminders:settings"), {CARE_TEAM_COMMENT: "on"}, follow=True)
    assert "Sus recordatorios están guardados." in saved.content.decode()
    assert_speaks_spanish(saved)


def test_the_therapist_reminder_settings_speak_spanish(terapeuta):
    assert_speaks_spanish(logged_in(terapeuta).get(reverse("reminders:settings")))


def test_the_unsubscribe_link_asks_and_confirms_in_spanish(sofia):
    # A mail client opens the link with no session: the browser's language speaks.
    browser = Client(HTTP_ACCEPT_LANGUAGE="es")
    url = reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(user=sofia, kind_key=CARE_TEAM_COMMENT)]
    )
    asked = browser.get(url)
    assert_speaks_spanish(asked)
    assert "¿Dejar de recibir este recordatorio?" in asked.content.decode()
    done = browser.post(url)
    assert_speaks_spanish(done)
    assert "Recordatorio desactivado" in done.content.decode()
    broken = browser.get(reverse("reminders:unsubscribe", args=["no-vale"]))
    assert broken.status_code == 404
    assert_speaks_spanish(broken)


# --- Emails: in the recipient's language ---------------------------------------------


def send_reminder_to(person, kind=CARE_TEAM_COMMENT):
    reminder = SentReminder.objects.create(
        kind=kind, recipient=person, occurrence_key="uno", link_path="/"
    )
    assert send_reminder.call(reminder_id=reminder.pk)
    return mail.outbox[-1]


def test_a_spanish_patient_gets_her_reminder_in_spanish(sofia, mailoutbox):
    email = send_reminder_to(sofia)
    assert email.subject.startswith("Algo le espera en ")
    assert "Hola, Sofía:" in email.body
    assert "Su equipo de atención le escribió." in email.body
    assert '"Cuando su equipo de atención le escribe"' in email.body
    assert_speaks_spanish(email_text(email.body))


def test_an_english_patient_still_gets_his_reminder_in_english(patient, mailoutbox):
    email = send_reminder_to(patient)
    assert email.subject.startswith("Something is waiting for you at ")
    assert "Your care team wrote to you." in email.body


def test_every_kind_of_reminder_reads_in_spanish(sofia, terapeuta, mailoutbox):
    for key, kind in KINDS.items():
        person = terapeuta if kind.audience == terapeuta.role else sofia
        email = send_reminder_to(person, key)
        assert_speaks_spanish(email_text(email.subject))
        assert_speaks_spanish(email_text(email.body))


def test_a_spanish_patient_gets_her_invitation_in_spanish(terapeuta, mailoutbox, run_worker):
    nuevo = PatientFactory(first_name="Mateo", last_name="Ruiz", language="es", invited=True)
    send_invitation(patient=nuevo, invited_by=terapeuta, base_url="https://kap.example")
    run_worker()
    email = mailoutbox[-1]
    assert email.subject.startswith("Su invitación a ")
    assert "Hola, Mateo:" in email.body
    assert "Lucía Méndez le invitó" in email.body
    assert_speaks_spanish(email_text(email.body))


def test_an_english_patient_gets_the_invitation_in_english(terapeuta, mailoutbox, run_worker):
    nuevo = PatientFactory(first_name="Ana", last_name="Lopez", invited=True)
    # Even when a Spanish-speaking therapist sends it: the recipient's language counts.
    send_invitation(patient=nuevo, invited_by=terapeuta, base_url="https://kap.example")
    run_worker()
    email = mailoutbox[-1]
    assert email.subject.startswith("Your invitation to ")
    assert "invited you to the" in email.body


def test_the_email_change_notice_and_password_reset_are_spanish(sofia, mailoutbox, run_worker):
    from accounts.services import change_email

    change_email(user=sofia, new_email="sofia.nueva@example.com")
    run_worker()
    for email in mailoutbox:
        assert "Cambió el correo electrónico" in email.subject
        assert_speaks_spanish(email_text(email.body))

    mailoutbox.clear()
    account_tasks.send_password_reset_email.call(user_id=sofia.pk)
    assert_speaks_spanish(email_text(mailoutbox[-1].subject))
    assert_speaks_spanish(email_text(mailoutbox[-1].body))

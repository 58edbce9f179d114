"""A patient picks Spanish once, and the app speaks Spanish to them on every device."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import PatientFactory

pytestmark = pytest.mark.django_db
LANGUAGE = reverse("accounts:language")


def html_lang(response):
    text = response.content.decode()
    start = text.index("<html lang=") + len('<html lang="')
    return text[start : text.index('"', start)]


def test_before_login_the_browser_language_decides(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert html_lang(response) == "es"
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert html_lang(response) == "en"


def test_a_visitor_picks_spanish_on_the_login_page_and_it_sticks_in_a_cookie(client):
    response = client.post(LANGUAGE, {"language": "es", "next": reverse("account_login")})
    assert response.status_code == 303
    assert response["Location"] == reverse("account_login")
    assert response.cookies["django_language"].value == "es"
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US")
    assert html_lang(page) == "es"


def test_a_patient_choice_is_remembered_on_their_account_for_another_device(client_for):
    patient = PatientFactory()
    client_for(patient).post(LANGUAGE, {"language": "es", "next": "/"})
    patient.refresh_from_db()
    assert patient.language == "es"

    # The clinic's tablet: no cookie, an English browser. The account's choice wins.
    tablet = Client(HTTP_ACCEPT_LANGUAGE="en-US")
    tablet.force_login(patient)
    assert html_lang(tablet.get(reverse("accounts:devices"))) == "es"


def test_switching_back_to_english_is_one_tap(client_for):
    patient = PatientFactory(language="es")
    client = client_for(patient)
    client.post(LANGUAGE, {"language": "en", "next": "/"})
    patient.refresh_from_db()
    assert patient.language == "en"
    assert html_lang(client.get(reverse("accounts:devices"), HTTP_ACCEPT_LANGUAGE="es")) == "en"


def test_a_language_the_app_does_not_speak_changes_nothing(client_for):
    patient = PatientFactory(language="es")
    response = client_for(patient).post(LANGUAGE, {"language": "xx", "next": "/"})
    assert response.status_code == 303
    patient.refresh_from_db()
    assert patient.language == "es"
    assert "django_language" not in response.cookies


def test_the_picker_cannot_send_a_patient_to_another_site(client):
    """Attack: a link that picks a language and then bounces to a look-alike login page."""
    response = client.post(LANGUAGE, {"language": "es", "next": "https://evil.example/login"})
    assert response["Location"] == "/"
    response = client.post(LANGUAGE, {"language": "es", "next": "//evil.example/"})
    assert response["Location"] == "/"


def test_the_picker_only_changes_on_a_post(client_for):
    patient = PatientFactory()
    response = client_for(patient).get(LANGUAGE, {"language": "es"})
    assert response.status_code == 405
    patient.refresh_from_db()
    assert patient.language == ""


def test_every_page_offers_the_picker_with_each_language_named_in_itself(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'lang="es"' in page and "Español" in page
    assert 'lang="en"' in page and "English" in page

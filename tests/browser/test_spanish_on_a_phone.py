"""A patient switches the app to Spanish on her phone, from her account page, and it stays so:
the footer's picker, the account setting, and the idle warning's countdown all speak Spanish."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories.accounts import TEST_PASSWORD, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_sofia_chooses_spanish_on_her_account_page(live_server, page, screenshot):
    sofia = PatientFactory(first_name="Sofía", last_name="Ramírez", email="sofia@example.com")
    log_in(page, live_server, sofia.email, TEST_PASSWORD)
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Language")).to_be_visible()
    screenshot("account-in-english")

    page.get_by_label("Español").check()
    page.get_by_role("button", name="Save language").click()
    expect(page.get_by_role("heading", name="Sus dispositivos")).to_be_visible()
    expect(page.get_by_label("Español")).to_be_checked()
    sofia.refresh_from_db()
    assert sofia.language == "es"
    _fits_the_phone(page)
    screenshot("account-in-spanish")

    footer = page.locator("footer")
    footer.scroll_into_view_if_needed()
    expect(footer).to_contain_text("Línea de Prevención del Suicidio y Crisis")
    expect(footer.get_by_role("button", name="Español")).to_have_attribute("aria-current", "true")
    for button in footer.get_by_role("button").all():
        box = button.bounding_box()
        assert box["height"] >= 44
        assert box["x"] + box["width"] <= PHONE_WIDTH
    footer.screenshot(path=str(_artifact(page, "footer-picker")))

    # The idle warning counts down in Spanish too.
    page.clock.install()
    page.goto(live_server.url + "/account/devices/")
    expect(page.get_by_role("heading", name="Sus dispositivos")).to_be_visible()
    page.clock.fast_forward("29:00")
    warning = page.get_by_role("alertdialog", name="¿Sigue ahí?")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("su sesión se cerrará en 1 minuto.")
    page.clock.fast_forward("00:30")
    expect(warning).to_contain_text("segundos.")
    screenshot("idle-warning-in-spanish")

    # Back to English is one tap in the footer.
    warning.get_by_role("button", name="Mantener la sesión").click()
    expect(warning).to_be_hidden()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Your devices")).to_be_visible()


def _artifact(page, name):
    from tests.conftest import ARTIFACTS

    folder = ARTIFACTS / "test_sofia_chooses_spanish_on_her_account_page"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"

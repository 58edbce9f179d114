"""A demo patient logs in on a phone and sees their home."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_patient_logs_in_on_a_phone_and_sees_their_home(live_server, page, screenshot):
    call_command("seed_demo", verbosity=0)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    screenshot("login")

    page.get_by_label("Email").fill("sam.rivera@example.com")
    page.get_by_label("Password").fill("demo-patient-pass")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/home/$"))
    expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible()
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(page.get_by_text("Maya Okafor, therapist")).to_be_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("home")

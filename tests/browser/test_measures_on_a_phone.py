"""On a phone, Grace answers her baseline PHQ-9 one question per screen; her answer to
question 9 brings up the crisis numbers at once, and Jonas, her therapist, sees her marked
urgent at the top of his dashboard until he acknowledges it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
ANSWERS = [
    "Several days",
    "More than half the days",
    "Several days",
    "Nearly every day",
    "Not at all",
    "Several days",
    "Several days",
    "Not at all",
    "Several days",
]


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_phq9_with_item_9_above_0_shows_help_and_flags_the_patient_until_acknowledged(
    live_server, page, screenshot
):
    call_command("seed_demo", verbosity=0)

    log_in(page, live_server, "grace.kim@example.com", "demo-patient-pass")
    expect(page.get_by_role("heading", name="A short questionnaire is waiting")).to_be_visible()
    _fits_the_phone(page)
    screenshot("home-questionnaire-waiting")

    page.get_by_role("link", name="Answer the PHQ-9").click()
    expect(page.get_by_text("Before you start:")).to_be_visible()
    expect(page.get_by_text(re.compile("your care team is shown that answer"))).to_be_visible()
    screenshot("intro-says-item-9-is-shown")
    page.get_by_role("button", name="Start").click()

    for number, answer in enumerate(ANSWERS, start=1):
        expect(page.get_by_text(f"Question {number} of 9")).to_be_visible()
        option = page.get_by_role("radio", name=answer, exact=True)
        box = page.locator("label.answer-option", has=option).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300  # a big, full-width target
        if number == 3:
            screenshot("one-question-per-screen")
            # Stop, go home, and come back: the answers so far are kept.
            page.get_by_role("link", name=re.compile("Stop for now")).click()
            page.get_by_role("link", name="Continue the PHQ-9").click()
            page.get_by_role("button", name="Continue where I left off").click()
            expect(page.get_by_text("Question 3 of 9")).to_be_visible()
            option = page.get_by_role("radio", name=answer, exact=True)
        if number == 9:
            expect(page.get_by_text(re.compile("better off dead"))).to_be_visible()
            screenshot("question-9")
        option.check()
        page.get_by_role("button", name=re.compile("^Next")).click()

    # The very next screen shows the crisis numbers.
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Call the clinic"))).to_be_visible()
    _fits_the_phone(page)
    screenshot("crisis-help-right-after")
    page.get_by_role("button", name="Send my answers to my care team").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    screenshot("sent-with-help")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, "jonas.berg@example.com", "demo-therapist-pass")
    urgent = page.locator("#measure-alerts-heading").locator("xpath=..")
    expect(urgent).to_be_visible()
    expect(urgent).to_contain_text("Grace Kim")
    first_card = page.locator("main section.card, main ul#patient-list").first
    expect(first_card).to_contain_text("Urgent: thoughts of self-harm")
    _fits_the_phone(page)
    screenshot("therapist-sees-urgent-flag")
    urgent.locator("li", has_text="Grace Kim").get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Grace Kim is no longer marked urgent")).to_be_visible()
    expect(page.locator("li.alert-row", has_text="Grace Kim")).to_have_count(0)
    screenshot("flag-gone")

    page.get_by_role("link", name="Grace Kim").first.click()
    expect(page.get_by_role("heading", name="Measures")).to_be_visible()
    page.locator("#measures").scroll_into_view_if_needed()
    _fits_the_phone(page)
    screenshot("patient-page-measures")

    page.get_by_role("link", name="Every answer and the chart").click()
    expect(page.get_by_role("img", name="Questionnaire scores over time")).to_be_visible()
    _fits_the_phone(page)
    screenshot("scores-chart")

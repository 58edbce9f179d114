"""Sam, on his phone, turns off one kind of email reminder and sees it saved."""

import pytest
from playwright.sync_api import expect

from reminders.kinds import CARE_TEAM_COMMENT
from reminders.models import ReminderOptOut
from tests.browser.helpers import log_in
from tests.factories.accounts import TEST_PASSWORD, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sam_turns_off_the_emails_about_his_care_teams_comments(live_server, page, screenshot):
    sam = PatientFactory(first_name="Sam", last_name="Rivera", email="sam@example.com")
    log_in(page, live_server, sam.email, TEST_PASSWORD)

    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Email reminders").click()
    expect(page.get_by_role("heading", name="Email reminders")).to_be_visible()
    comments = page.get_by_label("When your care team writes to you")
    expect(comments).to_be_checked()
    screenshot("all-on")

    comments.uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your reminders are saved.")).to_be_visible()
    expect(page.get_by_label("When your care team writes to you")).not_to_be_checked()
    expect(page.get_by_label("When your care team answers a question you asked")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("one-off-saved")
    assert list(ReminderOptOut.objects.values_list("user", "kind")) == [(sam.pk, CARE_TEAM_COMMENT)]

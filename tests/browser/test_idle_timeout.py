"""Automatic logoff on a phone: a warning a minute before, "Stay logged in", and a draft that is
saved before the session ends.

Two clocks are used. With the real limits (30 minutes for a patient), the browser's clock is
moved on by Playwright: the warning's wording, staying, and a phone that wakes up after the
limit. With a limit of a few seconds, both the browser and the server run on real time, so the
server's clock and the page's are seen to agree.
"""

import re

import pytest
from playwright.sync_api import expect

from journal.models import Entry
from tests.browser.helpers import log_in
from tests.factories.accounts import TEST_PASSWORD, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
WARNING = "For your privacy you'll be logged out in"


def _warning(page):
    return page.get_by_role("alertdialog", name="Are you still there?")


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _our_keys(page):
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('kap:'))")


@pytest.fixture
def sam(db):
    return PatientFactory(first_name="Sam", last_name="Rivera", email="sam@example.com")


def test_a_minute_before_the_limit_sam_is_warned_and_stays(live_server, page, screenshot, sam):
    log_in(page, live_server, sam.email, TEST_PASSWORD)
    page.clock.install()
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("heading", name="Your journal")).to_be_visible()

    # 28 minutes and 50 seconds without touching the phone: no warning yet.
    page.clock.fast_forward("28:50")
    expect(_warning(page)).to_be_hidden()

    # At 29 minutes, a minute before the 30-minute limit, the warning, focused on its button.
    page.clock.fast_forward("00:10")
    warning = _warning(page)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"{WARNING} 1 minute.")
    expect(warning).to_contain_text("Anything you are writing is saved first.")
    stay = warning.get_by_role("button", name="Stay logged in")
    expect(stay).to_be_focused()
    box = warning.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE_WIDTH
    _fits_the_phone(page)
    screenshot("warning-a-minute-before")

    with page.expect_response(re.compile(r"/session/keep-alive/$")) as kept:
        stay.click()
    assert kept.value.status == 204
    expect(warning).to_be_hidden()
    # The clock started again: five more minutes, and no warning.
    page.clock.fast_forward("05:00")
    expect(warning).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", name="Your journal")).to_be_visible()
    screenshot("stayed-logged-in")


def test_a_phone_waking_after_the_limit_saves_the_draft_and_logs_out(
    live_server, page, screenshot, sam
):
    log_in(page, live_server, sam.email, TEST_PASSWORD)
    page.clock.install()
    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill("Written just before the phone went to sleep.")

    # The phone sleeps for 40 minutes: no timer runs, the wall clock does. It wakes up.
    page.clock.set_system_time(page.evaluate("Date.now()") + 40 * 60 * 1000)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("without activity, to keep your journal private")).to_be_visible()
    assert _our_keys(page) == []
    draft = Entry.objects.get(patient=sam)
    assert draft.is_draft
    assert draft.body == "Written just before the phone went to sleep."
    _fits_the_phone(page)
    screenshot("logged-out-on-waking")


def test_with_a_short_limit_staying_keeps_the_session_and_time_running_out_saves_the_draft(
    live_server, page, screenshot, sam, settings
):
    # 12 seconds: the warning comes at about 5 seconds, the logout at about 11.
    settings.IDLE_TIMEOUT_PATIENT_MINUTES = 0.2
    log_in(page, live_server, sam.email, TEST_PASSWORD)
    page.goto(live_server.url + "/journal/")
    warning = _warning(page)
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text(WARNING)
    screenshot("short-limit-warning")
    warning.get_by_role("button", name="Stay logged in").click()
    expect(warning).to_be_hidden()

    # Past the first limit: without "Stay" the server would have ended the session by now.
    page.wait_for_timeout(8_000)
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("heading", name="Your journal")).to_be_visible()

    # Sam writes, but the autosaves never get through (a weak signal); then he puts the
    # phone down. When time runs out the page saves the draft itself, then logs out.
    page.route(
        "**/journal/write/",
        lambda route: (
            route.abort()
            if route.request.method == "POST" and "hx-trigger" in route.request.headers
            else route.continue_()
        ),
    )
    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill("The music was like rain on the lake.")
    expect(page.locator("#draft-status")).to_contain_text("no connection", timeout=10_000)
    assert not Entry.objects.filter(patient=sam).exists()
    expect(warning).to_be_visible(timeout=20_000)
    screenshot("warning-while-writing")

    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=20_000)
    expect(
        page.get_by_text(
            "You were logged out after 12 seconds without activity, to keep your journal private."
        )
    ).to_be_visible()
    assert _our_keys(page) == []
    draft = Entry.objects.get(patient=sam)
    assert draft.is_draft
    assert draft.body == "The music was like rain on the lake."
    _fits_the_phone(page)
    screenshot("logged-out-draft-saved")

    # The old session is over on the server, not only on this screen.
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

"""On a phone, Sam reflects on a session and Maya, his therapist, reviews it and comments.

The draft survives a reload and a dropped connection; the entry is shared and marked for
discussion; Maya reviews it and comments; Sam sees the comment and that Maya read it.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_reflection_travels_from_patient_to_therapist_and_back(live_server, page, screenshot):
    call_command("seed_demo", verbosity=0)
    call_command("seed_journal_demo", verbosity=0)

    # Sam opens his journal: his latest session waits for a reflection.
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/journal/")
    invitation = page.get_by_role("heading", name=re.compile(r"Your session .*: how was it\?"))
    expect(invitation).to_be_visible()
    expect(page.get_by_role("img", name="Mood and anxiety over time")).to_be_visible()
    _fits_the_phone(page)
    screenshot("patient-journal")

    page.get_by_role("link", name="Write about your session").click()
    expect(page.get_by_role("heading", name=re.compile("how was it"))).to_be_visible()
    page.get_by_role("group", name="Mood").get_by_role("radio", name="7", exact=True).check()
    page.get_by_role("group", name="Anxiety").get_by_role("radio", name="3", exact=True).check()
    reflection = page.get_by_label("Your reflection")
    reflection.fill("The music felt like waves. I saw the lake house again.")
    status = page.locator("#draft-status")
    expect(status).to_contain_text("Draft saved", timeout=10_000)
    _fits_the_phone(page)
    screenshot("draft-saved")

    # More words, then a reload before the autosave pause is over: nothing is lost.
    reflection.press("End")
    reflection.type(" It was calm.")
    page.reload()
    expect(page.get_by_label("Your reflection")).to_have_value(
        "The music felt like waves. I saw the lake house again. It was calm.", timeout=10_000
    )
    expect(
        page.get_by_role("group", name="Mood").get_by_role("radio", name="7", exact=True)
    ).to_be_checked()
    screenshot("after-reload")

    # The connection drops while Sam writes, and comes back.
    page.context.set_offline(True)
    page.get_by_label("Your reflection").type(" Tired now.")
    expect(status).to_contain_text("no connection", timeout=10_000)
    screenshot("offline")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).to_contain_text("Draft saved", timeout=10_000)

    # He shares it and asks to discuss it; the choice is explained where it is made.
    expect(page.get_by_text("nobody at the clinic sees it")).to_be_visible()
    page.get_by_label("Me and my care team (shared)").check()
    page.get_by_label("Bring this to my next integration session").check()
    screenshot("sharing-choice")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Shared with your care team")).to_be_visible()
    expect(page.get_by_text("Tired now.")).to_be_visible()
    _fits_the_phone(page)
    screenshot("entry-saved")
    _log_out(page)

    # Maya sees it on her dashboard, reviews it and comments.
    log_in(page, live_server, "maya.okafor@example.com", "demo-therapist-pass")
    page.goto(live_server.url + "/patients/")
    expect(
        page.get_by_role("heading", name="Urgent: crisis language in a shared entry")
    ).to_be_visible()
    sam_row = page.locator(".dashboard-row", has=page.get_by_role("link", name="Sam Rivera"))
    expect(sam_row.get_by_text(re.compile(r"\d+ for discussion"))).to_be_visible()
    _fits_the_phone(page)
    screenshot("therapist-dashboard")

    page.get_by_role("link", name="Sam Rivera").click()
    page.get_by_role("link", name=re.compile(r"^Entry today at")).first.click()
    expect(page.get_by_text("The music felt like waves.")).to_be_visible()
    expect(page.get_by_text("would like to discuss this")).to_be_visible()
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator("#review-status")).to_contain_text("Reviewed today at")
    page.get_by_label("Comment for the patient").fill("The lake house again: let us start there.")
    page.get_by_role("button", name="Send comment to Sam").click()
    expect(page.locator("#comments")).to_contain_text("let us start there")
    _fits_the_phone(page)
    screenshot("therapist-review")

    page.goto(page.url.split("/journal/")[0] + "/patients/")
    page.get_by_role("link", name="Sam Rivera").click()
    page.get_by_role("link", name=re.compile("Integration agenda")).click()
    expect(page.get_by_text("The music felt like waves.")).to_be_visible()
    screenshot("agenda")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    screenshot("agenda-printed")
    page.emulate_media(media="screen")
    _log_out(page)

    # Sam sees the comment, and that Maya read his entry.
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/journal/")
    expect(page.get_by_text("New comment")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Entry today at")).first.click()
    expect(page.get_by_text("The lake house again: let us start there.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Maya Okafor, last today at"))).to_be_visible()
    _fits_the_phone(page)
    screenshot("patient-sees-comment")


def test_with_javascript_off_a_patient_still_writes_and_saves(live_server, browser, request):
    call_command("seed_demo", verbosity=0)
    call_command("seed_journal_demo", verbosity=0)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill("Written without JavaScript.")
    page.get_by_role("button", name="Save draft, finish later").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    expect(page.get_by_label("Your reflection")).to_have_value("Written without JavaScript.")

    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", name=re.compile("Your entry, today at"))).to_be_visible()
    expect(page.get_by_text("Written without JavaScript.")).to_be_visible()
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "01-entry-saved-without-javascript.png", full_page=True)
    context.close()


def test_crisis_words_bring_help_while_writing(live_server, page, screenshot):
    call_command("seed_demo", verbosity=0)
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill("Tonight I don't want to be alive.")
    help_box = page.get_by_role("alert").filter(has_text="You do not have to go through this alone")
    expect(help_box).to_be_visible(timeout=10_000)
    expect(help_box.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    _fits_the_phone(page)
    screenshot("help-while-writing")

    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("button", name="Share this entry with my care team")).to_be_visible()
    screenshot("offer-to-share")

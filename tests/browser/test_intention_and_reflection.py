"""On a phone, Sam writes what he wants to bring into his session; Maya records the
session; Sam reflects with his intention beside the prompts; Maya sees both on the agenda.
Then Sam answers Maya's comment, and Maya sees the unread reply on her dashboard.
"""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Intention
from tests.browser.helpers import log_in
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
INTENTION = "I want to stay with the sadness about my father, and not push it away."
REFLECTION = "The sadness came, and it moved through. My father's voice, then quiet."
REPLY = "Yes. It felt lighter the day after, like after rain."


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _phone(browser, request):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844})
    # Closed after the test: an open page keeps its connection to the live server, whose
    # thread then keeps a database session, and the test database cannot be dropped.
    request.addfinalizer(context.close)
    return context.new_page()


def test_an_intention_comes_back_beside_the_reflection_and_on_the_agenda(
    live_server, browser, request
):
    call_command("seed_demo", verbosity=0)
    call_command("seed_journal_demo", verbosity=0)
    # Sam and Maya each on their own phone, each logged in once (a staff code is single use).
    sams_phone, mayas_phone = _phone(browser, request), _phone(browser, request)
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    steps = iter(range(1, 100))

    def screenshot(name, page):
        page.screenshot(path=folder / f"{next(steps):02d}-{name}.png", full_page=True)

    page = sams_phone

    # Sam, at home before his session, writes what he wants to bring into it.
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/")
    card = page.get_by_role("heading", name=re.compile("Before your next session"))
    expect(card).to_be_visible()
    screenshot("home-intention-card", page)
    page.get_by_role("link", name="Write your intention").click()
    expect(page.get_by_label("Share with my care team")).to_be_checked()
    page.get_by_label("What do you want to bring into your next session?").fill(INTENTION)
    _fits_the_phone(page)
    screenshot("intention-written", page)
    page.get_by_role("button", name="Save my intention").click()
    expect(page.get_by_text("Your intention is saved.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.get_by_text(INTENTION)).to_be_visible()
    screenshot("home-with-intention", page)
    # A day passes: Sam wrote it the evening before his session.
    Intention.objects.filter(body=INTENTION).update(written_at=timezone.now() - timedelta(days=1))

    # Maya records the session after it took place.
    page = mayas_phone
    log_in(page, live_server, "maya.okafor@example.com", "demo-therapist-pass")
    page.goto(live_server.url + "/patients/")
    page.get_by_role("link", name="Sam Rivera").click()
    expect(page.get_by_text(INTENTION)).to_be_visible()
    screenshot("patient-page-next-intention", page)
    page.get_by_role("link", name="Record a session").first.click()
    began = timezone.localtime(timezone.now() - timedelta(minutes=1))
    page.get_by_label("Date and time").fill(began.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("IV infusion").check()
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("The session is recorded.")).to_be_visible()

    # Sam reflects on it: his intention is there beside the prompts.
    page = sams_phone
    page.goto(live_server.url + "/journal/")
    page.get_by_role("link", name="Write about your session").click()
    expect(page.get_by_role("heading", name="Before the session you wrote")).to_be_visible()
    expect(page.locator(".intention-before")).to_contain_text(INTENTION)
    _fits_the_phone(page)
    screenshot("reflection-with-intention", page)
    # The prompts open by themselves, the intention at their top.
    expect(page.locator(".intention-reminder")).to_contain_text("Before the session you wrote")
    page.get_by_label("What stood out for you?").fill("That I could stay.")
    page.get_by_label("Your reflection").fill(REFLECTION)
    page.get_by_label("Me and my care team (shared)").check()
    screenshot("reflection-written", page)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Your entry is saved.")).to_be_visible()
    expect(page.locator(".intention-before")).to_contain_text(INTENTION)
    screenshot("reflection-saved", page)

    # Maya prepares the integration session: the intention and the reflection, together.
    page = mayas_phone
    page.goto(live_server.url + "/patients/")
    page.get_by_role("link", name="Sam Rivera").click()
    page.get_by_role("link", name=re.compile("Integration agenda")).click()
    newest = page.locator(".agenda-session").first
    expect(newest).to_contain_text(INTENTION)
    expect(newest).to_contain_text(REFLECTION)
    _fits_the_phone(page)
    screenshot("agenda-intention-and-reflection", page)

    # She comments on the reflection.
    newest.get_by_role("link", name="Open the entry").click()
    expect(page.get_by_text("Before the session you wrote")).to_be_visible()
    page.get_by_label("Comment for the patient").fill("Staying with it took courage.")
    page.get_by_role("button", name="Send comment to Sam").click()
    expect(page.locator("#comments")).to_contain_text("took courage")
    screenshot("therapist-comments", page)

    # Sam answers in the thread under his entry.
    page = sams_phone
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Read the comment").first.click()
    expect(page.get_by_text("Staying with it took courage.")).to_be_visible()
    page.get_by_label("Your reply").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()
    thread = page.locator("#thread")
    expect(thread).to_contain_text(REPLY)
    expect(thread.locator(".comment-mine .comment-meta")).to_contain_text("You")
    _fits_the_phone(page)
    screenshot("patient-replied", page)

    # Maya sees the unread reply on her dashboard, and opening the entry reads it.
    page = mayas_phone
    page.goto(live_server.url + "/patients/")
    sam_row = page.locator(".dashboard-row", has=page.get_by_role("link", name="Sam Rivera"))
    expect(sam_row.get_by_text("1 new reply")).to_be_visible()
    _fits_the_phone(page)
    screenshot("dashboard-unread-reply", page)
    sam_row.get_by_role("link", name="Sam Rivera").click()
    page.locator(".entry-card", has=page.get_by_text("1 new reply")).get_by_role("link").click()
    expect(page.locator("#comments")).to_contain_text(REPLY)
    expect(page.get_by_text("New reply")).to_be_visible()
    screenshot("therapist-reads-reply", page)
    page.goto(live_server.url + "/patients/")
    expect(sam_row.get_by_text("1 new reply")).to_have_count(0)

"""One phone, two patients: Sam's unsent writing never appears for Grace.

Sam starts a reflection and logs out without sending it. Grace logs in on the same browser
and opens the writing page: her form is empty, and the browser keeps nothing of Sam's, even
copies planted the way older versions of the app left them.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from journal.models import Entry
from tests.browser.helpers import log_in
from tests.factories.accounts import TEST_PASSWORD, PatientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
SAMS_WORDS = "I told nobody about the lake house. Not even Maya."


def _stored(page):
    """Everything this origin keeps in localStorage, as {key: value}."""
    return json.loads(page.evaluate("JSON.stringify(Object.assign({}, localStorage))"))


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_sams_unsent_reflection_never_reaches_grace_on_a_shared_phone(
    live_server, page, screenshot
):
    sam = PatientFactory(first_name="Sam", last_name="Rivera", email="sam@example.com")
    grace = PatientFactory(first_name="Grace", last_name="Kim", email="grace@example.com")
    sams_key = f"kap:journal-draft:{sam.public_id}:new:standalone"

    # Sam writes, and the words are kept on the device under a key that names him.
    log_in(page, live_server, sam.email, TEST_PASSWORD)
    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill(SAMS_WORDS)
    assert SAMS_WORDS in _stored(page)[sams_key]
    _fits_the_phone(page)
    screenshot("sam-writes")

    # He logs out at once, before the autosave pause is over, without sending the entry.
    with page.expect_response(
        lambda response: (
            response.url.endswith("/accounts/logout/") and response.request.method == "POST"
        )
    ) as logout:
        page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    headers = logout.value.all_headers()
    assert headers["clear-site-data"] == '"cache", "storage"'
    assert "no-store" in headers["cache-control"]
    assert not [key for key in _stored(page) if key.startswith("kap:")]
    # Nothing is lost: his words were saved to the server, as his private draft, first.
    draft = Entry.objects.get(patient=sam)
    assert draft.is_draft
    assert draft.body == SAMS_WORDS
    assert not draft.is_shared
    screenshot("sam-logged-out")

    # The attack: copies left the way a closed tab (Sam's own key) or the app before this
    # fix (one key for everyone) would have left them.
    page.evaluate(
        """([samsKey, words]) => {
            const copy = JSON.stringify({savedAt: Date.now(), values: {body: words}});
            localStorage.setItem(samsKey, copy);
            localStorage.setItem("journal:new:standalone", copy);
        }""",
        [sams_key, SAMS_WORDS],
    )

    # Grace logs in on the same phone and starts writing: nothing of Sam's.
    log_in(page, live_server, grace.email, TEST_PASSWORD)
    page.goto(live_server.url + "/journal/write/")
    expect(page.get_by_role("heading", name="Write an entry")).to_be_visible()
    expect(page.get_by_label("Your reflection")).to_have_value("")
    expect(page.locator("#draft-restored")).to_be_hidden()
    expect(page.get_by_text(re.compile("lake house"))).to_have_count(0)
    stored = _stored(page)
    assert not [key for key in stored if str(sam.public_id) in key or key.startswith("journal:")]
    assert not [value for value in stored.values() if "lake house" in value]
    _fits_the_phone(page)
    screenshot("grace-sees-an-empty-form")

    # Grace's own writing is kept under her key, and only until the server has it.
    page.get_by_label("Your reflection").fill("My first entry.")
    grace_key = f"kap:journal-draft:{grace.public_id}:new:standalone"
    assert "My first entry." in _stored(page)[grace_key]
    expect(page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
    page.wait_for_function(f"localStorage.getItem({json.dumps(grace_key)}) === null")
    screenshot("grace-draft-saved")

"""On a phone, the line that says the draft saves itself never covers a mood or anxiety button.

It used to stick to the bottom of the screen while Sam scrolled, and on a 390 px screen it
hid half a row of the anxiety scale. Each button is brought to the top and to the bottom of
the screen, and the page is swept from top to bottom; at no point may the status line lie
over a button. Checked before and after an autosave (the saved line is longer), on the
page for a session and on the one for a free entry.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Returns "Anxiety 7 at scroll 340" for each time the status box lies over a button box.
# Done in the page, since a sweep of the page in steps of 10 px means many measurements.
BUTTONS_COVERED = """() => {
  const status = document.getElementById("draft-status");
  const scaleName = (group) => group.querySelector("legend")?.textContent.trim() ?? "";
  const buttons = [...document.querySelectorAll("fieldset")]
    .filter((group) => /^(Mood|Anxiety)/.test(scaleName(group)))
    .flatMap((group) => [...group.querySelectorAll("label:has(input[type=radio])")]
      .map((label) => ({label, name: `${scaleName(group)} ${label.textContent.trim()}`})));
  const covered = [];
  const check = (where) => {
    const s = status.getBoundingClientRect();
    for (const {label, name} of buttons) {
      const b = label.getBoundingClientRect();
      if (s.left < b.right && b.left < s.right && s.top < b.bottom && b.top < s.bottom) {
        covered.push(`${name} ${where}`);
      }
    }
  };
  for (const {label, name} of buttons) {
    for (const edge of ["start", "end"]) {
      label.scrollIntoView({block: edge});
      check(`brought to the ${edge} of the screen`);
    }
  }
  const lowest = buttons.at(-1).label.getBoundingClientRect().bottom + window.scrollY;
  for (let y = 0; y <= lowest; y += 10) {
    window.scrollTo(0, y);
    check(`at scroll ${window.scrollY}`);
  }
  return {count: buttons.length, covered};
}"""


def _buttons_covered_by_the_status(page):
    found = page.evaluate(BUTTONS_COVERED)
    assert found["count"] == 24, "expected Mood and Anxiety, each 0 to 10 and Skip"
    return found["covered"]


def _look_at_the_scales(page, path):
    """The screen as Sam sees it: a bar stuck over the buttons shows only in such a shot."""
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("group", name="Anxiety").scroll_into_view_if_needed()
    page.screenshot(path=path)


def test_the_draft_status_never_covers_the_mood_or_anxiety_buttons(live_server, page, request):
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    call_command("seed_demo", verbosity=0)
    call_command("seed_journal_demo", verbosity=0)
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")

    # Sam's latest session invites a reflection: that page has the longest heading.
    page.goto(live_server.url + "/journal/")
    page.get_by_role("link", name=re.compile("Write about your session|Continue your")).click()
    status = page.locator("#draft-status")
    expect(status).to_be_visible()
    _look_at_the_scales(page, folder / "01-session-reflection.png")
    assert _buttons_covered_by_the_status(page) == []

    page.get_by_role("group", name="Anxiety").get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("Your reflection").fill("Quiet morning, a little shaky.")
    expect(status).to_contain_text("Draft saved", timeout=10_000)
    _look_at_the_scales(page, folder / "02-session-reflection-saved.png")
    assert _buttons_covered_by_the_status(page) == []

    page.goto(live_server.url + "/journal/write/")
    expect(status).to_have_text("Your draft saves itself as you write.")
    _look_at_the_scales(page, folder / "03-free-entry.png")
    assert _buttons_covered_by_the_status(page) == []

    # It now sits right above the save buttons, where Sam looks before he leaves.
    page.get_by_role("button", name="Save entry").scroll_into_view_if_needed()
    expect(status).to_be_in_viewport()
    page.screenshot(path=folder / "04-status-above-the-save-buttons.png")

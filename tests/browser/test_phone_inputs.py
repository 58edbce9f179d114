"""On a phone, no form field is small enough for iOS to zoom the page when it takes focus.

Safari on an iPhone zooms in on any field whose text is under 16 px, and the patient then
has to pinch back out to see the page. Each form people fill in on a phone is opened at
390x844 and every field on it, checkboxes and radios included, is measured.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.helpers import log_in
from tests.factories.consent import shipped_consent_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IOS_NO_ZOOM_PX = 16

# Every field on the page, with the folded parts (<details>) opened first so that the
# fields inside them are measured too. Hidden inputs carry no text and are left out.
MEASURE_FIELDS = """() => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  return [...document.querySelectorAll("input, select, textarea")]
    .filter((field) => field.type !== "hidden" && field.getClientRects().length > 0)
    .map((field) => ({
      field: `${field.tagName.toLowerCase()}[type=${field.type}] ${field.name || field.id}`,
      px: parseFloat(getComputedStyle(field).fontSize),
    }));
}"""


def _measure(page, screenshot, step, too_small):
    fields = page.evaluate(MEASURE_FIELDS)
    screenshot(step)
    assert fields, f"{step}: no form field found, so nothing was measured"
    small = [f"{f['field']}: {f['px']:g} px" for f in fields if f["px"] < IOS_NO_ZOOM_PX]
    if small:
        too_small[step] = small


def test_every_form_field_is_at_least_16_px_on_a_phone(live_server, page, screenshot):
    # Earlier browser tests empty the database, consent text included: bring it back.
    shipped_consent_version()
    call_command("seed_demo", verbosity=0)
    sam = User.objects.get(email="sam.rivera@example.com")
    too_small = {}

    page.goto(live_server.url + "/accounts/login/")
    _measure(page, screenshot, "login", too_small)

    # Sam starts reading his consent: the step has a question, a checkbox and a
    # folded "ask your care team" box.
    log_in(page, live_server, sam.email, "demo-patient-pass")
    page.goto(live_server.url + "/consent/")
    page.get_by_role("button", name="Start reading").click()
    expect(page.get_by_text("Step 1 of")).to_be_visible()
    _measure(page, screenshot, "consent-step", too_small)

    page.goto(live_server.url + "/journal/write/")
    expect(page.get_by_label("Your reflection")).to_be_visible()
    _measure(page, screenshot, "entry-write", too_small)
    page.get_by_role("button", name="Log out").click()

    # Maya, his therapist, records a session for him.
    log_in(page, live_server, "maya.okafor@example.com", "demo-therapist-pass")
    page.goto(f"{live_server.url}/patients/{sam.public_id}/sessions/new/")
    expect(page.get_by_role("heading", name="Record a session for Sam")).to_be_visible()
    _measure(page, screenshot, "session-form", too_small)

    assert too_small == {}

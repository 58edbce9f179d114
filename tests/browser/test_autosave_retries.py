"""A dropped autosave is tried again on its own, so a patient's last words reach the clinic.

Sam types a sentence and puts the phone down. The autosave request is lost on the way (a
mobile network does this; so did the test server once, which is how we found it). Before the
fix the page said "no connection" and waited for another keystroke that never came. Now it
tries again after a short pause, and the server copy holds his words without him doing a thing.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from journal.models import Entry
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _drop_requests(page, *, failing, status=None):
    """The first `failing` autosaves fail: lost on the network, or answered with `status`."""
    dropped = []

    def handle(route):
        request = route.request
        if (
            request.method == "POST"
            and "autosave" in (request.post_data or "")
            and (len(dropped) < failing)
        ):
            dropped.append(request.url)
            if status is None:
                route.abort("connectionreset")
            else:
                route.fulfill(status=status, body="Service unavailable")
            return
        route.continue_()

    page.route("**/journal/**", handle)
    return dropped


@pytest.mark.parametrize("status", [None, 503], ids=["lost on the network", "server error"])
def test_a_failed_autosave_is_tried_again_without_another_keystroke(live_server, page, status):
    call_command("seed_demo", verbosity=0)
    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    dropped = _drop_requests(page, failing=2, status=status)

    page.goto(live_server.url + "/journal/write/")
    page.get_by_label("Your reflection").fill("Put the phone down after this line.")
    status_line = page.locator("#draft-status")
    expect(status_line).to_contain_text("Not saved yet", timeout=10_000)

    # No more typing. Two failures, then the third try (2 s, then 4 s later) gets through.
    expect(status_line).to_contain_text("Draft saved", timeout=15_000)
    assert len(dropped) == 2
    draft = Entry.objects.filter(patient__email="sam.rivera@example.com").latest("pk")
    assert draft.body == "Put the phone down after this line."

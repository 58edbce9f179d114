"""On a phone, Sam scrolls back through a long journal and Maya through his shared entries.

"Older entries" adds the next 20 in place, where the reader is, without leaving the page;
the chart's window links change how far back the chart reaches.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from journal.models import Entry
from tests.browser.helpers import log_in
from tests.factories.journal import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_sam_and_maya_scroll_back_through_a_long_journal(live_server, page, screenshot):
    call_command("seed_demo", verbosity=0)
    sam = User.objects.get(email="sam.rivera@example.com")
    # Sam's demo entries are the newest; 30 older ones follow, 5 days apart.
    newest = Entry.objects.filter(patient=sam, submitted_at__isnull=False).count()
    start = timezone.now() - timedelta(days=40)
    for n in range(30):
        EntryFactory(
            patient=sam,
            is_shared=True,
            body=f"Week {n}: a quieter morning than the last.",
            submitted_at=start - timedelta(days=5 * n),
            mood=4 + n % 5,
            anxiety=6 - n % 4,
        )

    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.goto(live_server.url + "/journal/")
    last_on_first_page, first_on_next = 19 - newest, 20 - newest
    expect(page.get_by_text(f"Week {last_on_first_page}:")).to_be_visible()
    expect(page.get_by_text(f"Week {first_on_next}:")).to_have_count(0)
    expect(page.get_by_role("link", name="90 days")).to_have_attribute("aria-current", "true")
    _fits_the_phone(page)
    screenshot("journal-first-page")

    # htmx appends the next page in place: the URL stays, the first page stays.
    page.get_by_role("link", name="Older entries").click()
    expect(page.get_by_text(f"Week {first_on_next}:")).to_be_visible()
    expect(page.get_by_text("Week 0:")).to_be_visible()
    assert page.url.endswith("/journal/")
    _fits_the_phone(page)
    screenshot("journal-older-entries")

    # A longer chart: a year of entries rather than 90 days.
    page.get_by_role("link", name="1 year").click()
    expect(page.get_by_role("link", name="1 year")).to_have_attribute("aria-current", "true")
    expect(page.locator("#mood-chart-caption")).to_contain_text("the last year")
    screenshot("journal-chart-one-year")

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "maya.okafor@example.com", "demo-therapist-pass")
    page.goto(live_server.url + f"/patients/{sam.public_id}/")
    while page.get_by_role("link", name="Older entries").count():
        page.get_by_role("link", name="Older entries").click()
        page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Week 29:")).to_be_visible()
    assert page.url.endswith(f"/patients/{sam.public_id}/")
    _fits_the_phone(page)
    screenshot("therapist-older-entries")

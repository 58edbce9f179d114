"""On a server without Debian's Pango, Sam taps "Download it as a PDF" and is offered his copy.

WeasyPrint cannot load there; instead of an error page he reads what happened and opens
the printable copy, which his phone can print or save as a PDF.
"""

import sys

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.helpers import log_in
from tests.factories.consent import shipped_consent_version, signed_consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_without_pango_the_pdf_link_leads_to_the_printable_copy(
    live_server, page, screenshot, monkeypatch
):
    call_command("seed_demo", verbosity=0)
    sam = User.objects.get(email="sam.rivera@example.com")
    signed_consent(sam, shipped_consent_version(), password="demo-patient-pass")
    # live_server runs in this process: WeasyPrint now fails to import there too.
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    log_in(page, live_server, sam.email, "demo-patient-pass")
    page.goto(live_server.url + "/consent/")
    page.get_by_role("link", name="Download it as a PDF").click()
    expect(page.get_by_role("heading", name="The PDF can't be made right now")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("pdf-not-available")

    page.get_by_role("link", name="Open the printable copy").click()
    expect(page.get_by_role("heading", name="Signed consent")).to_be_visible()
    screenshot("printable-copy")

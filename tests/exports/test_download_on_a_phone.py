"""On his phone, with JavaScript off, Sam finds his own copy from home and downloads the PDF."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.conftest import ARTIFACTS
from tests.exports.conftest import SAMS_SHARED_WORDS
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.journal import EntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_sam_downloads_his_records_as_a_pdf_without_javascript(
    request, live_server, browser, patient, tmp_path
):
    screenshots = ARTIFACTS / request.node.name
    screenshots.mkdir(parents=True, exist_ok=True)
    EntryFactory(patient=patient, body=SAMS_SHARED_WORDS)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, live_server, patient.email, TEST_PASSWORD)
        page.get_by_role("link", name="Get a copy of your records").click()

        expect(page.get_by_role("heading", name="Your own copy")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=screenshots / "01-my-copy.png", full_page=True)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the PDF").click()
        download = download_info.value

        assert download.suggested_filename.startswith("my-records-")
        assert download.suggested_filename.endswith(".pdf")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF")
    finally:
        context.close()

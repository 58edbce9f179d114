"""Part 11 on a phone: Sam signs by typing his password again, takes his own copy, and his
therapist sees how his identity was confirmed and how long each section was open.
Afterwards Sam sees that she looked.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from audit.models import AuditEvent, Kind
from tests.browser.helpers import log_in
from tests.factories.consent import shipped_consent_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAM = ("sam.rivera@example.com", "demo-patient-pass")
MAYA = ("maya.okafor@example.com", "demo-therapist-pass")


def _read_every_section(page, version):
    page.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Start reading").click()
    for section in version.ordered_sections():
        expect(page.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
        if section.has_question:
            right = section.question_choices[section.correct_choice - 1]
            page.get_by_label(right, exact=True).check()
            page.get_by_role("button", name="Check my answer").click()
            expect(page.get_by_text("That's right.")).to_be_visible()
        page.get_by_label("I have read and understand this section").check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Go to signature").click()


def test_sam_signs_with_his_password_takes_his_copy_and_maya_sees_the_record(
    live_server, page, screenshot
):
    version = shipped_consent_version()
    call_command("seed_demo", verbosity=0)

    log_in(page, live_server, *SAM)
    _read_every_section(page, version)

    # A wrong password is refused kindly, and the typed name is still there.
    page.get_by_label("Type your full name").fill("Sam Rivera")
    page.get_by_label("I understand that typing my name here is my signature").check()
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Sign my consent").click()
    expect(page.get_by_text(re.compile("not the password", re.IGNORECASE))).to_be_visible()
    expect(page.get_by_label("Type your full name")).to_have_value("Sam Rivera")
    screenshot("wrong-password")

    page.get_by_label("I understand that typing my name here is my signature").check()
    page.get_by_label("Your password").fill(SAM[1])
    screenshot("signature-with-password")
    page.get_by_role("button", name="Sign my consent").click()
    expect(page.get_by_role("heading", name="Thank you. Your consent is signed.")).to_be_visible()
    screenshot("signed")

    # His own copy, from his home page.
    page.goto(live_server.url + reverse("care:patient_home"))
    page.get_by_role("link", name="Get a copy of your records").click()
    expect(page.get_by_role("heading", name="Your own copy")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("own-copy")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the JSON file").click()
    with open(download_info.value.path(), encoding="utf-8") as exported:
        records = json.load(exported)
    signed = [c for c in records["consents"] if c.get("signature")]
    assert signed and signed[0]["signature"]["typed_name"] == "Sam Rivera"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert AuditEvent.objects.filter(kind=Kind.EXPORTED, actor__email=SAM[0]).count() == 2
    page.get_by_role("button", name="Log out").click()

    # Maya opens his record: how his identity was confirmed, and the reading times.
    log_in(page, live_server, *MAYA)
    page.locator(".dashboard-row").filter(
        has=page.get_by_role("heading", name="Sam Rivera")
    ).get_by_role("link", name=re.compile(r"Consent signed")).click()
    record = page.locator("article.consent-history").first
    expect(record.get_by_text(re.compile("password", re.IGNORECASE)).first).to_be_visible()
    record.get_by_text(re.compile(r"Sections acknowledged")).click()
    # A test reads faster than any person: every section is flagged as fast.
    expect(record.get_by_text("Fast", exact=True).nth(1)).to_be_visible()
    record.scroll_into_view_if_needed()
    screenshot("therapist-sees-identity-and-reading-times")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Log out").click()

    # Sam sees that Maya looked at his shared entries on his page.
    log_in(page, live_server, *SAM)
    page.goto(live_server.url + reverse("journal:timeline"))
    page.get_by_role("link", name="See who has looked at your shared entries").click()
    expect(page.get_by_role("heading", name="Who looked at your entries")).to_be_visible()
    expect(page.get_by_text("Maya Okafor").first).to_be_visible()
    screenshot("who-looked")

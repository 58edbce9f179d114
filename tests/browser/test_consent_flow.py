"""A demo patient reads, checks, signs and downloads their consent; the therapist sees it."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories.consent import shipped_consent_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_signs_consent_on_a_phone_and_the_therapist_sees_it(live_server, page, screenshot):
    version = shipped_consent_version()
    call_command("seed_demo", verbosity=0)
    sections = version.ordered_sections()
    wrong_answer_done = False

    log_in(page, live_server, "sam.rivera@example.com", "demo-patient-pass")
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_role("heading", name=version.title)).to_be_visible()
    screenshot("overview")
    page.get_by_role("button", name="Start reading").click()

    for section in sections:
        expect(page.get_by_text(f"Step {section.position} of {len(sections)}")).to_be_visible()
        # htmx swaps the next section in and keeps the address bar on it.
        expect(page).to_have_url(re.compile(rf"/consent/step/{section.position}/$"))
        expect(page.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
        if section.has_question:
            if not wrong_answer_done:
                wrong = next(t for n, t in section.numbered_choices if n != section.correct_choice)
                page.get_by_label(wrong, exact=True).check()
                page.get_by_role("button", name="Check my answer").click()
                expect(page.get_by_text("Not quite.")).to_be_visible()
                screenshot("wrong-answer")
                wrong_answer_done = True
            right = section.question_choices[section.correct_choice - 1]
            page.get_by_label(right, exact=True).check()
            page.get_by_role("button", name="Check my answer").click()
            expect(page.get_by_text("That's right.")).to_be_visible()
        if section.position == 1:
            screenshot("first-section")
        page.get_by_label("I have read and understand this section").check()
        page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Review before you sign")).to_be_visible()
    screenshot("review")
    page.get_by_role("link", name="Go to signature").click()

    page.get_by_label("Type your full name").fill("sam  rivera")
    page.get_by_label("I understand that typing my name here is my signature").check()
    # Signing asks for the password again (21 CFR 11.200(a)).
    page.get_by_label("Your password").fill("demo-patient-pass")
    screenshot("signature")
    page.get_by_role("button", name="Sign my consent").click()
    expect(page.get_by_role("heading", name="Thank you. Your consent is signed.")).to_be_visible()
    screenshot("signed")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    pdf_path = download_info.value.path()
    with open(pdf_path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "maya.okafor@example.com", "demo-therapist-pass")
    sams_row = page.locator(".dashboard-row").filter(
        has=page.get_by_role("heading", name="Sam Rivera")
    )
    signed_badge = sams_row.get_by_role("link", name=re.compile(r"Consent signed \(version 1, "))
    expect(signed_badge).to_be_visible()
    screenshot("therapist-dashboard")
    signed_badge.click()
    expect(page).to_have_url(re.compile(r"/patients/[0-9a-f-]+/#consent$"))
    expect(page.get_by_text(re.compile(r"^Signed today at"))).to_be_visible()
    page.get_by_text("Answers to questions").click()
    expect(page.get_by_text(re.compile(r"wrong \(chose \d\)"))).to_be_visible()
    screenshot("therapist-record")

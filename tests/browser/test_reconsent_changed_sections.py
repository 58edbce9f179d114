"""A patient who signed version 1 reads only the materially changed section of version 2."""

import re

import pytest
from playwright.sync_api import expect

from consent.models import Consent
from consent.selectors import verify_signed_records
from tests.browser.helpers import log_in
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.consent import publish_version_two, shipped_consent_version, signed_consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_patient_re_consents_only_the_changed_section_on_a_phone(
    live_server, page, screenshot, patient
):
    version_one = shipped_consent_version()
    signed_consent(patient, version_one)
    version_two = publish_version_two(version_one)
    changed = version_two.sections.get(slug="risk-dissociation")

    log_in(page, live_server, patient.email, TEST_PASSWORD)
    # Home leads the patient to the consent once per visit.
    expect(page.get_by_role("heading", name="Something new to read")).to_be_visible()
    expect(page.get_by_text("1 changed section to read")).to_be_visible()
    expect(page.get_by_text("how staff help if dissociation feels like too much")).to_be_visible()
    screenshot("overview-something-new")
    page.get_by_role("button", name="Read what changed").click()

    expect(page).to_have_url(re.compile(rf"/consent/step/{changed.position}/$"))
    expect(page.get_by_text("Step 1 of 1")).to_be_visible()
    expect(page.get_by_role("heading", name=changed.title, exact=True)).to_be_visible()
    screenshot("changed-section")
    if changed.has_question:
        right = changed.question_choices[changed.correct_choice - 1]
        page.get_by_label(right, exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.get_by_text("That's right.")).to_be_visible()
        screenshot("question-answered")
    page.get_by_label("I have read and understand this section").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Review before you sign")).to_be_visible()
    expect(page.get_by_text("Carried over from your last signature").first).to_be_visible()
    screenshot("review")
    page.get_by_role("link", name="Go to signature").click()

    page.get_by_label("Type your full name").fill("Sam Rivera")
    page.get_by_label("I understand that typing my name here is my signature").check()
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    screenshot("signature")
    page.get_by_role("button", name="Sign my consent").click()
    expect(page.get_by_role("heading", name="Thank you. Your consent is signed.")).to_be_visible()
    screenshot("signed")

    page.goto(live_server.url + "/consent/")
    expect(page.get_by_role("heading", name="You signed this consent")).to_be_visible()
    expect(page.get_by_text("You signed version 2")).to_be_visible()
    screenshot("overview-done")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    renewal = Consent.objects.get(patient=patient, version=version_two)
    assert renewal.signature.signed_text == version_two.canonical_text()
    assert [a.section_id for a in renewal.acknowledgements.all()] == [changed.pk]
    assert verify_signed_records().is_intact


def test_patient_sees_what_is_new_once_after_a_wording_change(
    live_server, page, screenshot, patient
):
    version_one = shipped_consent_version()
    signed_consent(patient, version_one)
    publish_version_two(version_one, kind="cosmetic")

    log_in(page, live_server, patient.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="What's new in your consent")).to_be_visible()
    screenshot("home-whats-new")
    page.get_by_role("link", name="See what's new").click()
    expect(page.get_by_text("Your signature stays valid")).to_be_visible()
    screenshot("whats-new")
    page.get_by_role("button", name="Got it").click()
    expect(page.get_by_role("heading", name="You signed this consent")).to_be_visible()
    expect(page.get_by_text("The wording was updated in version 2")).to_be_visible()
    screenshot("overview-after")
    page.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Your consent is signed")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

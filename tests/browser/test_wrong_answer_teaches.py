"""On a phone, a wrong answer sends the patient back to the passage, then they get it right."""

import re

import pytest
from playwright.sync_api import expect

from consent import services
from tests.browser.helpers import log_in
from tests.conftest import ARTIFACTS
from tests.factories.accounts import TEST_PASSWORD, PatientFactory
from tests.factories.consent import read_in_order, shipped_consent_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "passage-ketamine-can-make-you-feel-cut"


def test_a_patient_reads_the_passage_again_after_a_wrong_answer_then_answers_right(
    live_server, page, screenshot, request
):
    version = shipped_consent_version()
    patient = PatientFactory(first_name="Ana", last_name="Lopez", email="ana@example.com")
    read_in_order(services.start_consent(patient=patient), upto=2)
    section = version.sections.get(position=3)

    log_in(page, live_server, "ana@example.com", TEST_PASSWORD)
    page.goto(live_server.url + "/consent/step/3/")
    expect(page.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
    screenshot("section-three")

    page.get_by_label("Falling into a deep sleep for many hours.", exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    read_again = page.get_by_role("link", name="Read this part again")
    expect(read_again).to_be_visible()
    read_again.scroll_into_view_if_needed()
    screenshot("wrong-answer")

    read_again.click()
    expect(page).to_have_url(re.compile(rf"/consent/step/3/#{PASSAGE}$"))
    passage = page.locator(f"#{PASSAGE}")
    expect(passage).to_be_in_viewport()
    expect(passage).to_contain_text("Ketamine can make you feel cut off from your body.")
    # The :target rule marks it, without any script.
    expect(passage).to_have_css("outline-style", "solid")
    screenshot("passage-highlighted")
    # And what the phone's screen shows right now: the passage itself.
    page.screenshot(path=ARTIFACTS / request.node.name / "passage-on-screen.png")

    right = section.question_choices[section.correct_choice - 1]
    page.get_by_label(right, exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("That's right.")).to_be_visible()
    screenshot("right-answer")
    assert section.pk in {a.section_id for a in patient.consents.get().quiz_attempts.all()}
    assert list(
        patient.consents.get().quiz_attempts.filter(section=section).values_list("is_correct")
    ) == [(False,), (True,)]

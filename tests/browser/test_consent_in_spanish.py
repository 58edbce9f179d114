"""A Spanish-speaking patient reads and signs the consent in Spanish on a phone, and
downloads the Spanish PDF.

The app's buttons are being translated elsewhere, so this story finds them by what they
do (their form or link), and checks the consent's own words: titles, text, questions.
"""

import re
import zlib

import pytest
from playwright.sync_api import expect

from consent.models import Signature
from tests.factories.accounts import TEST_PASSWORD, PatientFactory, TherapistFactory
from tests.factories.consent import shipped_consent_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(pdf):
    """The text drawn in a WeasyPrint PDF, a line per text object (fonts' ToUnicode maps)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    glyphs = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for code, text in re.findall(rb"<([0-9a-f]+)>\s*<([0-9a-f]+)>", block):
                glyphs[code.decode()] = bytes.fromhex(text.decode()).decode("utf-16-be")
    lines = []
    for stream in streams:
        for shown in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            codes = re.findall(rb"<([0-9a-f]+)>", shown)
            lines.append(
                "".join(
                    glyphs.get(code[i : i + 4].decode(), "?")
                    for code in codes
                    for i in range(0, len(code), 4)
                )
            )
    return "\n".join(lines), b"".join(streams)


def test_a_spanish_speaking_patient_reads_signs_and_downloads_in_spanish(
    live_server, page, screenshot
):
    version = shipped_consent_version()
    _, sections = version.text_in("es")
    therapist = TherapistFactory(first_name="Maya", last_name="Okafor")
    PatientFactory(
        email="lucia.gomez@example.com",
        first_name="Lucía",
        last_name="Gómez",
        language="es",
        care_team=[therapist],
    )

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill("lucia.gomez@example.com")
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page.locator("form[action$='/accounts/login/']")).to_have_count(0)

    page.goto(live_server.url + "/consent/")
    expect(
        page.get_by_role(
            "heading", name="Consentimiento para la psicoterapia asistida con ketamina"
        )
    ).to_be_visible()
    expect(
        page.get_by_text("Usted lee una parte a la vez y nos dice que la entiende.")
    ).to_be_visible()
    screenshot("overview-in-spanish")
    page.locator("form[action$='/consent/start/'] button[type=submit]").click()

    wrong_answer_done = False
    for section in sections:
        expect(page).to_have_url(re.compile(rf"/consent/step/{section.position}/$"))
        expect(page.get_by_role("heading", name=section.title, exact=True)).to_be_visible()
        if section.has_question:
            answer_button = page.locator("form[action*='/answer/'] button[type=submit]")
            if not wrong_answer_done:
                wrong = next(t for n, t in section.numbered_choices if n != section.correct_choice)
                page.get_by_label(wrong, exact=True).check()
                screenshot("question-in-spanish")
                answer_button.click()
                expect(page.get_by_text(section.question_explanation)).to_be_visible()
                # The link back lands on the same passage, in the Spanish text.
                link = page.locator("a.read-again")
                anchor = link.get_attribute("href").split("#")[1]
                assert anchor.startswith("passage-un-trabajador-de-salud")
                expect(page.locator(f"#{anchor}")).to_contain_text("lo cuida de cerca")
                screenshot("wrong-answer-in-spanish")
                wrong_answer_done = True
            right = section.question_choices[section.correct_choice - 1]
            page.get_by_label(right, exact=True).check()
            answer_button.click()
            expect(page.locator(".result-ok")).to_be_visible()
        if section.position == 1:
            screenshot("first-section-in-spanish")
        page.locator("form.acknowledge-form input[name=confirmed]").check()
        page.locator("form.acknowledge-form button[type=submit]").click()

    expect(page.get_by_role("link", name=sections[-1].title)).to_be_visible()
    screenshot("review-in-spanish")
    page.locator("a[href$='/consent/sign/']").click()

    expect(
        page.get_by_text("Al escribir mi nombre completo, firmo este consentimiento.")
    ).to_be_visible()
    page.locator("#id_typed_name").fill("lucía gómez")
    page.locator("#id_confirms_meaning").check()
    page.locator("#id_password").fill(TEST_PASSWORD)
    screenshot("signature-in-spanish")
    page.locator("form[action$='/consent/sign/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/consent/signed/[0-9a-f-]+/$"))
    screenshot("signed")

    signature = Signature.objects.get()
    assert signature.language == "es"
    assert signature.signed_text == version.canonical_text(language="es")

    with page.expect_download() as download_info:
        page.locator("a[href$='/copy.pdf']").first.click()
    with open(download_info.value.path(), "rb") as pdf_file:
        pdf = pdf_file.read()
    assert pdf.startswith(b"%PDF")
    text, raw = pdf_text(pdf)
    assert b"/Lang (es)" in raw  # the PDF says it is Spanish
    assert "Consentimiento para la psicoterapia asistida con ketamina" in text
    assert "Pregunta: ¿Qué pasa mientras usted está bajo la ketamina en una sesión?" in text
    assert "Al escribir mi nombre completo, firmo este consentimiento." in text
    assert "Question:" not in text

    # The printable copy is the Spanish text too.
    page.locator("a[href$='/copy/']").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("Qué son la ketamina y la KAP").first).to_be_visible()
    screenshot("signed-copy-in-spanish")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

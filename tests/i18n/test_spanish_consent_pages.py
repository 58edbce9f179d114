"""Lucía reads and signs her consent in Spanish; Mateo, her therapist, reads her record in Spanish.

Every consent page, htmx fragment, form error and message of the consent area is checked
with `assert_speaks_spanish`. The consent document itself (title, sections, questions) is
the clinic's text in the database: here it is written in Spanish, so the check hears only
the interface.

Two parts of a page belong to other work and are left out of the check for now, each by a
rule that stops applying once they speak Spanish:
- the frame of `base.html` (header, footer, idle dialog): the consent part is `<main>`
  and the page title, as long as the frame is not yet in the catalogue;
- dates written by `common/templatetags/clinic_time.py` ("today at 2:30 pm"), as long as
  that module writes them in English.
"""

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from consent import selectors, services
from consent.models import ConsentSection, ConsentVersion, Signature
from consent.pdf import PdfUnavailable
from tests.factories.accounts import (
    TEST_PASSWORD,
    ClinicAdminFactory,
    PatientFactory,
    TherapistFactory,
)
from tests.factories.consent import mark_every_change, shipped_consent_version
from tests.i18n.spanish import _untranslatable_ids, assert_speaks_spanish

HTMX = {"HTTP_HX_REQUEST": "true"}
QUESTION = 2  # the section with a question
WRONG, RIGHT = 1, 2

ENGLISH_DATE = re.compile(
    r"\b(?:today|yesterday|tomorrow|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{4})?)"
    r"(?: at \d{1,2}(?::\d{2})? (?:am|pm))?(?: \([A-Za-z_/+-]+\))?"
)


def _frame_speaks_spanish():
    return "Skip to content" in _untranslatable_ids()


def consent_part(html):
    """The whole page or fragment: frame and dates included."""
    return html


def element_by_id(html, tag, element_id):
    """The element `<tag id="element_id">` with everything inside it (same tags nested)."""
    start = html.index(f'<{tag} id="{element_id}"')
    depth = 0
    for match in re.finditer(rf"<{tag}\b|</{tag}>", html[start:]):
        depth += -1 if match.group(0).startswith("</") else 1
        if depth == 0:
            return html[start : start + match.end()]
    raise AssertionError(f"{tag}#{element_id} is not closed")


def speaks_spanish(response):
    assert_speaks_spanish(consent_part(response.content.decode()))


def spanish_version(*, number=None, sections=3):
    """A published consent version written in Spanish, made the current one."""
    shipped_consent_version()
    number = number or ConsentVersion.objects.order_by("-number").first().number + 1
    version = ConsentVersion.objects.create(
        number=number,
        title="Consentimiento para la terapia",
        introduction="Lea cada parte con calma.",
    )
    for position in range(1, sections + 1):
        with_question = position == QUESTION
        ConsentSection.objects.create(
            version=version,
            position=position,
            slug=f"parte-{position}",
            title=f"Parte número {position}",
            body=f"Texto de la parte número {position}. Hable con su terapeuta si tiene dudas.",
            question_prompt="¿Puede retirar su consentimiento?" if with_question else "",
            question_choices=["No, nunca", "Sí, cuando quiera"] if with_question else [],
            correct_choice=RIGHT if with_question else None,
            question_explanation="Puede retirarlo cuando quiera." if with_question else "",
        )
    mark_every_change(version, reason="La clínica escribió esta parte de nuevo.")
    services.publish_version(version=version)
    _publish_in_spanish(version)
    return version


def _publish_in_spanish(version):
    """Its Spanish text (the same Spanish words): a patient reading Spanish reads and signs it."""
    translation = services.draft_translation(version=version, language="es")
    services.publish_translation(translation=translation)


def next_version(current, *, kind):
    """The next version: part 3 reworded, marked `kind` with a Spanish reason."""
    draft = services.draft_next_version(based_on=current)
    section = draft.sections.get(slug="parte-3")
    section.body += "\n\nEl personal puede ayudarle."
    section.save()
    services.mark_section_change(
        version=draft, slug="parte-3", kind=kind, reason="Añadimos cómo le ayuda el personal."
    )
    services.publish_version(version=draft)
    _publish_in_spanish(draft)
    return draft


@pytest.fixture
def mateo(db):
    return TherapistFactory(first_name="Mateo", last_name="Ruiz", language="es")


@pytest.fixture
def lucia(mateo):
    return PatientFactory(first_name="Lucía", last_name="Gómez", care_team=[mateo], language="es")


@pytest.fixture
def version(db):
    return spanish_version()


@pytest.fixture
def as_lucia(client, lucia, version):
    client.force_login(lucia)
    return client


def step_url(position):
    return reverse("consent:step", args=[position])


def read_upto(client, position):
    """Lucía reads parts 1..position, answering the question rightly."""
    for number in range(1, position + 1):
        client.get(step_url(number))
        if number == QUESTION:
            client.post(reverse("consent:answer", args=[number]), {"choice": RIGHT})
        response = client.post(reverse("consent:acknowledge", args=[number]), {"confirmed": "on"})
        assert response.status_code == 303


def sign(client, lucia, **changes):
    data = {
        "typed_name": lucia.get_full_name(),
        "confirms_meaning": "on",
        "password": TEST_PASSWORD,
    }
    return client.post(reverse("consent:sign"), {**data, **changes})


@pytest.fixture
def signed(as_lucia, lucia, version):
    """Lucía read everything and signed."""
    as_lucia.post(reverse("consent:start"))
    read_upto(as_lucia, 3)
    assert sign(as_lucia, lucia).status_code == 303
    return selectors.latest_signed_consent(patient=lucia)


def home_card(patient):
    status = selectors.consent_status(patient)
    with translation.override("es"):
        return render_to_string(
            "consent/includes/home_card.html",
            {"status": status, "whats_new": selectors.whats_new(patient).notes},
        )


# --- Reading -----------------------------------------------------------------------------


def test_before_starting_the_overview_and_home_card_speak_spanish(as_lucia, lucia):
    speaks_spanish(as_lucia.get(reverse("consent:overview")))
    assert_speaks_spanish(consent_part(home_card(lucia)))


def test_each_step_speaks_spanish_unread_acknowledged_and_as_a_fragment(as_lucia, lucia):
    as_lucia.post(reverse("consent:start"))

    unread = as_lucia.get(step_url(1))
    fragment = as_lucia.get(step_url(1), **HTMX)
    not_ticked = as_lucia.post(reverse("consent:acknowledge", args=[1]), {})
    as_lucia.post(reverse("consent:acknowledge", args=[1]), {"confirmed": "on"})
    acknowledged = as_lucia.get(step_url(1))
    in_progress = as_lucia.get(reverse("consent:overview"))

    assert not_ticked.status_code == 422
    assert "Marque la casilla" in not_ticked.content.decode()
    for response in (unread, fragment, not_ticked, acknowledged, in_progress):
        speaks_spanish(response)
    assert "Paso 1 de 3" in unread.content.decode()
    assert_speaks_spanish(consent_part(home_card(lucia)))


def test_a_step_out_of_order_sends_back_with_a_spanish_message(as_lucia):
    as_lucia.post(reverse("consent:start"))

    response = as_lucia.get(step_url(3), follow=True)

    assert "Por favor, lea las secciones en orden." in response.content.decode()
    speaks_spanish(response)


def test_the_question_wrong_answers_and_the_care_team_offer_speak_spanish(as_lucia):
    as_lucia.post(reverse("consent:start"))
    read_upto(as_lucia, QUESTION - 1)

    with_question = as_lucia.get(step_url(QUESTION))
    no_choice = as_lucia.post(reverse("consent:answer", args=[QUESTION]), {})
    no_choice_fragment = as_lucia.post(reverse("consent:answer", args=[QUESTION]), {}, **HTMX)
    as_lucia.post(reverse("consent:answer", args=[QUESTION]), {"choice": WRONG})
    once_wrong = as_lucia.get(step_url(QUESTION))
    as_lucia.post(reverse("consent:answer", args=[QUESTION]), {"choice": WRONG})
    twice_wrong = as_lucia.get(step_url(QUESTION))
    twice_wrong_fragment = as_lucia.get(step_url(QUESTION), **HTMX)
    as_lucia.post(reverse("consent:answer", args=[QUESTION]), {"choice": RIGHT})
    right = as_lucia.get(step_url(QUESTION))

    assert no_choice.status_code == 422
    assert "Elija una de las respuestas." in no_choice.content.decode()
    assert "Vuelva a leer esta parte" in once_wrong.content.decode()
    assert "Preguntar a su equipo de atención" in twice_wrong.content.decode()
    assert "Sobre la pregunta “¿Puede retirar su consentimiento?”" in twice_wrong.content.decode()
    for response in (
        with_question,
        no_choice,
        no_choice_fragment,
        once_wrong,
        twice_wrong,
        twice_wrong_fragment,
        right,
    ):
        speaks_spanish(response)


def test_asking_the_care_team_speaks_spanish(as_lucia):
    as_lucia.post(reverse("consent:start"))
    ask = reverse("consent:ask", args=[1])

    empty = as_lucia.post(ask, {"text": "  "})
    empty_fragment = as_lucia.post(ask, {"text": ""}, **HTMX)
    sent = as_lucia.post(ask, {"text": "¿Puedo venir con mi hermana?"}, follow=True)

    assert empty.status_code == 422
    assert "Primero escriba su pregunta." in empty.content.decode()
    assert "Su pregunta se envió a su equipo de atención." in sent.content.decode()
    assert "en un día hábil" in sent.content.decode()
    for response in (empty, empty_fragment, sent):
        speaks_spanish(response)


# --- Review, signature, signed copies ----------------------------------------------------


def test_the_review_and_the_signature_page_with_its_errors_speak_spanish(as_lucia, lucia):
    as_lucia.post(reverse("consent:start"))
    early = as_lucia.get(reverse("consent:review"), follow=True)
    read_upto(as_lucia, 3)

    review = as_lucia.get(reverse("consent:review"))
    page = as_lucia.get(reverse("consent:sign"))
    # The password is right: its refusal is the accounts' words (accounts/identity.py).
    nothing = sign(as_lucia, lucia, typed_name="", confirms_meaning="")
    wrong = sign(as_lucia, lucia, typed_name="Otra Persona", confirms_meaning="")

    assert "Por favor, confirme cada sección antes de la revisión." in early.content.decode()
    assert wrong.status_code == 422
    assert "Escriba su nombre completo para firmar." in nothing.content.decode()
    assert "no coincide con el nombre de su cuenta" in wrong.content.decode()
    for response in (early, review, page, nothing, wrong):
        speaks_spanish(response)


def test_lucia_signs_the_meaning_she_read_in_spanish(as_lucia, lucia, version):
    as_lucia.post(reverse("consent:start"))
    read_upto(as_lucia, 3)
    in_english = services.signature_meaning(version, "en")

    page = as_lucia.get(reverse("consent:sign"))
    signed_page = sign(as_lucia, lucia, follow=True)

    assert "Al escribir mi nombre completo, firmo este consentimiento." in page.content.decode()
    assert Signature.objects.get(consent__patient=lucia).meaning != in_english
    spanish_version, _sections = version.text_in("es", [])
    assert Signature.objects.get(consent__patient=lucia).meaning == (
        services.signature_meaning(spanish_version, "es")
    )
    speaks_spanish(signed_page)


def test_the_signed_overview_copy_and_pdf_speak_spanish(as_lucia, lucia, signed, monkeypatch):
    overview = as_lucia.get(reverse("consent:overview"))
    receipt = as_lucia.get(reverse("consent:signed", args=[signed.public_id]))
    printable = as_lucia.get(reverse("consent:copy", args=[signed.public_id]))
    with translation.override("es"):
        pdf_html = render_to_string(
            "consent/consent_copy_pdf.html",
            {
                "consent": signed,
                "seal": selectors.seal_check(signed),
                "generated_at": timezone.now(),
            },
        )

    def no_pango(**kwargs):
        raise PdfUnavailable("no Pango here")

    monkeypatch.setattr("consent.views.signed_copy_pdf", no_pango)
    unavailable = as_lucia.get(reverse("consent:copy_pdf", args=[signed.public_id]))

    assert "Identidad confirmada con" in printable.content.decode()
    assert "Contraseña" in printable.content.decode()
    assert '<html lang="es">' in pdf_html
    assert unavailable.status_code == 503
    for response in (overview, receipt, printable, unavailable):
        speaks_spanish(response)
    assert_speaks_spanish(consent_part(pdf_html))
    assert_speaks_spanish(consent_part(home_card(lucia)))


# --- Withdrawal, renewal, what's new -----------------------------------------------------


def test_withdrawing_speaks_spanish(as_lucia, lucia, signed):
    page = as_lucia.get(reverse("consent:withdraw"))
    not_ticked = as_lucia.post(reverse("consent:withdraw"), {"reason": "Me mudo de ciudad."})
    withdrawn = as_lucia.post(
        reverse("consent:withdraw"),
        {"reason": "Me mudo de ciudad.", "confirmed": "on"},
        follow=True,
    )
    again = as_lucia.get(reverse("consent:withdraw"), follow=True)

    assert not_ticked.status_code == 422
    assert "Marque la casilla para confirmar" in not_ticked.content.decode()
    assert "Su consentimiento está retirado." in withdrawn.content.decode()
    assert "No tiene un consentimiento firmado que retirar." in again.content.decode()
    for response in (page, not_ticked, withdrawn, again):
        speaks_spanish(response)
    assert_speaks_spanish(consent_part(home_card(lucia)))


def test_a_material_change_asks_lucia_to_read_again_in_spanish(as_lucia, lucia, signed, version):
    next_version(version, kind="material")

    outdated = as_lucia.get(reverse("consent:overview"))
    card = home_card(lucia)
    as_lucia.post(reverse("consent:start"))
    renewal = as_lucia.get(reverse("consent:overview"))
    changed_step = as_lucia.get(step_url(3))
    carried_over = as_lucia.get(step_url(1), follow=True)
    as_lucia.post(reverse("consent:acknowledge", args=[3]), {"confirmed": "on"})
    review = as_lucia.get(reverse("consent:review"))

    assert "Cambió desde su última firma" in changed_step.content.decode()
    assert "no cambió de forma importante" in carried_over.content.decode()
    assert "Se mantiene de su última firma" in review.content.decode()
    for response in (outdated, renewal, changed_step, carried_over, review):
        speaks_spanish(response)
    assert_speaks_spanish(consent_part(card))


def test_whats_new_speaks_spanish(as_lucia, lucia, signed, version):
    next_version(version, kind="cosmetic")

    overview = as_lucia.get(reverse("consent:overview"))
    card = home_card(lucia)
    news = as_lucia.get(reverse("consent:whats_new"))
    seen = as_lucia.post(reverse("consent:whats_new"), follow=True)
    seen_again = as_lucia.get(reverse("consent:whats_new"))

    assert "Novedades" in overview.content.decode()
    assert "Lo vio" in seen_again.content.decode()
    for response in (overview, news, seen, seen_again):
        speaks_spanish(response)
    assert_speaks_spanish(consent_part(card))


def test_before_the_clinic_publishes_the_overview_speaks_spanish(as_lucia, monkeypatch):
    no_version = SimpleNamespace(version=None)  # what `consent_overview` says then
    monkeypatch.setattr(
        "consent.views.selectors.consent_overview", lambda patient, **kwargs: no_version
    )

    response = as_lucia.get(reverse("consent:overview"))

    assert "aún no ha publicado" in response.content.decode()
    speaks_spanish(response)


# --- Mateo, her therapist ----------------------------------------------------------------


def test_mateo_reads_lucias_consent_record_and_answers_in_spanish(client, lucia, mateo, version):
    client.force_login(lucia)
    client.post(reverse("consent:start"))
    read_upto(client, QUESTION - 1)
    for _attempt in range(2):
        client.post(reverse("consent:answer", args=[QUESTION]), {"choice": WRONG})
    client.post(reverse("consent:ask", args=[QUESTION]), {"text": "¿Qué pasa si cambio de idea?"})
    client.force_login(mateo)
    patient_page = reverse("care:patient", args=[lucia.public_id])
    question = selectors.consent_questions(mateo, patient=lucia).get()
    answer_url = reverse("care:answer_consent_question", args=[question.public_id])

    open_question = client.get(patient_page)
    empty_answer = client.post(answer_url, {"answer": " "})
    client.post(answer_url, {"answer": "Puede retirarlo cuando quiera."})
    answered = client.get(patient_page)

    assert empty_answer.status_code == 422
    assert "Primero escriba una respuesta." in empty_answer.content.decode()
    assert "Señalado: difícil de responder" in open_question.content.decode()
    for response in (open_question, empty_answer, answered):
        record = element_by_id(consent_part(response.content.decode()), "section", "consent")
        # The heading above the record is the patient page's own.
        assert_speaks_spanish(record.replace(">Consent</h2>", "></h2>"))


def test_mateo_reads_the_signed_copy_in_spanish(client, mateo, signed):
    client.force_login(mateo)

    speaks_spanish(client.get(reverse("consent:copy", args=[signed.public_id])))


def test_lucia_sees_her_answered_question_in_spanish(client, lucia, mateo, version):
    client.force_login(lucia)
    client.post(reverse("consent:start"))
    client.post(reverse("consent:ask", args=[1]), {"text": "¿Cuánto dura la sesión?"})
    question = selectors.consent_questions(mateo, patient=lucia).get()
    services.answer_care_team_question(question=question, therapist=mateo, text="Unas dos horas.")

    speaks_spanish(client.get(step_url(1)))


# --- The clinic admin's preview ----------------------------------------------------------


def test_the_preview_speaks_spanish(client, version):
    client.force_login(ClinicAdminFactory(first_name="Ruth", last_name="Álvarez", language="es"))

    for position in (1, QUESTION):
        speaks_spanish(client.get(reverse("consent:preview", args=[version.public_id, position])))


def test_status_labels_speak_spanish(lucia, mateo, signed):
    from consent.presenters import status_label

    with translation.override("es"):
        label = status_label(selectors.consent_status(lucia))

    assert label.startswith("Consentimiento firmado (versión")
    assert_speaks_spanish(f"<p>{label}</p>")

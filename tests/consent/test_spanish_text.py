"""Version 1 in Spanish: its own published text, fingerprint and seal, signed as read.

A Spanish-speaking patient reads the consent in Spanish, signs the Spanish text, and their
signature says so. The version stays the unit of consent: signing version 1 in Spanish
is signing version 1.
"""

import hashlib
import importlib
import json
import re

import pgtrigger
import pytest
import textstat
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from consent import seals, selectors, services
from consent.models import (
    ConsentTranslation,
    ImmutableRecordError,
    QuestionPassage,
    SectionTranslation,
    Signature,
)
from consent.rendering import render_markdown
from consent.selectors import verify_signed_records
from tests.factories.accounts import TEST_PASSWORD, PatientFactory
from tests.factories.consent import draft_version, read_in_order, sign_request, signed_consent

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are PostgreSQL's"
)


@pytest.fixture
def spanish(consent_version):
    return consent_version.translations.get(language="es")


@pytest.fixture
def spanish_patient(therapist):
    return PatientFactory(
        first_name="Lucía", last_name="Gómez", language="es", care_team=[therapist]
    )


def plain(markdown):
    return re.sub(r"^\s*[-*]\s+", "", markdown, flags=re.MULTILINE)


@pytest.fixture
def spanish_measure():
    textstat.set_lang("es")
    yield textstat.fernandez_huerta
    textstat.set_lang("en_US")


# --- The shipped text ------------------------------------------------------------------


def test_version_one_is_published_in_spanish_too(consent_version, spanish):
    assert spanish.is_published
    assert consent_version.published_languages() == ["en", "es"]
    _, sections = consent_version.text_in("es")
    assert [s.slug for s in sections] == [s.slug for s in consent_version.ordered_sections()]
    assert sections[0].title == "Qué son la ketamina y la KAP"


def test_every_spanish_section_is_easy_to_read(consent_version, spanish_measure):
    _, sections = consent_version.text_in("es")
    scores = {s.slug: spanish_measure(f"{s.title}.\n{plain(s.body)}") for s in sections}
    too_hard = {slug: score for slug, score in scores.items() if score < 70}
    assert not too_hard, too_hard


def test_every_spanish_question_is_plain_and_matches_the_english_one(
    consent_version, spanish_measure
):
    english = consent_version.ordered_sections()
    _, sections = consent_version.text_in("es")
    for en, es in zip(english, sections, strict=True):
        assert es.has_question == en.has_question, es.slug
        if not es.has_question:
            continue
        assert len(es.question_choices) == len(en.question_choices), es.slug
        assert es.correct_choice == en.correct_choice
        assert spanish_measure(" ".join([es.question_prompt, *es.question_choices])) >= 70
        assert spanish_measure(es.question_explanation) >= 70, es.slug


def test_a_wrong_answer_in_spanish_links_to_the_same_passage(consent_version):
    _, sections = consent_version.text_in("es")
    linked = QuestionPassage.objects.filter(section__version=consent_version)
    assert linked.count() == 5
    for passage in linked:
        section = next(s for s in sections if s.pk == passage.section_id)
        anchor = selectors.question_passage_anchor(section)
        assert anchor and anchor != passage.anchor
        # The id is on the page, on the passage in the same place as the English one.
        assert f'id="{anchor}"' in render_markdown(section.body, passage_ids=True)
    risk = next(s for s in sections if s.slug == "risk-long-term-use")
    assert selectors.question_passage_anchor(risk) == "passage-la-kap-usa-dosis-bajas-de"


# --- Fingerprint and signature ------------------------------------------------------------


def test_each_language_has_its_own_text_and_fingerprint(consent_version):
    english = consent_version.canonical_text()
    spanish = consent_version.canonical_text(language="es")
    assert spanish.startswith(
        "Consentimiento para la psicoterapia asistida con ketamina (versión 1)"
    )
    assert "Pregunta: ¿Qué pasa mientras usted está bajo la ketamina" in spanish
    assert "Question:" not in spanish
    assert (
        consent_version.fingerprint(language="es")
        == hashlib.sha256(spanish.encode("utf-8")).hexdigest()
    )
    assert consent_version.fingerprint(language="es") != consent_version.fingerprint()
    # English stays exactly what it was: every earlier signature still matches it.
    assert consent_version.fingerprint(language="en") == consent_version.fingerprint()
    assert english.startswith("Consent for ketamine-assisted psychotherapy (version 1)")


def test_a_spanish_signature_keeps_the_spanish_text_and_says_so(spanish_patient, consent_version):
    consent = signed_consent(spanish_patient, consent_version, language="es")
    signature = Signature.objects.get(consent=consent)
    assert signature.language == "es"
    assert signature.signed_text == consent_version.canonical_text(language="es")
    assert signature.fingerprint == consent_version.fingerprint(language="es")
    assert signature.text_is_intact
    assert signature.meaning.startswith("Al escribir mi nombre completo, firmo")
    assert '"Consentimiento para la psicoterapia asistida con ketamina" (versión 1)' in (
        signature.meaning
    )
    facts = json.loads(
        seals.canonical_record(
            signature,
            acknowledgements=consent.acknowledgements.all(),
            attempts=consent.quiz_attempts.all(),
        )
    )
    assert facts["language"] == "es"
    assert seals.check(signature).is_intact
    assert verify_signed_records().is_intact


def test_signing_in_spanish_is_signing_version_one(spanish_patient, consent_version):
    signed_consent(spanish_patient, consent_version, language="es")
    status = selectors.consent_status(spanish_patient)
    assert status.kind == status.SIGNED
    # Reading in English afterwards asks for nothing more.
    assert selectors.consent_overview(spanish_patient, language="en").required == "nothing"


def test_a_language_without_published_text_cannot_be_signed(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    with pytest.raises(ValidationError):
        services.sign_consent(
            consent=consent,
            typed_name=patient.get_full_name(),
            confirms_meaning=True,
            password=TEST_PASSWORD,
            request=sign_request(),
            language="fr",
        )
    assert not Signature.objects.exists()


def test_an_english_seal_from_before_languages_still_verifies(patient, consent_version):
    """The record format gains a language only when it is not English: old seals hold."""
    consent = signed_consent(patient, consent_version)
    signature = Signature.objects.get(consent=consent)
    assert signature.language == "en"
    frozen = importlib.import_module("consent.migrations.0004_seal_existing_signatures")
    before = frozen._canonical(
        signature, consent.acknowledgements.all(), consent.quiz_attempts.all()
    )
    now = seals.canonical_record(
        signature,
        acknowledgements=consent.acknowledgements.all(),
        attempts=consent.quiz_attempts.all(),
    )
    assert "language" not in json.loads(now)
    assert now == before
    assert seals.check(signature).is_intact


def _rewrite(signature, **columns):
    """Someone with a copy of the database (not the key) edits a signature row."""
    assignments = ", ".join(f"{column} = %s" for column in columns)
    with connection.cursor() as cursor, pgtrigger.ignore("consent.Signature:append_only"):
        cursor.execute(
            f"UPDATE consent_signature SET {assignments} WHERE id = %s",  # noqa: S608
            [*columns.values(), signature.pk],
        )
    signature.refresh_from_db()
    return signature


def test_flipping_a_spanish_signature_to_english_breaks_its_seal(spanish_patient, consent_version):
    consent = signed_consent(spanish_patient, consent_version, language="es")
    english = consent_version.canonical_text()
    # Text, fingerprint and language changed together: only the seal gives it away.
    forged = _rewrite(
        consent.signature,
        language="en",
        signed_text=english,
        fingerprint=hashlib.sha256(english.encode()).hexdigest(),
    )
    problems = seals.check(forged).problems
    assert problems == [
        "the seal does not match the record: the signature, its acknowledgements "
        "or its answers were changed after signing"
    ]
    assert not verify_signed_records().is_intact


def test_changing_only_the_stored_language_is_found(spanish_patient, consent_version):
    consent = signed_consent(spanish_patient, consent_version, language="es")
    forged = _rewrite(consent.signature, language="en")
    problems = seals.check(forged).problems
    assert "the signed text differs from the text of version 1" in problems
    assert any(p.startswith("the seal does not match") for p in problems)


# --- The clinic's translations ------------------------------------------------------------


def test_a_draft_translation_is_published_once_every_section_is_translated(db, clinic_admin):
    draft = draft_version(sections=2)
    translation = services.draft_translation(version=draft, language="es")
    first, second = translation.sections.order_by("section__position")
    SectionTranslation.objects.filter(pk=second.pk).update(body="")
    with pytest.raises(ValidationError) as refused:
        services.publish_translation(translation=translation, actor=clinic_admin)
    assert "is not translated yet" in " ".join(refused.value.messages)

    second.body = "Texto en español."
    second.save()
    services.publish_translation(translation=translation, actor=clinic_admin)
    translation.refresh_from_db()
    assert translation.is_published
    with pytest.raises(ImmutableRecordError):
        first.save()
    with pytest.raises(ImmutableRecordError):
        translation.save()


def test_a_translated_question_needs_the_same_number_of_choices(db):
    draft = draft_version(sections=1)
    section = draft.ordered_sections()[0]
    section.question_prompt = "Which?"
    section.question_choices = ["One", "Two", "Three"]
    section.correct_choice = 1
    section.question_explanation = "Because."
    section.save()
    translation = services.draft_translation(version=draft, language="es")
    text = translation.sections.get()
    text.question_choices = ["Uno", "Dos"]
    text.save()
    with pytest.raises(ValidationError) as refused:
        services.publish_translation(translation=translation)
    assert "same 3 choices" in " ".join(refused.value.messages)


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE consent_consenttranslation SET title = 'Forged'",
        "DELETE FROM consent_consenttranslation",
        "UPDATE consent_sectiontranslation SET body = 'Forged'",
        "DELETE FROM consent_sectiontranslation",
    ],
)
def test_postgresql_refuses_to_rewrite_a_published_translation(spanish, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert ConsentTranslation.objects.get(pk=spanish.pk).title.startswith("Consentimiento")


# --- What the patient sees ----------------------------------------------------------------


def _read_and_sign(client, version, patient):
    client.post(reverse("consent:start"))
    for section in version.ordered_sections():
        if section.has_question:
            client.post(
                reverse("consent:answer", args=[section.position]),
                {"choice": section.correct_choice},
            )
        client.post(reverse("consent:acknowledge", args=[section.position]), {"confirmed": "on"})
    return client.post(
        reverse("consent:sign"),
        {
            "typed_name": patient.get_full_name(),
            "confirms_meaning": "on",
            "password": TEST_PASSWORD,
            "language": "es",
        },
    )


def test_a_spanish_speaking_patient_reads_and_signs_in_spanish(
    client, spanish_patient, consent_version
):
    client.force_login(spanish_patient)
    overview = client.get(reverse("consent:overview")).content.decode()
    assert "Consentimiento para la psicoterapia asistida con ketamina" in overview
    client.post(reverse("consent:start"))
    step = client.get(reverse("consent:step", args=[1])).content.decode()
    assert "Qué son la ketamina y la KAP" in step
    assert "Terapia de conversación con un terapeuta formado" in step

    response = _read_and_sign(client, consent_version, spanish_patient)
    assert response.status_code == 303
    signature = Signature.objects.get(consent__patient=spanish_patient)
    assert signature.language == "es"

    copy = client.get(reverse("consent:copy", args=[signature.consent.public_id]))
    page = copy.content.decode()
    assert 'lang="es"' in page
    assert "Pregunta: ¿Qué pasa mientras usted está bajo la ketamina" in page


def test_the_sign_page_signs_the_language_shown(client, spanish_patient, consent_version):
    client.force_login(spanish_patient)
    consent = services.start_consent(patient=spanish_patient)
    read_in_order(consent)
    page = client.get(reverse("consent:sign")).content.decode()
    assert 'name="language" value="es"' in page
    assert "Al escribir mi nombre completo, firmo este consentimiento" in page


def test_an_english_reader_signs_english(client, patient, consent_version, read_sections):
    client.force_login(patient)
    read_sections(client, consent_version)
    client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    signature = Signature.objects.get(consent__patient=patient)
    assert signature.language == "en"
    assert signature.fingerprint == consent_version.fingerprint()
    assert seals.check(signature).is_intact


def test_a_wrong_answer_in_spanish_sends_the_patient_to_the_spanish_passage(
    client, spanish_patient, consent_version
):
    client.force_login(spanish_patient)
    client.post(reverse("consent:start"))
    client.post(reverse("consent:acknowledge", args=[1]), {"confirmed": "on"})
    page = client.get(reverse("consent:step", args=[2])).content.decode()
    assert "Un trabajador de salud formado lo cuida todo el tiempo." in page  # a choice
    response = client.post(reverse("consent:answer", args=[2]), {"choice": 1}, follow=True)
    page = response.content.decode()
    assert "Un trabajador de salud formado se queda con usted." in page  # the explanation
    anchor = "passage-un-trabajador-de-salud-formado-lo"
    assert f'id="{anchor}"' in page
    assert f"#{anchor}" in page


def test_the_api_says_which_language_is_read_and_signed(api_as, spanish_patient, consent_version):
    client = api_as(spanish_patient)
    document = client.get("/api/v1/consent/", HTTP_ACCEPT_LANGUAGE="es").json()["document"]
    assert document["language"] == "es"
    assert document["title"] == "Consentimiento para la psicoterapia asistida con ketamina"
    assert document["fingerprint"] == consent_version.fingerprint(language="es")
    consent = services.start_consent(patient=spanish_patient)
    read_in_order(consent)
    record = client.post(
        "/api/v1/consent/sign/",
        {
            "typed_name": "Lucía Gómez",
            "confirms_meaning": True,
            "password": TEST_PASSWORD,
            "language": "es",
        },
        format="json",
    ).json()
    assert record["signature"]["language"] == "es"
    assert record["signature"]["fingerprint"] == consent_version.fingerprint(language="es")


def test_the_clinic_admin_adds_edits_and_publishes_a_spanish_translation(client, clinic_admin):
    draft = draft_version(sections=1)
    client.force_login(clinic_admin)
    response = client.post(
        reverse("admin:consent_consentversion_changelist"),
        {"action": "draft_spanish_translation", "_selected_action": [draft.pk]},
    )
    translation = ConsentTranslation.objects.get(version=draft, language="es")
    change = reverse("admin:consent_consenttranslation_change", args=[translation.pk])
    assert response.url == change
    page = client.get(change).content.decode()
    assert 'name="title"' in page and 'name="sections-0-body"' in page

    text = translation.sections.get()
    text.title, text.body = "Primera sección", "Texto en español."
    text.save()
    client.post(
        reverse("admin:consent_consenttranslation_changelist"),
        {"action": "publish", "_selected_action": [translation.pk]},
    )
    translation.refresh_from_db()
    assert translation.is_published
    page = client.get(change).content.decode()
    assert 'name="title"' not in page  # frozen: shown read-only

"""The front door speaks Spanish: a patient's home and own copy, a therapist's patients and
one patient's page, for people who chose Spanish.

Sam (Samuel here) and Maya chose "es" on their accounts. Everything they type is Spanish,
so any English left on a page is the app's own.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from care import selectors as care_selectors
from consent import services as consent_services
from consent.models import CareTeamQuestion, ConsentSection, ConsentVersion
from consent.pdf import PdfUnavailable
from exports import formats, services
from exports import selectors as export_selectors
from journal.models import Entry
from tests.factories.accounts import (
    ClinicAdminFactory,
    PatientFactory,
    TherapistFactory,
    invitation_for,
)
from tests.factories.consent import mark_every_change, signed_consent
from tests.factories.journal import (
    AdministrationSessionFactory,
    CommentFactory,
    EntryFactory,
    IntentionFactory,
    ReplyFactory,
)
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, schedule
from tests.i18n.spanish import assert_speaks_spanish

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def maya(db):
    return TherapistFactory(first_name="Maya", last_name="Okafor", language="es")


@pytest.fixture
def samuel(maya):
    return PatientFactory(first_name="Samuel", last_name="Rivera", care_team=[maya], language="es")


@pytest.fixture
def spanish_consent(consent_version):
    """The clinic's consent in Spanish (version 2): two sections, as patients sign it now."""
    draft = ConsentVersion.objects.create(
        number=consent_version.number + 1,
        title="Consentimiento informado",
        introduction="Por favor, lea cada sección con calma.",
    )
    for position, (slug, title, body) in enumerate(
        [
            ("que-es", "Qué es la terapia", "La terapia combina sesiones y conversación."),
            ("riesgos", "Riesgos posibles", "Puede sentir mareo o náuseas por un rato."),
        ],
        start=1,
    ):
        ConsentSection.objects.create(
            version=draft, position=position, slug=slug, title=title, body=body
        )
    mark_every_change(draft, reason="La clínica reescribió esta sección.")
    consent_services.publish_version(version=draft)
    # Its Spanish text (the same Spanish words), which Samuel reads and signs.
    translation_draft = consent_services.draft_translation(version=draft, language="es")
    consent_services.publish_translation(translation=translation_draft)
    return draft


def _spanish_record(samuel, maya, spanish_consent):
    """Samuel signed, asked a question (open), wrote, shared and had a session."""
    consent = signed_consent(samuel, spanish_consent, language="es")
    CareTeamQuestion.objects.create(
        consent=consent,
        section=spanish_consent.ordered_sections()[0],
        text="¿Puedo manejar a casa después?",
    )
    session = AdministrationSessionFactory(
        patient=samuel, recorded_by=maya, notes="Sesión tranquila."
    )
    entry = EntryFactory(
        patient=samuel, session=session, shared=True, body="El lago estaba en calma.", mood=7
    )
    CommentFactory(entry=entry, author=maya, body="Gracias por compartirlo.")
    IntentionFactory(patient=samuel, body="Quiero quedarme con la tristeza.")
    return consent


def _pdf_written_by(write):
    """The PDF format with another writer: the page's HTML, or a server without Pango."""
    return services.Format("pdf", "application/pdf", ".pdf", write)


# --- The patient ---------------------------------------------------------------------------


def test_samuels_home_before_anything_speaks_spanish(client_for, samuel):
    page = client_for(samuel).get(reverse("care:patient_home"))
    assert page.status_code == 200
    assert_speaks_spanish(page)
    assert "Su equipo de atención" in page.content.decode()


def test_a_home_without_a_care_team_speaks_spanish(client_for, db):
    alone = PatientFactory(first_name="Lucía", last_name="Gómez", language="es")
    page = client_for(alone).get(reverse("care:patient_home"))
    assert_speaks_spanish(page)
    assert "todavía no le ha asignado un terapeuta" in page.content.decode()


def test_samuels_home_with_questionnaires_due_a_session_and_an_intention(
    client_for, samuel, maya, spanish_consent
):
    signed_consent(samuel, spanish_consent)
    schedule(samuel, "phq9", by=maya)
    AdministrationSessionFactory(patient=samuel, recorded_by=maya)  # to reflect on
    IntentionFactory(patient=samuel, body="Quiero estar presente.")
    page = client_for(samuel).get(reverse("care:patient_home"))
    assert_speaks_spanish(page)


def test_samuels_home_while_reading_the_consent(client_for, samuel, spanish_consent):
    consent = consent_services.start_consent(patient=samuel)
    consent_services.acknowledge_section(
        consent=consent, section=spanish_consent.ordered_sections()[0], confirmed=True
    )
    assert_speaks_spanish(client_for(samuel).get(reverse("care:patient_home")))


def test_a_new_consent_version_sends_samuel_to_sign_again_in_spanish(
    client_for, samuel, spanish_consent
):
    signed_consent(samuel, spanish_consent)
    # The clinic rewrites every section: his signature is for an outdated version now.
    newer = ConsentVersion.objects.create(
        number=spanish_consent.number + 1, title="Consentimiento informado"
    )
    for section in spanish_consent.ordered_sections():
        ConsentSection.objects.create(
            version=newer,
            position=section.position,
            slug=section.slug,
            title=section.title,
            body=section.body + " Ahora con más detalle.",
        )
    mark_every_change(newer, reason="Cambió el texto.")
    consent_services.publish_version(version=newer)

    response = client_for(samuel).get(reverse("care:patient_home"))

    assert response.url == reverse("consent:overview")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "La clínica actualizó su formulario de consentimiento. Por favor, léalo y vuelva a "
        "firmarlo."
    ]


def test_samuels_own_copy_page_speaks_spanish(client_for, samuel):
    client = client_for(samuel)
    assert_speaks_spanish(client.get(reverse("exports:my_copy")))
    # An address edited by hand: the page again, saying what to choose, in Spanish.
    refused = client.get(reverse("exports:download"), {"format": "docx"})
    assert refused.status_code == 422
    assert_speaks_spanish(refused)
    assert "Elija uno de los formatos disponibles" in refused.content.decode()


def test_when_pdfs_cannot_be_made_samuel_is_told_in_spanish(client_for, samuel, monkeypatch):
    def no_pdf(records):
        raise PdfUnavailable

    monkeypatch.setitem(services.FORMATS, "pdf", _pdf_written_by(no_pdf))
    page = client_for(samuel).get(reverse("exports:download"), {"format": "pdf"})
    assert page.status_code == 503
    assert_speaks_spanish(page)


def test_samuels_printed_copy_is_in_his_language(samuel, maya, spanish_consent, monkeypatch):
    _spanish_record(samuel, maya, spanish_consent)
    consent_services.withdraw_consent(patient=samuel, reason="Necesito más tiempo.")
    EntryFactory(patient=samuel, draft=True, body="Medio pensamiento sobre el viaje")
    # The PDF's page, as WeasyPrint would get it, made outside any Spanish request.
    monkeypatch.setitem(
        services.FORMATS, "pdf", _pdf_written_by(lambda records: formats.pdf_html(records).encode())
    )
    with translation.override("en"):
        html = services.export_records(patient=samuel, file_format="pdf").content.decode()
    assert '<html lang="es">' in html
    assert '"Página " counter(page) " de " counter(pages)' in html
    assert_speaks_spanish(html)


def test_the_data_formats_stay_english_for_a_spanish_patient(samuel, maya, spanish_consent):
    _spanish_record(samuel, maya, spanish_consent)
    with translation.override("es"):
        exported = services.export_records(patient=samuel, file_format="json")
    assert json.loads(exported.content)["sessions"][0]["route_label"] == "IV infusion"


def test_the_copy_writes_spanish_dates(samuel):
    records = export_selectors.records_of(samuel)
    with translation.override("es"):
        html = formats.pdf_html(records)
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
    assert any(f" de {month} de " in html for month in months)


# --- The therapist -------------------------------------------------------------------------


def test_mayas_empty_dashboard_speaks_spanish(client_for, maya):
    page = client_for(maya).get(reverse("care:roster"))
    assert_speaks_spanish(page)
    assert "Todavía no tiene pacientes a su cargo" in page.content.decode()


def _needing_attention(maya):
    """Five patients, each waiting on Maya for a different reason."""
    crisis = PatientFactory(first_name="Ana", last_name="Torres", care_team=[maya])
    urgent = EntryFactory(patient=crisis, shared=True, body="No quiero seguir así.")
    Entry.objects.filter(pk=urgent.pk).update(has_crisis_language=True)
    alerting = PatientFactory(first_name="Bruno", last_name="Díaz", care_team=[maya])
    answered(alerting, "phq9", PHQ9_WITH_ITEM_9)
    replying = PatientFactory(first_name="Carla", last_name="Núñez", care_team=[maya])
    comment = CommentFactory(
        entry=EntryFactory(patient=replying, reviewed=True, body="Dormí mejor."),
        author=maya,
        body="Qué bueno.",
    )
    ReplyFactory(in_reply_to=comment, body="Sí, dos noches seguidas.")
    EntryFactory(patient=replying, for_discussion=True, body="Quiero hablar de mi padre.")
    asking = PatientFactory(first_name="Diego", last_name="Luna", care_team=[maya])
    consent = consent_services.start_consent(patient=asking)
    for hours in (1, 30, 40):
        question = consent_services.ask_care_team(
            consent=consent, section=consent.version.ordered_sections()[0], text="¿Duele?"
        )
        CareTeamQuestion.objects.filter(pk=question.pk).update(
            asked_at=timezone.now() - timedelta(hours=hours)
        )
    invited = PatientFactory(first_name="Elena", last_name="Ruiz", invited=True, care_team=[maya])
    invitation_for(invited, invited_by=maya)
    PatientFactory(first_name="Félix", last_name="Soto", invited=True, care_team=[maya])


def test_mayas_dashboard_with_patients_needing_attention_speaks_spanish(
    client_for, maya, spanish_consent
):
    _needing_attention(maya)
    page = client_for(maya).get(reverse("care:roster"))
    text = page.content.decode()
    assert_speaks_spanish(page)
    assert "1 respuesta nueva" in text and "1 para conversar" in text
    assert "2 preguntas en espera desde hace más de un día" in text


def test_mayas_dashboard_a_page_at_a_time_speaks_spanish(
    client_for, maya, spanish_consent, monkeypatch
):
    monkeypatch.setattr(care_selectors, "ROSTER_PAGE_SIZE", 2)
    _needing_attention(maya)
    client = client_for(maya)
    first = client.get(reverse("care:roster"))
    assert_speaks_spanish(first)
    assert "Pacientes 1 a 2 de 6" in first.content.decode()
    assert_speaks_spanish(client.get(reverse("care:roster"), {"page": 2}))
    assert_speaks_spanish(client.get(reverse("care:roster"), {"page": 3}, **HX))


def test_samuels_page_speaks_spanish_to_maya(client_for, maya, samuel, spanish_consent):
    _spanish_record(samuel, maya, spanish_consent)
    samuel.last_login = timezone.now() - timedelta(days=3)
    samuel.save(update_fields=["last_login"])
    page = client_for(maya).get(reverse("care:patient", args=[samuel.public_id]))
    assert page.status_code == 200
    assert_speaks_spanish(page)
    assert "1 pregunta abierta" in page.content.decode()


def test_an_invited_patients_page_speaks_spanish(client_for, maya, spanish_consent):
    invited = PatientFactory(first_name="Elena", last_name="Ruiz", invited=True, care_team=[maya])
    client = client_for(maya)
    url = reverse("care:patient", args=[invited.public_id])
    assert_speaks_spanish(client.get(url))
    resent = client.post(reverse("care:invitation_resend", args=[invited.public_id]), follow=True)
    assert_speaks_spanish(resent)
    assert "Los enlaces anteriores ya no funcionan" in resent.content.decode()


def test_older_entries_through_htmx_speak_spanish(client_for, maya, samuel, spanish_consent):
    for day in range(22):
        EntryFactory(
            patient=samuel,
            shared=True,
            body=f"Día {day}: caminé junto al río.",
            submitted_at=timezone.now() - timedelta(days=day + 1),
        )
    client = client_for(maya)
    url = reverse("care:patient", args=[samuel.public_id])
    page = client.get(url)
    older = page.context["older_url"]
    assert older
    fragment = client.get(older, **HX)
    assert fragment.status_code == 200
    assert_speaks_spanish(fragment)


def test_a_refused_answer_comes_back_in_spanish(client_for, maya, samuel, spanish_consent):
    consent = _spanish_record(samuel, maya, spanish_consent)
    question = consent.questions.get()
    client = client_for(maya)
    refused = client.post(
        reverse("care:answer_consent_question", args=[question.public_id]), {"answer": "  "}
    )
    assert refused.status_code == 422
    assert_speaks_spanish(refused)
    sent = client.post(
        reverse("care:answer_consent_question", args=[question.public_id]),
        {"answer": "Sí, con un adulto de confianza."},
        follow=True,
    )
    assert_speaks_spanish(sent)
    assert "Su respuesta está en la página de consentimiento" in sent.content.decode()


def test_adding_a_patient_speaks_spanish(client_for, maya):
    client = client_for(maya)
    url = reverse("care:patient_add")
    assert_speaks_spanish(client.get(url))
    refused = client.post(url, {"first_name": "", "last_name": "", "email": "no-es-correo"})
    assert refused.status_code == 422
    assert_speaks_spanish(refused)
    added = client.post(
        url,
        {"first_name": "Inés", "last_name": "Mora", "email": "ines@example.com"},
        follow=True,
    )
    assert_speaks_spanish(added)
    assert "le estamos enviando una invitación" in added.content.decode()


def test_recording_a_session_speaks_spanish(client_for, maya, samuel):
    client = client_for(maya)
    url = reverse("care:session_new", args=[samuel.public_id])
    form = client.get(url)
    assert_speaks_spanish(form)
    assert "Pastilla para disolver en la boca" in form.content.decode()
    refused = client.post(url, {"route": "iv_infusion", "dose_mg": "mucho"})
    assert refused.status_code == 422
    assert_speaks_spanish(refused)
    assert "Indique la dosis como un número" in refused.content.decode()
    recorded = client.post(
        url,
        {
            "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "route": "lozenge",
            "dose_mg": "35",
            "notes": "Todo bien.",
        },
        follow=True,
    )
    assert_speaks_spanish(recorded)
    assert "La sesión quedó registrada" in recorded.content.decode()


def test_an_account_with_no_role_is_told_in_spanish(client_for, db):
    # A clinic admin without access to the admin site has no pages of their own.
    nobody = ClinicAdminFactory(is_staff=False, is_superuser=False, language="es")
    page = client_for(nobody).get(reverse("care:home"))
    assert page.status_code == 403
    assert_speaks_spanish(page)


def test_when_fhir_cannot_be_made_maya_is_told_in_spanish(client_for, maya, samuel, monkeypatch):
    def no_pdf(**kwargs):
        raise PdfUnavailable

    monkeypatch.setattr(services, "export_fhir", no_pdf)
    page = client_for(maya).get(reverse("exports:patient_fhir", args=[samuel.public_id]))
    assert page.status_code == 503
    assert_speaks_spanish(page)


def test_the_api_explains_a_wrong_format_in_spanish(api_as, samuel):
    # An app says which language it reads in its Accept-Language header.
    response = api_as(samuel).get(
        "/api/v1/me/export/", {"format": "docx"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 400
    assert "Elija uno de los formatos disponibles" in response.content.decode()

"""Sofía writes her journal in Spanish, and Lucía, her therapist, reviews it in Spanish.

Every page of the journal, every htmx fragment and every form that says no is drawn for
someone whose account says `language="es"`, and must show no English. What they wrote is
Spanish too: the detector cannot tell a patient's words from the interface.

The site's frame (header, footer, idle dialog in base.html) belongs to another piece of
the translation; these tests read the journal's own part of a page: its title and <main>.
"""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from journal import services
from journal.models import ENTRY_MAX_CHARS, REPLY_MAX_CHARS, Experience
from tests.factories.accounts import PatientFactory, TherapistFactory
from tests.factories.journal import (
    AdministrationSessionFactory,
    ClinicalNoteFactory,
    CommentFactory,
    EntryFactory,
    EntryReadFactory,
    IntentionFactory,
    ReplyFactory,
)
from tests.i18n.spanish import assert_speaks_spanish, english_on

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/journal/"}
TIMELINE = reverse("journal:timeline")
WRITE = reverse("journal:entry_write")
INTENTION = reverse("journal:intention_write")
LOOKS = reverse("journal:looks")


def assert_journal_speaks_spanish(response):
    """The whole page (or fragment) holds no English: frame, dates and charts included."""
    assert_speaks_spanish(response.content.decode())


@pytest.fixture
def lucia(db):
    return TherapistFactory(first_name="Lucía", last_name="Mendoza", language="es")


@pytest.fixture
def sofia(lucia):
    return PatientFactory(first_name="Sofía", last_name="Ramírez", language="es", care_team=[lucia])


@pytest.fixture
def sofia_client(client, sofia):
    client.force_login(sofia)
    return client


@pytest.fixture
def lucia_client(client, lucia):
    client.force_login(lucia)
    return client


@pytest.fixture
def sesion(sofia, lucia):
    return AdministrationSessionFactory(
        patient=sofia, recorded_by=lucia, notes="Sesión tranquila, con música suave."
    )


@pytest.fixture
def entrada(sofia, sesion):
    """A shared entry about the session: scores, prompts, experiences, all in Spanish."""
    return EntryFactory(
        patient=sofia,
        session=sesion,
        shared=True,
        is_for_discussion=True,
        mood=6,
        anxiety=3,
        body="La música se sintió como una ola.",
        stood_out="La luz detrás de los ojos.",
        emotions="Tristeza y alivio.",
        experiences=[Experience.VIVID_IMAGERY, Experience.OTHER],
        experiences_other="Un calor en las manos.",
    )


@pytest.fixture
def conversacion(entrada, lucia):
    """Lucía commented, Sofía answered, Lucía answered back; a note and a read too."""
    comment = CommentFactory(entry=entrada, author=lucia, body="Gracias por compartirlo.")
    reply = ReplyFactory(in_reply_to=comment, body="Gracias a usted. La calma duró dos días.")
    CommentFactory(
        entry=entrada, author=lucia, in_reply_to=reply, body="Qué bueno. Lo hablamos pronto."
    )
    ClinicalNoteFactory(entry=entrada, author=lucia, body="Revisar el sueño.")
    EntryReadFactory(entry=entrada, reader=lucia)
    return entrada


# --- Sofía's journal ------------------------------------------------------------------


def test_an_empty_journal_speaks_spanish(sofia_client):
    response = sofia_client.get(TIMELINE)
    assert response.status_code == 200
    assert_journal_speaks_spanish(response)
    assert "Su diario está vacío por ahora." in response.content.decode()


def test_a_journal_with_sessions_drafts_and_a_chart_speaks_spanish(
    sofia_client, sofia, sesion, conversacion
):
    IntentionFactory(patient=sofia, session=sesion, body="Quiero quedarme con la tristeza.")
    EntryFactory(patient=sofia, mood=4, anxiety=6, body="Un día largo en el trabajo.")
    EntryFactory(patient=sofia, draft=True, body="Medio pensamiento")
    # A session today with nothing written about it yet: the invitation to reflect.
    AdministrationSessionFactory(patient=sofia, occurred_at=timezone.now() - timedelta(hours=3))
    for window in ("90", "365", "all"):
        response = sofia_client.get(TIMELINE, {"chart": window})
        assert response.status_code == 200
        assert_journal_speaks_spanish(response)
    page = response.content.decode()
    assert "Borradores sin terminar" in page
    assert "Estado de ánimo" in page
    assert "¿cómo le fue?" in page


def test_older_entries_as_a_page_and_as_an_htmx_fragment_speak_spanish(sofia_client, sofia):
    for days in range(25):
        EntryFactory(
            patient=sofia,
            body=f"Día número {days}: caminé por el parque.",
            mood=days % 10,
            submitted_at=timezone.now() - timedelta(days=days, hours=1),
        )
    first = sofia_client.get(TIMELINE)
    assert "Entradas anteriores" in first.content.decode()
    assert_journal_speaks_spanish(first)
    older_url = first.context["older_url"]
    assert_journal_speaks_spanish(sofia_client.get(older_url))
    fragment = sofia_client.get(older_url, **HTMX)
    assert fragment.status_code == 200
    assert "<main" not in fragment.content.decode()
    assert_journal_speaks_spanish(fragment)


def test_writing_a_new_entry_speaks_spanish(sofia_client, sofia, sesion):
    IntentionFactory(patient=sofia, session=sesion, body="Quiero escuchar a mi cuerpo.")
    for params in ({}, {"session": sesion.public_id}):
        response = sofia_client.get(WRITE, params)
        assert response.status_code == 200
        assert_journal_speaks_spanish(response)


def test_going_on_with_a_draft_speaks_spanish(sofia_client, sofia, sesion):
    borrador = EntryFactory(patient=sofia, session=sesion, draft=True, body="Medio pensamiento")
    response = sofia_client.get(WRITE, {"draft": borrador.public_id})
    assert_journal_speaks_spanish(response)
    assert "Descartar este borrador" in response.content.decode()


def test_the_offline_words_for_the_draft_script_are_spanish(sofia_client):
    page = sofia_client.get(WRITE).content.decode()
    assert 'data-offline-message="Todavía no se guardó: no hay conexión.' in page


def _post_entry(client, key, **fields):
    data = {"draft_key": key, "intent": "submit", "is_shared": "False", **fields}
    return client.post(WRITE, data)


def test_saving_nothing_says_why_in_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    response = _post_entry(sofia_client, key)
    assert response.status_code == 422
    assert_journal_speaks_spanish(response)
    assert "Todavía no hay nada que guardar." in response.content.decode()


def test_an_entry_too_long_says_why_in_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    response = _post_entry(sofia_client, key, body="palabra " * (ENTRY_MAX_CHARS // 7))
    assert response.status_code == 422
    assert_journal_speaks_spanish(response)
    assert "caracteres como máximo" in response.content.decode()


def test_discussing_a_private_entry_says_why_in_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    response = _post_entry(sofia_client, key, body="Hoy dormí bien.", is_for_discussion="on")
    assert response.status_code == 422
    assert_journal_speaks_spanish(response)


def test_autosave_fragments_speak_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    saved = sofia_client.post(
        WRITE, {"draft_key": key, "intent": "autosave", "body": "Empiezo a escribir."}, **HTMX
    )
    assert saved.status_code == 200
    assert "Borrador guardado" in saved.content.decode()
    assert_journal_speaks_spanish(saved)

    refused = sofia_client.post(
        WRITE,
        {"draft_key": key, "intent": "autosave", "body": "Sigo.", "mood": "once"},
        **HTMX,
    )
    assert refused.status_code == 422
    assert "Lo que escribió está guardado." in refused.content.decode()
    assert_journal_speaks_spanish(refused)


def test_crisis_help_while_writing_speaks_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    # Sofía writes in Spanish: journal.crisis knows Spanish phrases too.
    response = sofia_client.post(
        WRITE, {"draft_key": key, "intent": "autosave", "body": "A veces quiero morirme."}, **HTMX
    )
    assert 'id="crisis-help"' in response.content.decode()
    assert_speaks_spanish(response)


def test_saving_an_entry_is_confirmed_in_spanish(sofia_client):
    key = sofia_client.get(WRITE).context["draft_key"]
    response = _post_entry(sofia_client, key, body="Hoy fue un buen día.", mood="7")
    followed = sofia_client.get(response["Location"])
    assert "Su entrada está guardada." in followed.content.decode()
    assert_journal_speaks_spanish(followed)


def test_a_private_entry_page_speaks_spanish(sofia_client, sofia, sesion):
    privada = EntryFactory(patient=sofia, session=sesion, body="Algo solo para mí.", mood=5)
    response = sofia_client.get(privada.get_absolute_url())
    assert response.status_code == 200
    assert_journal_speaks_spanish(response)
    assert "Compartirla con mi equipo de atención" in response.content.decode()


def test_a_shared_entry_with_a_conversation_speaks_spanish(sofia_client, sofia, conversacion):
    IntentionFactory(
        patient=sofia, session=conversacion.session, body="Quiero confiar en el proceso."
    )
    response = sofia_client.get(conversacion.get_absolute_url())
    page = response.content.decode()
    assert_journal_speaks_spanish(response)
    assert "Enviar respuesta" in page
    assert "Imágenes vívidas" in page


def test_an_entry_with_crisis_language_speaks_spanish(sofia_client, sofia):
    privada = EntryFactory(patient=sofia, body="No quiero seguir viviendo así.")
    response = sofia_client.get(privada.get_absolute_url())
    assert "No tiene que pasar por esto solo" in response.content.decode()
    assert_journal_speaks_spanish(response)


def test_sharing_an_entry_is_confirmed_in_spanish(sofia_client, sofia):
    privada = EntryFactory(patient=sofia, body="Ahora quiero compartirla.")
    response = sofia_client.post(
        reverse("journal:entry_share", args=[privada.public_id]), follow=True
    )
    assert "Su equipo de atención ya puede leer esta entrada." in response.content.decode()
    assert_journal_speaks_spanish(response)


@pytest.mark.parametrize("body", ["", "a" * (REPLY_MAX_CHARS + 1)], ids=["empty", "too-long"])
def test_a_refused_reply_says_why_in_spanish(sofia_client, conversacion, body):
    url = reverse("journal:entry_reply", args=[conversacion.public_id])
    page = sofia_client.post(url, {"body": body})
    assert page.status_code == 422
    assert_journal_speaks_spanish(page)
    fragment = sofia_client.post(url, {"body": body}, **HTMX)
    assert fragment.status_code == 422
    assert_journal_speaks_spanish(fragment)


def test_a_reply_sent_speaks_spanish(sofia_client, conversacion):
    url = reverse("journal:entry_reply", args=[conversacion.public_id])
    fragment = sofia_client.post(url, {"body": "Nos vemos el martes."}, **HTMX)
    assert fragment.status_code == 200
    assert_journal_speaks_spanish(fragment)
    page = sofia_client.post(url, {"body": "Y gracias otra vez."}, follow=True)
    assert "Su respuesta fue enviada." in page.content.decode()
    assert_journal_speaks_spanish(page)


def test_editing_an_entry_speaks_spanish(sofia_client, entrada):
    url = reverse("journal:entry_edit", args=[entrada.public_id])
    assert_journal_speaks_spanish(sofia_client.get(url))
    refused = sofia_client.post(
        url, {"body": "Cambio.", "is_shared": "False", "is_for_discussion": "on"}
    )
    assert refused.status_code == 422
    assert_journal_speaks_spanish(refused)
    saved = sofia_client.post(
        url, {"body": "La música fue una ola enorme.", "is_shared": "True"}, follow=True
    )
    assert "Sus cambios están guardados." in saved.content.decode()
    assert_journal_speaks_spanish(saved)


def test_earlier_versions_speak_spanish(sofia_client, entrada):
    url = reverse("journal:entry_versions", args=[entrada.public_id])
    assert_journal_speaks_spanish(sofia_client.get(url))
    services.edit_entry(entry=entrada, fields={"body": "Primera corrección."})
    services.edit_entry(entry=entrada, fields={"body": "Segunda corrección.", "mood": 8})
    response = sofia_client.get(url)
    assert "Versiones anteriores de su entrada" in response.content.decode()
    assert_journal_speaks_spanish(response)
    assert_journal_speaks_spanish(sofia_client.get(entrada.get_absolute_url()))


def test_discarding_a_draft_is_confirmed_in_spanish(sofia_client, sofia):
    borrador = EntryFactory(patient=sofia, draft=True, body="No lo quiero.")
    response = sofia_client.post(
        reverse("journal:entry_discard", args=[borrador.public_id]), follow=True
    )
    assert "El borrador fue descartado." in response.content.decode()
    assert_journal_speaks_spanish(response)


def test_the_intention_page_speaks_spanish(sofia_client, sofia, sesion):
    assert_journal_speaks_spanish(sofia_client.get(INTENTION))
    IntentionFactory(patient=sofia, session=sesion, body="Quiero soltar el miedo.")
    IntentionFactory(patient=sofia, body="Quiero hablar de mi padre.")
    response = sofia_client.get(INTENTION)
    assert "Lo que llevó a sesiones anteriores" in response.content.decode()
    assert_journal_speaks_spanish(response)


@pytest.mark.parametrize("body", ["", "b" * 1001], ids=["empty", "too-long"])
def test_a_refused_intention_says_why_in_spanish(sofia_client, body):
    key = sofia_client.get(INTENTION).context["form"].initial["key"]
    response = sofia_client.post(INTENTION, {"key": key, "body": body, "is_shared": "on"})
    assert response.status_code == 422
    assert_journal_speaks_spanish(response)


def test_an_intention_saved_is_confirmed_in_spanish(sofia_client):
    key = sofia_client.get(INTENTION).context["form"].initial["key"]
    response = sofia_client.post(
        INTENTION, {"key": key, "body": "Quiero estar presente.", "is_shared": "on"}, follow=True
    )
    assert "Su intención está guardada." in response.content.decode()
    assert_journal_speaks_spanish(response)


def test_who_looked_speaks_spanish(sofia_client, lucia_client, client, sofia, lucia, entrada):
    client.force_login(sofia)
    assert "Nadie de su equipo de atención" in client.get(LOOKS).content.decode()
    IntentionFactory(patient=sofia, body="Quiero entender mis sueños.", is_shared=True)
    client.force_login(lucia)
    client.get(reverse("care:patient", args=[sofia.public_id]))
    client.get(reverse("journal:agenda", args=[sofia.public_id]))
    client.get(reverse("journal:entry_review", args=[entrada.public_id]))
    for _ in range(26):
        services.list_entries(viewer=lucia, patient=sofia, count=1)
    client.force_login(sofia)
    for page in ("1", "2"):
        response = client.get(LOOKS, {"page": page})
        assert response.status_code == 200
        assert_journal_speaks_spanish(response)
    assert "abrió su agenda de integración" in client.get(LOOKS, {"page": "2"}).content.decode()


def test_the_journal_card_on_the_home_page_speaks_spanish(sofia, sesion, conversacion):
    with translation.override("es"):
        html = render_to_string(
            "journal/includes/home_card.html",
            {
                "user": sofia,
                "invitation": None,
                "new_comments": list(conversacion.comments.filter(author_side="care_team")),
                "next_intention": IntentionFactory(patient=sofia, body="Quiero descansar."),
            },
        )
    assert_speaks_spanish(html)


def test_dates_and_times_are_spanish(sofia_client, sofia):
    EntryFactory(
        patient=sofia, body="Hace tiempo.", submitted_at=timezone.now() - timedelta(days=40)
    )
    page = sofia_client.get(TIMELINE).content.decode()
    assert not english_on(page.split("<main", 1)[1].split("</main>", 1)[0])
    assert " de " in page  # "sábado 17 de octubre"


# --- Lucía's review -------------------------------------------------------------------


def test_the_review_page_speaks_spanish(lucia_client, sofia, conversacion):
    services.edit_entry(entry=conversacion, fields={"body": "La música fue una ola enorme."})
    IntentionFactory(patient=sofia, session=conversacion.session, body="Quiero confiar.")
    response = lucia_client.get(reverse("journal:entry_review", args=[conversacion.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Comentarios y respuestas" in page
    assert "Responder a Sofía" in page
    assert_journal_speaks_spanish(response)


def test_a_review_of_an_urgent_entry_speaks_spanish(lucia_client, sofia):
    urgente = EntryFactory(patient=sofia, shared=True, body="Pensé en hacerme daño.")
    response = lucia_client.get(reverse("journal:entry_review", args=[urgente.public_id]))
    assert "Lenguaje de crisis" in response.content.decode()
    assert_journal_speaks_spanish(response)


def test_the_review_fragments_speak_spanish(lucia_client, conversacion):
    key = conversacion.public_id
    reviewed = lucia_client.post(reverse("journal:entry_mark_reviewed", args=[key]), **HTMX)
    assert 'id="review-status"' in reviewed.content.decode()
    assert_journal_speaks_spanish(reviewed)
    comment = lucia_client.post(
        reverse("journal:entry_comment", args=[key]), {"body": "Hasta el martes."}, **HTMX
    )
    assert comment.status_code == 200
    assert_journal_speaks_spanish(comment)
    note = lucia_client.post(
        reverse("journal:entry_note", args=[key]), {"body": "Buena evolución."}, **HTMX
    )
    assert note.status_code == 200
    assert_journal_speaks_spanish(note)


@pytest.mark.parametrize("name", ["journal:entry_comment", "journal:entry_note"])
def test_a_refused_comment_or_note_says_why_in_spanish(lucia_client, conversacion, name):
    url = reverse(name, args=[conversacion.public_id])
    for body in ("", "c" * 4001):
        assert_journal_speaks_spanish(lucia_client.post(url, {"body": body}))
        fragment = lucia_client.post(url, {"body": body}, **HTMX)
        assert fragment.status_code == 422
        assert_journal_speaks_spanish(fragment)


def test_review_actions_are_confirmed_in_spanish(lucia_client, conversacion):
    key = conversacion.public_id
    for name, data in (
        ("journal:entry_mark_reviewed", {}),
        ("journal:entry_comment", {"body": "Nos vemos pronto."}),
        ("journal:entry_note", {"body": "Seguir con el tema del sueño."}),
    ):
        response = lucia_client.post(reverse(name, args=[key]), data, follow=True)
        assert response.status_code == 200
        assert_journal_speaks_spanish(response)


def test_the_agenda_speaks_spanish(lucia_client, sofia, sesion, conversacion):
    url = reverse("journal:agenda", args=[sofia.public_id])
    IntentionFactory(patient=sofia, session=sesion, body="Quiero escuchar.", is_shared=True)
    IntentionFactory(patient=sofia, body="Quiero hablar del trabajo.", is_shared=True)
    EntryFactory(patient=sofia, session=sesion, shared=True, body="Otra reflexión.")
    response = lucia_client.get(url)
    assert response.status_code == 200
    assert "Entradas marcadas para conversar" in response.content.decode()
    assert_journal_speaks_spanish(response)
    cleared = lucia_client.post(
        reverse("journal:agenda_discussed", args=[sofia.public_id]),
        {"entry": [conversacion.public_id]},
        follow=True,
    )
    assert "La agenda quedó vacía" in cleared.content.decode()
    assert_journal_speaks_spanish(cleared)


def test_an_empty_agenda_speaks_spanish(lucia_client, sofia):
    response = lucia_client.get(reverse("journal:agenda", args=[sofia.public_id]))
    assert "No hay nada marcado para conversar." in response.content.decode()
    assert_journal_speaks_spanish(response)

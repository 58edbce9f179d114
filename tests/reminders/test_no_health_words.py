"""No health detail ever goes in an email: every email template, and every reminder the
worker really sends, is checked against a list of words that must never appear."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.tasks import ACCOUNT_NOTICES
from reminders.kinds import KINDS
from reminders.services import send_due_reminders
from tests.factories.journal import CommentFactory, EntryFactory
from tests.factories.measures import schedule
from tests.reminders.conftest import ENTRY_WORDS

FORBIDDEN = [
    "ketamine",
    "esketamine",
    "spravato",
    "dose",
    "dosing",
    "mg",
    "milligram",
    "mood",
    "anxiety",
    "anxious",
    "depression",
    "depressed",
    "ptsd",
    "trauma",
    "phq",
    "phq-9",
    "gad",
    "gad-7",
    "pcl",
    "pcl-5",
    "suicide",
    "suicidal",
    "self-harm",
    "crisis",
    "score",
    "severity",
    "infusion",
    "lozenge",
    "injection",
    "intramuscular",
    "sublingual",
    "psychedelic",
    "dissociation",
    "side effect",
    "urgent",
    # The same in Spanish, for the emails written in Spanish.
    "ketamina",
    "esketamina",
    "dosis",
    "miligramo",
    "miligramos",
    "estado de ánimo",
    "ánimo",
    "ansiedad",
    "ansioso",
    "ansiosa",
    "depresión",
    "deprimido",
    "deprimida",
    "tept",
    "estrés postraumático",
    "trauma",
    "suicidio",
    "suicida",
    "autolesión",
    "puntuación",
    "gravedad",
    "severidad",
    "infusión",
    "pastilla",
    "inyección",
    "psicodélico",
    "psicodélica",
    "disociación",
    "efecto secundario",
    "efectos secundarios",
    "urgente",
    "terapia",
    "tratamiento",
    "salud",
]
FORBIDDEN_TEXT = [ENTRY_WORDS, "Will the dose make me sick?", "We will talk it through together."]


def health_words_in(text):
    found = [
        word
        for word in FORBIDDEN
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)
    ]
    return found + [words for words in FORBIDDEN_TEXT if words.lower() in text.lower()]


PROJECT_EMAIL_TEMPLATES = sorted(
    str(path.relative_to(settings.BASE_DIR / "templates"))
    for path in (settings.BASE_DIR / "templates").glob("**/email/*.txt")
)
ALLAUTH_TEMPLATES = sorted(
    [f"{prefix}_{part}.txt" for prefix in ACCOUNT_NOTICES for part in ("subject", "message")]
    + [
        "account/email/password_reset_key_subject.txt",
        "account/email/password_reset_key_message.txt",
    ]
)


@pytest.fixture
def realistic_context(patient, therapist, other_patient):
    class Site:
        name = settings.CLINIC_NAME
        domain = "kap.clinic.example"

    kind = KINDS["care_team_comment"]
    return {
        # accounts
        "patient": patient,
        "invited_by": therapist,
        "link": "https://kap.clinic.example/welcome/abc/",
        "expires_at": timezone.now() + timedelta(days=7),
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
        "user": patient,
        "is_old_address": True,
        "therapist": therapist,
        "account": other_patient,
        "typed_name": "Grace Kim",
        "admin_url": "https://kap.clinic.example/admin/accounts/user/3/change/",
        # reminders
        "recipient": patient,
        "line": kind.email_line,
        "kind_label": kind.label,
        "settings_link": "https://kap.clinic.example/account/reminders/",
        "unsubscribe_link": "https://kap.clinic.example/unsubscribe/x/",
        # allauth
        "current_site": Site(),
        "email": patient.email,
        "password_reset_url": "https://kap.clinic.example/accounts/password/reset/key/1-x/",
        "timestamp": timezone.now(),
        "ip": "203.0.113.7",
        "user_agent": "Phone browser 1.0",
    }


def test_the_project_has_the_email_templates_this_test_knows():
    # A new email template must be added here, so that it is checked too.
    assert PROJECT_EMAIL_TEMPLATES == [
        "accounts/email/care_team_request.txt",
        "accounts/email/email_changed.txt",
        "accounts/email/invitation.txt",
        "reminders/email/reminder.txt",
        "reminders/email/reminder_subject.txt",
    ]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("template", PROJECT_EMAIL_TEMPLATES + ALLAUTH_TEMPLATES)
def test_no_email_template_says_a_health_word(template, language, realistic_context):
    with translation.override(language):
        text = render_to_string(template, realistic_context)
    assert text.strip()
    assert health_words_in(text) == [], template


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_kind_of_reminder_names_a_health_word(kind, language):
    with translation.override(language):
        assert health_words_in(f"{KINDS[kind].email_line} {KINDS[kind].label}") == []


WAITING = {"en": "Something is waiting for you", "es": "Algo le espera"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_reminder_the_worker_sends_says_only_that_something_waits(
    language, patient, therapist, sams_session, sams_question, mailoutbox, run_worker, settings
):
    settings.REMINDER_DIGEST_HOUR = 0
    for person in (patient, therapist):
        person.language = language
        person.save(update_fields=["language"])
    sams_question.answer = "We will talk it through together."
    sams_question.answered_by = therapist
    sams_question.answered_at = timezone.now()
    sams_question.save()
    entry = EntryFactory(
        patient=patient, session=None, shared=True, body=ENTRY_WORDS, mood=2, anxiety=9
    )
    CommentFactory(entry=entry, author=therapist, body="Your mood and the dose: let's talk.")
    schedule(patient, "phq9")  # due before the first session: a questionnaire reminder

    assert send_due_reminders() == len(KINDS)
    run_worker()

    assert len(mailoutbox) == len(KINDS)
    for mail in mailoutbox:
        assert health_words_in(mail.subject) == [], mail.subject
        assert health_words_in(mail.body) == [], mail.body
        assert WAITING[language] in mail.subject

"""Every page of the app, opened by a Spanish-speaking patient and therapist, has no English.

The pages come from the URLconf, as in tests/config/test_every_page.py, so a page added
tomorrow is read in Spanish the day it is added. The area tests beside this one go deeper
(every state, error and fragment); this one makes sure none is forgotten.
"""

import pytest
from django.urls import NoReverseMatch, get_resolver

from consent import services
from consent.models import CareTeamQuestion
from tests.config.test_every_page import url_for
from tests.factories.accounts import PatientFactory, TherapistFactory
from tests.factories.consent import shipped_consent_version, signed_consent
from tests.factories.journal import AdministrationSessionFactory, EntryFactory
from tests.i18n.spanish import assert_speaks_spanish

pytestmark = pytest.mark.django_db

APPS = ("accounts", "consent", "journal", "care", "exports", "measures", "reminders")
WORDS = "Las palabras de Sofía sobre la casa del lago"
# Files, not pages: their language is tested where they are made.
NOT_HTML = (
    "application/pdf",
    "text/csv",
    "application/json",
    "application/fhir+json",
    "application/zip",
)


def pages():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in APPS and pattern.name:
                yield f"{namespace}:{pattern.name}", tuple(pattern.pattern.converters)

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def people():
    lucia = TherapistFactory(first_name="Lucía", last_name="Mendoza", language="es")
    sofia = PatientFactory(
        first_name="Sofía", last_name="Ramírez", language="es", care_team=[lucia]
    )
    version = shipped_consent_version()
    consent = signed_consent(sofia, version, language="es")
    question = CareTeamQuestion.objects.create(
        consent=consent, section=version.ordered_sections()[0], text=WORDS
    )
    session = AdministrationSessionFactory(patient=sofia, recorded_by=lucia, notes="Tranquila.")
    entry = EntryFactory(
        patient=sofia, session=session, shared=True, for_discussion=True, body=WORDS, mood=6
    )
    things = {
        "patient": sofia.public_id,
        "consent": consent.public_id,
        "question": question.public_id,
        "entry": entry.public_id,
        "draft_version": services.draft_next_version(based_on=version).public_id,
    }
    return sofia, lucia, things


def test_every_page_speaks_spanish_to_a_spanish_patient_and_therapist(client, people):
    sofia, lucia, things = people
    read = []
    for name, converters in pages():
        try:
            url = url_for(name, converters, things)
        except NoReverseMatch:  # a page whose kind of id this story has none of
            continue
        for person in (sofia, lucia):
            client.force_login(person)
            response = client.get(url, follow=True)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or kind.startswith(NOT_HTML):
                continue
            try:
                assert_speaks_spanish(response)
            except AssertionError as english:
                raise AssertionError(f"{name} as {person.first_name}: {english}") from None
            read.append((name, person.first_name))
    names = {name for name, _person in read}
    # Guard against the test quietly reading nothing: the main pages of each area are here.
    for expected in (
        "care:patient_home", "care:roster", "care:patient", "consent:overview",
        "journal:timeline", "journal:entry_write", "measures:mine", "measures:patient",
        "reminders:settings", "accounts:devices", "exports:my_copy",
    ):  # fmt: skip
        assert expected in names, f"{expected} was not read: {sorted(names)}"

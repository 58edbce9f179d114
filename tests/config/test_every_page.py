"""Every page of the app, tried by visitors who are not Sam or his therapist.

The URLs come from the URLconf, so a new page is covered the day it is added.
"""

import pytest
from django.urls import get_resolver, reverse

from consent import services
from consent.models import CareTeamQuestion
from tests.factories.consent import signed_consent
from tests.factories.journal import AdministrationSessionFactory, EntryFactory

SAMS_WORDS = "Sam's words about the lake house"
APPS = ("accounts", "consent", "journal", "care", "exports")
# Reached before login: the invitation link, and the language picker on the login page (it
# only sets a cookie for a visitor; tests/accounts/test_language_choice.py covers it).
PUBLIC = {"accounts:invitation_accept", "accounts:language"}


def pages():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in APPS:
                yield f"{namespace}:{pattern.name}", pattern.pattern.converters

    return sorted(
        (name, tuple(converters)) for name, converters in walk(get_resolver().url_patterns)
    )


@pytest.fixture
def sams_things(patient, therapist, consent_version):
    consent = signed_consent(patient, consent_version)
    question = CareTeamQuestion.objects.create(
        consent=consent, section=consent_version.ordered_sections()[0], text=SAMS_WORDS
    )
    session = AdministrationSessionFactory(patient=patient, recorded_by=therapist)
    entry = EntryFactory(patient=patient, session=session, for_discussion=True, body=SAMS_WORDS)
    return {
        "patient": patient.public_id,
        "consent": consent.public_id,
        "question": question.public_id,
        "entry": entry.public_id,
        "draft_version": services.draft_next_version(based_on=consent_version).public_id,
    }


def url_for(name, converters, things):
    if name == "accounts:invitation_accept":
        return reverse(name, args=["not-a-real-token"])
    if not converters:
        return reverse(name)
    if name == "consent:preview":
        return reverse(name, args=[things["draft_version"], 1])
    if "position" in converters:
        return reverse(name, args=[1])
    if name.startswith("journal:entry") or name.startswith("journal:review"):
        key = "entry"
    elif name in ("consent:signed", "consent:copy", "consent:copy_pdf"):
        key = "consent"
    elif name == "care:answer_consent_question":
        key = "question"
    else:
        key = "patient"
    return reverse(name, args=[things[key]])


@pytest.mark.parametrize(("name", "converters"), pages())
def test_only_the_right_people_reach_each_page(request, client, sams_things, name, converters):
    url = url_for(name, converters, sams_things)
    names_sams_thing = any(
        str(value) in url for key, value in sams_things.items() if key != "draft_version"
    )
    for method in ("get", "post"):
        # Anonymous visitors are sent to log in.
        client.logout()
        response = getattr(client, method)(url)
        if name not in PUBLIC:
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("account_login")), name
        # The other patient, the other therapist and the clinic admin never see or change
        # Sam's things: pages naming them answer 403, 404 or 405 and show none of his words.
        for role in ("other_patient", "other_therapist", "clinic_admin"):
            client.force_login(request.getfixturevalue(role))
            response = getattr(client, method)(url)
            assert SAMS_WORDS not in response.content.decode(errors="replace"), (name, role)
            if names_sams_thing:
                assert response.status_code in (403, 404, 405), (
                    name,
                    role,
                    method,
                    response.status_code,
                )

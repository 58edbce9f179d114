"""Every operation in the API schema, tried by everyone who is not Sam or his therapist.

The lists of endpoints come from the schema itself, so a new endpoint is covered the day
it is added: anonymous visitors get 401, and the other patient, the other therapist and
the clinic admin never reach Sam's records, nor see a trace of them in any list.
"""

import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.tokens import issue_token
from consent.models import CareTeamQuestion
from tests.factories.consent import signed_consent
from tests.factories.journal import (
    AdministrationSessionFactory,
    CommentFactory,
    EntryFactory,
    IntentionFactory,
    ReplyFactory,
)
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, schedule

SAMS_WORDS = "Sam's own words about the river"


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture
def sams_records(patient, therapist, consent_version):
    consent = signed_consent(patient, consent_version)
    question = CareTeamQuestion.objects.create(
        consent=consent, section=consent_version.ordered_sections()[0], text=SAMS_WORDS
    )
    session = AdministrationSessionFactory(patient=patient, recorded_by=therapist)
    entry = EntryFactory(patient=patient, session=session, shared=True, body=SAMS_WORDS)
    comment = CommentFactory(entry=entry, author=therapist)
    ReplyFactory(in_reply_to=comment, body=SAMS_WORDS)
    IntentionFactory(patient=patient, body=SAMS_WORDS)
    draft = EntryFactory(patient=patient, draft=True, body=SAMS_WORDS)
    phone = issue_token(user=patient, device_name="Sam's iPhone")
    schedule(patient, "phq9", by=therapist)
    measure_answers = answered(patient, "phq9", PHQ9_WITH_ITEM_9)
    answered(patient, "gad7", [1, 2], draft=True)
    return {
        "devices": phone.device.public_id,
        "patients": patient.public_id,
        "records": consent.public_id,
        "questions": question.public_id,
        "entries": entry.public_id,
        "drafts": draft.public_id,
        "responses": measure_answers.public_id,
        "alerts": measure_answers.alert.public_id,
    }


def fill(path, ids):
    """Put Sam's ids into the path's placeholders, by the collection each follows."""

    def replace(match):
        collection = path[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if match.group(1) == "position":
            return "1"
        return str(ids[collection])

    return re.sub(r"\{(\w+)\}", replace, path)


def call(client, method, url):
    return getattr(client, method.lower())(url, {}, format="json")


@pytest.mark.parametrize(("method", "path"), operations())
def test_only_the_right_people_reach_each_operation(request, api_as, sams_records, method, path):
    url = fill(path, sams_records)
    # Anonymous visitors get 401 everywhere but the token endpoint, which asks for a password.
    response = call(api_as(None), method, url)
    expected = 400 if (method, path) == ("POST", "/api/v1/auth/token/") else 401
    assert response.status_code == expected, (method, path)

    names_sams_record = any(str(value) in url for value in sams_records.values())
    for role in ("other_patient", "other_therapist", "clinic_admin"):
        response = call(api_as(request.getfixturevalue(role)), method, url)
        body = response.content.decode(errors="replace")
        assert SAMS_WORDS not in body, (role, method, url)
        if names_sams_record:
            refused = (403, 404)
            if "/drafts/" in path:
                # A draft key is chosen by the app, so someone else's key answers exactly
                # as a fresh one would (here: "nothing to save yet"), never with Sam's draft.
                refused = (400, 403, 404)
            assert response.status_code in refused, (role, method, url, response.status_code)
        else:
            # Lists and "my" endpoints never leak a trace of Sam's records.
            for value in sams_records.values():
                assert str(value) not in body, (role, method, url)


@pytest.mark.parametrize("role", ["other_patient", "other_therapist", "clinic_admin"])
def test_sams_draft_survives_everyone_elses_requests(request, api_as, sams_records, role):
    from journal.models import Entry

    client = api_as(request.getfixturevalue(role))
    key = sams_records["drafts"]
    client.put(f"/api/v1/journal/drafts/{key}/", {"body": "overwritten"}, format="json")
    client.post(f"/api/v1/journal/drafts/{key}/submit/", {"body": "submitted"}, format="json")
    client.delete(f"/api/v1/journal/drafts/{key}/")
    draft = Entry.objects.get(public_id=key)
    assert draft.body == SAMS_WORDS and draft.is_draft


def test_the_ids_in_the_paths_are_all_covered(sams_records):
    for _, path in operations():
        assert "{" not in fill(path, sams_records)
    assert uuid.UUID(str(sams_records["entries"]))

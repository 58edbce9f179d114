"""Sam sees who on his care team looked at his words: an entry, the list, the agenda.

From his journal and from an entry's "who has read it" line he reaches one page, newest
first, a screenful at a time; a native app reads the same from the API.
"""

import pytest
from django.urls import reverse

from journal import services
from journal.selectors import LOOKS_PER_PAGE
from tests.factories.accounts import TherapistFactory
from tests.factories.journal import EntryFactory

LOOKS = reverse("journal:looks")


@pytest.fixture
def looked_at(client_for, patient, therapist, shared_entry):
    """Maya opened Sam's page, his agenda and then one entry, in that order."""
    EntryFactory(patient=patient, for_discussion=True, body="For next time")
    client = client_for(therapist)
    client.get(reverse("care:patient", args=[patient.public_id]))
    client.get(reverse("journal:agenda", args=[patient.public_id]))
    client.get(reverse("journal:entry_review", args=[shared_entry.public_id]))
    return shared_entry


def test_sam_finds_who_looked_from_his_journal_and_from_an_entry(client_for, patient, looked_at):
    client = client_for(patient)
    assert LOOKS in client.get(reverse("journal:timeline")).content.decode()
    assert LOOKS in client.get(looked_at.get_absolute_url()).content.decode()


def test_sam_sees_who_looked_at_what_newest_first(client_for, patient, looked_at):
    response = client_for(patient).get(LOOKS)
    assert response.status_code == 200
    looks = response.context["looks"].object_list
    assert [look.what for look in looks] == ["entry", "agenda", "list"]
    assert {look.who for look in looks} == {"Maya Okafor"}
    assert looks[0].entry == looked_at
    # The agenda showed in full the entry for discussion and the reflection on the session.
    assert (looks[1].count, looks[2].count) == (2, 2)

    text = response.content.decode()
    assert text.index("opened <a") < text.index("opened your integration agenda (2 entries")
    assert "saw the list of your shared entries (2, with their first lines)" in text
    assert looked_at.get_absolute_url() in text
    # What Maya saw is not repeated here: only who, what and when.
    assert "The music felt like a wave." not in text


def test_nobody_has_looked_yet(client_for, patient, shared_entry):
    page = client_for(patient).get(LOOKS).content.decode()
    assert "Nobody on your care team has looked at your entries yet." in page


def test_a_long_history_comes_a_page_at_a_time(client_for, patient, therapist):
    for _ in range(LOOKS_PER_PAGE + 1):
        services.list_entries(viewer=therapist, patient=patient, count=1)
    client = client_for(patient)
    first = client.get(LOOKS)
    assert len(first.context["looks"].object_list) == LOOKS_PER_PAGE
    assert "?page=2" in first.content.decode()
    second = client.get(LOOKS, {"page": 2})
    assert len(second.context["looks"].object_list) == 1
    # A page number that is not one shows the first page, not an error.
    assert client.get(LOOKS, {"page": "x"}).status_code == 200


def test_the_page_costs_the_same_queries_for_few_looks_or_many(
    client_for, patient, therapist, shared_entry, django_assert_num_queries
):
    services.open_entry_for_review(entry=shared_entry, reader=therapist)
    client = client_for(patient)
    client.get(LOOKS)  # warm the session
    with django_assert_num_queries(4) as few:
        client.get(LOOKS)
    colleague = TherapistFactory()
    for n in range(10):
        entry = EntryFactory(patient=patient, shared=True)
        services.open_entry_for_review(entry=entry, reader=therapist if n % 2 else colleague)
        services.list_entries(viewer=colleague, patient=patient, count=n + 1)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(LOOKS)


def test_sam_sees_only_looks_at_his_own_words(client_for, patient, other_patient, other_therapist):
    EntryFactory(patient=other_patient, shared=True)
    services.list_entries(viewer=other_therapist, patient=other_patient, count=1)
    looks = client_for(patient).get(LOOKS).context["looks"].object_list
    assert looks == []


def test_the_page_is_the_patients_own(client_for, therapist, clinic_admin):
    for person in (therapist, clinic_admin):
        assert client_for(person).get(LOOKS).status_code == 403
    assert client_for(None).get(LOOKS).status_code == 302


# --- The API -------------------------------------------------------------------------------


def test_the_app_reads_who_looked(api_as, patient, looked_at):
    response = api_as(patient).get("/api/v1/journal/looks/")
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 3
    assert [(r["what"], r["therapist"], r["count"]) for r in body["results"]] == [
        ("entry", "Maya Okafor", None),
        ("agenda", "Maya Okafor", 2),
        ("list", "Maya Okafor", 2),
    ]
    assert body["results"][0]["entry"] == str(looked_at.public_id)
    assert "The music felt like a wave." not in response.content.decode()


@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_who_looked_is_for_patients_only(request, api_as, looked_at, role):
    response = api_as(request.getfixturevalue(role)).get("/api/v1/journal/looks/")
    assert response.status_code == 403


def test_another_patient_sees_none_of_sams_looks(api_as, other_patient, looked_at):
    assert len(api_as(other_patient).get("/api/v1/journal/looks/").json()["results"]) == 0

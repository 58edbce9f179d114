"""Crisis language brings help to the patient at once, and to the care team only if shared."""

import uuid

from django.test import override_settings
from django.urls import reverse

from journal.models import Entry
from tests.factories.journal import EntryFactory

WRITE = "/journal/write/"
CRISIS = "Some nights I want to kill myself."


def _post(client, key, body, **extra):
    fields = {"draft_key": str(key), "body": body, "is_shared": "False", "intent": "submit"}
    return client.post(WRITE, {**fields, **extra})


@override_settings(CLINIC_PHONE="(555) 010-4242")
def test_a_private_crisis_entry_shows_help_at_once_and_offers_to_share(
    client_for, patient, therapist
):
    client = client_for(patient)
    response = _post(client, uuid.uuid4(), CRISIS)
    page = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in page
    assert 'href="tel:988"' in page and 'href="sms:988"' in page
    assert "(555) 010-4242" in page
    assert 'href="tel:911"' in page
    assert "Share this entry with my care team" in page

    entry = Entry.objects.get()
    assert entry.has_crisis_language and not entry.is_shared
    dashboard = client_for(therapist).get(reverse("care:roster")).content.decode()
    assert "Urgent" not in dashboard
    assert "kill myself" not in dashboard


def test_sharing_a_crisis_entry_raises_it_as_urgent_at_the_top_of_the_dashboard(
    client_for, patient, therapist
):
    client = client_for(patient)
    _post(client, uuid.uuid4(), CRISIS)
    entry = Entry.objects.get()
    response = client.post(reverse("journal:entry_share", args=[entry.public_id]))
    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.is_shared and entry.is_urgent

    dashboard = client_for(therapist).get(reverse("care:roster")).content.decode()
    assert dashboard.index("Urgent: crisis language") < dashboard.index("patient-list")
    assert reverse("journal:entry_review", args=[entry.public_id]) in dashboard


def test_a_shared_crisis_entry_tells_the_patient_the_team_will_see_it(client_for, patient):
    client = client_for(patient)
    response = _post(client, uuid.uuid4(), CRISIS, is_shared="True")
    page = client.get(response["Location"]).content.decode()
    assert "Your care team will see this entry marked as urgent" in page
    assert "Share this entry with my care team" not in page


def test_the_autosave_shows_crisis_help_once_while_the_patient_writes(client_for, patient, htmx):
    client = client_for(patient)
    key = uuid.uuid4()
    fields = {"draft_key": str(key), "is_shared": "False", "intent": "autosave"}
    calm = client.post(WRITE, {**fields, "body": "A long walk today."}, **htmx)
    assert "988" not in calm.content.decode()

    first = client.post(WRITE, {**fields, "body": f"A long walk today. {CRISIS}"}, **htmx)
    assert 'data-hx-swap-oob="true"' in first.content.decode()
    assert 'role="alert"' in first.content.decode()
    assert 'href="tel:988"' in first.content.decode()

    again = client.post(WRITE, {**fields, "body": f"A long walk today. {CRISIS} More."}, **htmx)
    assert "988" not in again.content.decode()  # shown already; not re-announced every save

    # A reload of the draft shows it again, in its place.
    reload = client.get(WRITE, {"draft": key}).content.decode()
    assert 'href="tel:988"' in reload


def test_ordinary_entries_show_no_crisis_help(client_for, patient):
    client = client_for(patient)
    response = _post(client, uuid.uuid4(), "This traffic is killing me, but the session helped.")
    page = client.get(response["Location"]).content.decode()
    assert 'href="sms:988"' not in page
    assert not Entry.objects.get().has_crisis_language


def test_crisis_language_in_a_guided_prompt_counts_too(patient):
    entry = EntryFactory(patient=patient, body="", insights="I have been hurting myself.")
    assert entry.has_crisis_language


def test_reviewing_an_urgent_entry_takes_it_off_the_urgent_list(client_for, patient, therapist):
    entry = EntryFactory(patient=patient, shared=True, body=CRISIS)
    client = client_for(therapist)
    assert entry.public_id in [e.public_id for e in Entry.objects.visible_to(therapist).urgent()]
    client.post(reverse("journal:entry_mark_reviewed", args=[entry.public_id]))
    assert not Entry.objects.visible_to(therapist).urgent().exists()
    assert "Urgent: crisis language" not in client.get(reverse("care:roster")).content.decode()

"""A therapist records administration sessions; the patient sees them and is invited to reflect."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from journal import services
from journal.models import AdministrationSession
from tests.factories.journal import AdministrationSessionFactory, EntryFactory


def _session_form(**overrides):
    now = timezone.localtime()
    # Earlier today, even just after midnight in the clinic's zone, so "today" holds.
    moment = max(now - timedelta(hours=3), now.replace(hour=0, minute=0, second=0))
    fields = {
        "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "route": "intramuscular",
        "dose_mg": "52.5",
        "notes": "Calm throughout.",
    }
    return {**fields, **overrides}


def test_therapist_records_a_session_and_the_patient_sees_it(client_for, therapist, patient):
    url = reverse("care:session_new", args=[patient.public_id])
    client = client_for(therapist)
    assert "Record a session for Sam" in client.get(url).content.decode()
    response = client.post(url, _session_form())
    assert response.status_code == 303
    session = AdministrationSession.objects.get()
    assert (session.patient, session.recorded_by) == (patient, therapist)
    assert (session.route, session.dose_mg) == ("intramuscular", Decimal("52.5"))

    timeline = client_for(patient).get(reverse("journal:timeline")).content.decode()
    assert "Intramuscular injection, 52.5 mg" in timeline
    assert "Calm throughout." in timeline
    assert "Your session today: how was it?" in timeline


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dose_mg", "0", "A dose is at least 0.1 mg."),
        ("dose_mg", "5000", "That is more than 1000 mg"),
        ("dose_mg", "lots", "Enter the dose as a number of mg"),
        ("route", "snorted", "Select a valid choice"),
        ("occurred_at", "yesterday-ish", "Enter the date and time the session took place."),
    ],
)
def test_a_session_with_bad_input_is_refused_kindly(
    client_for, therapist, patient, field, value, message
):
    url = reverse("care:session_new", args=[patient.public_id])
    response = client_for(therapist).post(url, _session_form(**{field: value}))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not AdministrationSession.objects.exists()


def test_a_session_in_the_future_is_refused(client_for, therapist, patient):
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("care:session_new", args=[patient.public_id])
    response = client_for(therapist).post(url, _session_form(occurred_at=later))
    assert response.status_code == 422
    assert "Record a session after it has happened" in response.content.decode()


def test_a_dose_is_optional(client_for, therapist, patient):
    url = reverse("care:session_new", args=[patient.public_id])
    assert client_for(therapist).post(url, _session_form(dose_mg="")).status_code == 303
    assert AdministrationSession.objects.get().dose_mg is None


def test_the_dose_range_is_a_database_rule_too(patient):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AdministrationSessionFactory(patient=patient, dose_mg=Decimal("0"))


def _home_card(patient):
    template = Template("{% load journal_tags %}{% journal_home_card user %}")
    return template.render(Context({"user": patient}))


@override_settings(TIME_ZONE="America/New_York")
def test_the_home_card_invites_a_reflection_on_the_latest_session(monkeypatch, patient):
    now = datetime(2026, 11, 5, 15, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    AdministrationSessionFactory(
        patient=patient, occurred_at=datetime(2026, 10, 27, 15, 0, tzinfo=ZoneInfo("UTC"))
    )
    latest = AdministrationSessionFactory(
        patient=patient, occurred_at=datetime(2026, 11, 3, 15, 0, tzinfo=ZoneInfo("UTC"))
    )
    card = _home_card(patient)
    assert "Your session on Tuesday 3 November: how was it?" in card
    assert f"?session={latest.public_id}" in card
    assert reverse("journal:timeline") in card


def test_the_home_card_offers_the_draft_then_stops_inviting_once_written(patient, session):
    draft = EntryFactory(patient=patient, session=session, draft=True)
    card = _home_card(patient)
    assert "Continue your reflection" in card and f"?draft={draft.public_id}" in card
    services.submit_entry(patient=patient, draft_key=draft.public_id, fields={})
    assert "how was it?" not in _home_card(patient)


def test_an_old_session_no_longer_invites_a_reflection(patient):
    AdministrationSessionFactory(patient=patient, occurred_at=timezone.now() - timedelta(days=30))
    assert "how was it?" not in _home_card(patient)


def test_the_home_card_tells_the_patient_about_a_new_comment(patient, therapist, shared_entry):
    from tests.factories.journal import CommentFactory

    CommentFactory(entry=shared_entry, author=therapist)
    card = _home_card(patient)
    assert "Maya Okafor</strong> commented on your entry" in card
    assert shared_entry.get_absolute_url() in card


def test_the_home_card_shows_nothing_of_another_patient(patient, other_patient):
    AdministrationSessionFactory(patient=other_patient)
    assert "how was it?" not in _home_card(patient)


def test_recording_a_session_reminds_the_therapist_when_consent_is_not_signed(
    client_for, therapist, patient, consent_version
):
    from django.urls import reverse

    page = client_for(therapist).get(reverse("care:session_new", args=[patient.public_id]))
    text = page.content.decode()
    assert "Check consent first." in text
    assert "Consent not started" in text


def test_the_timeline_invites_to_reflect_exactly_as_the_home_card_does(patient):
    """The timeline reads the invitation beside its drafts; the answer must not differ."""
    from journal import selectors

    def same_invitation():
        on_timeline = selectors.timeline(patient).invitation
        on_home = selectors.invitation_to_reflect(patient)
        assert (on_timeline and (on_timeline.session, on_timeline.draft)) == (
            on_home and (on_home.session, on_home.draft)
        )
        return on_timeline

    assert same_invitation() is None  # no session yet
    AdministrationSessionFactory(patient=patient, occurred_at=timezone.now() - timedelta(days=30))
    assert same_invitation() is None  # too long ago
    latest = AdministrationSessionFactory(
        patient=patient, occurred_at=timezone.now() - timedelta(days=2)
    )
    assert same_invitation().session == latest
    EntryFactory(patient=patient, draft=True)  # a draft about no session
    first = EntryFactory(patient=patient, session=latest, draft=True)
    second = EntryFactory(patient=patient, session=latest, draft=True)
    first.body = "Edited after the second draft was begun."
    first.save()
    assert same_invitation().draft == second  # the newest draft, as on the home card
    EntryFactory(patient=patient, session=latest)
    assert same_invitation() is None  # written about

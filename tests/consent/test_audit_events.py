"""Consent joins the audit trail: starting, signing, withdrawing, publishing, and every look
at a signed record, its printable copy or its PDF, by whom and from where.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from consent import services
from consent.models import Consent
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.consent import signed_consent

ADDRESS = "198.51.100.23"


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("sequence"))


def test_starting_is_recorded_once_and_resuming_is_not(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"), REMOTE_ADDR=ADDRESS)
    client.post(reverse("consent:start"), REMOTE_ADDR=ADDRESS)
    consent = Consent.objects.get(patient=patient)
    [started] = events(Kind.CONSENT_STARTED)
    assert (started.actor, started.patient) == (patient, patient)
    assert started.object_id == str(consent.public_id)
    assert started.ip_address == ADDRESS
    assert started.detail == {"version": 1}


def test_signing_is_recorded_with_how_identity_was_confirmed(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version)
    client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
        REMOTE_ADDR=ADDRESS,
        headers={"User-Agent": "Phone browser 1.0"},
    )
    consent = Consent.objects.get(patient=patient)
    [signed] = events(Kind.CONSENT_SIGNED)
    assert (signed.actor, signed.patient) == (patient, patient)
    assert signed.object_id == str(consent.public_id)
    assert (signed.ip_address, signed.user_agent) == (ADDRESS, "Phone browser 1.0")
    assert signed.detail == {
        "version": 1,
        "signature": str(consent.signature.public_id),
        "identity": "password",
        "seal_key_id": consent.signature.seal_key_id,
        "language": "en",
    }


def test_a_double_submit_records_one_signature(client, patient, consent_version, read_sections):
    client.force_login(patient)
    read_sections(client, consent_version)
    data = {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD}
    client.post(reverse("consent:sign"), data)
    client.post(reverse("consent:sign"), data)
    assert len(events(Kind.CONSENT_SIGNED)) == 1


def test_a_refused_password_at_signing_stays_in_the_trail(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version)
    client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": "a-guess"},
        REMOTE_ADDR=ADDRESS,
    )
    assert not events(Kind.CONSENT_SIGNED)
    [refused] = events(Kind.LOGIN_FAILED)
    assert refused.patient == patient
    assert refused.ip_address == ADDRESS


def test_withdrawing_is_recorded_without_the_reason(client, patient, consent_version):
    consent = signed_consent(patient, consent_version)
    client.force_login(patient)
    client.post(
        reverse("consent:withdraw"),
        {"confirmed": "on", "reason": "My own private words"},
        REMOTE_ADDR=ADDRESS,
    )
    [withdrawn] = events(Kind.CONSENT_WITHDRAWN)
    assert (withdrawn.actor, withdrawn.patient) == (patient, patient)
    assert withdrawn.object_id == str(consent.public_id)
    assert withdrawn.ip_address == ADDRESS
    assert withdrawn.detail == {"version": 1, "gave_reason": True}
    assert "private words" not in str(withdrawn.canonical())


def test_publishing_in_the_admin_is_recorded(client, clinic_admin, consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    client.force_login(clinic_admin)
    client.post(
        reverse("admin:consent_consentversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        REMOTE_ADDR=ADDRESS,
    )
    [published] = events(Kind.VERSION_PUBLISHED)
    assert published.actor == clinic_admin
    assert published.patient is None
    assert published.object_id == str(draft.public_id)
    assert published.ip_address == ADDRESS
    assert published.detail == {"number": 2, "sections": 11}


def test_a_refused_publication_is_not_recorded(db):
    from tests.factories.consent import draft_version

    empty = draft_version(sections=0)
    with pytest.raises(services.ValidationError):
        services.publish_version(version=empty)
    assert not events(Kind.VERSION_PUBLISHED)


VIEWS = [
    ("consent:copy", Kind.CONSENT_COPY_VIEWED),
    ("consent:copy_pdf", Kind.CONSENT_PDF_VIEWED),
]


@pytest.mark.parametrize(("url_name", "kind"), VIEWS)
@pytest.mark.parametrize("viewer", ["patient", "therapist"])
def test_opening_a_signed_copy_or_its_pdf_is_recorded(
    request, client, patient, consent_version, url_name, kind, viewer
):
    consent = signed_consent(patient, consent_version)
    person = request.getfixturevalue(viewer)
    client.force_login(person)
    response = client.get(reverse(url_name, args=[consent.public_id]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    [seen] = events(kind)
    assert (seen.actor, seen.patient) == (person, patient)
    assert seen.object_id == str(consent.public_id)
    assert seen.ip_address == ADDRESS


def test_the_confirmation_after_signing_records_a_look_at_the_record(
    client, patient, consent_version
):
    consent = signed_consent(patient, consent_version)
    client.force_login(patient)
    client.get(reverse("consent:signed", args=[consent.public_id]))
    [seen] = events(Kind.CONSENT_RECORD_VIEWED)
    assert (seen.actor, seen.patient, seen.object_id) == (patient, patient, str(consent.public_id))


@pytest.mark.parametrize("url_name", ["consent:copy", "consent:copy_pdf"])
def test_a_refused_look_records_nothing_about_the_record(
    client, other_therapist, patient, consent_version, url_name
):
    consent = signed_consent(patient, consent_version)
    client.force_login(other_therapist)
    assert client.get(reverse(url_name, args=[consent.public_id])).status_code == 404
    assert not AuditEvent.objects.filter(object_id=str(consent.public_id)).exclude(
        kind__in=[Kind.CONSENT_STARTED, Kind.CONSENT_SIGNED]
    )

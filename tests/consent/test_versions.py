"""The clinic drafts, previews and publishes a version; patients who signed before re-consent."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consent import services
from consent.models import ConsentSection, ConsentVersion
from consent.selectors import ConsentStatus
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.consent import draft_version, publish_version_two


@pytest.fixture
def version_two(consent_version):
    """Version 2: the risk of dissociation is reworded, everything else is the same."""
    return publish_version_two(consent_version)


def test_clinic_admin_drafts_a_new_version_from_the_current_one(
    client, clinic_admin, consent_version
):
    client.force_login(clinic_admin)
    response = client.post(
        reverse("admin:consent_consentversion_changelist"),
        {"action": "draft_next_version", "_selected_action": [consent_version.pk]},
    )
    draft = ConsentVersion.objects.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:consent_consentversion_change", args=[draft.pk])
    assert draft.status == ConsentVersion.Status.DRAFT
    assert draft.based_on == consent_version
    assert [s.slug for s in draft.ordered_sections()] == [
        s.slug for s in consent_version.ordered_sections()
    ]
    # Patients still sign version 1 until the draft is published.
    assert ConsentVersion.objects.current() == consent_version


def test_clinic_admin_previews_a_draft_as_a_patient_sees_it(client, clinic_admin, consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    client.force_login(clinic_admin)
    response = client.get(reverse("consent:preview", args=[draft.public_id, 2]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Step 2 of 11" in page
    assert "Nothing here is recorded" in page
    assert draft.sections.get(position=2).title in page


def test_patients_and_therapists_cannot_preview_drafts(client, patient, therapist, consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    url = reverse("consent:preview", args=[draft.public_id, 1])
    for person in (patient, therapist):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_clinic_admin_publishes_a_draft_from_the_admin(client, clinic_admin, consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    client.force_login(clinic_admin)
    client.post(
        reverse("admin:consent_consentversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.published_at
    assert ConsentVersion.objects.current() == draft


def test_clinic_admin_edits_a_draft_section_in_the_admin(client, clinic_admin, db):
    draft = draft_version(sections=1)
    section = draft.sections.get()
    client.force_login(clinic_admin)
    url = reverse("admin:consent_consentversion_change", args=[draft.pk])
    prefix = "sections"
    data = {
        "number": draft.number,
        "title": draft.title,
        "introduction": draft.introduction,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": section.pk,
        f"{prefix}-0-version": draft.pk,
        f"{prefix}-0-position": "1",
        f"{prefix}-0-slug": "section-1",
        f"{prefix}-0-title": "Clearer title",
        f"{prefix}-0-body": "Clearer words.",
        f"{prefix}-0-requires_acknowledgement": "on",
        f"{prefix}-0-question_prompt": "Is this clear?",
        f"{prefix}-0-choice_1": "Yes",
        f"{prefix}-0-choice_2": "No",
        f"{prefix}-0-correct_choice": "1",
        f"{prefix}-0-question_explanation": "It is meant to be clear.",
        # No section marked yet: the marks are checked when the draft is published.
        "section_changes-TOTAL_FORMS": "0",
        "section_changes-INITIAL_FORMS": "0",
        "section_changes-MIN_NUM_FORMS": "0",
        "section_changes-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    section.refresh_from_db()
    assert section.title == "Clearer title"
    assert section.question_choices == ["Yes", "No"]


def test_a_question_with_one_choice_or_no_right_answer_cannot_be_published(db):
    draft = draft_version(sections=1)
    ConsentSection.objects.filter(version=draft).update(
        question_prompt="Which?",
        question_choices=["Only one"],
        correct_choice=1,
        question_explanation="Because.",
    )
    with pytest.raises(ValidationError, match="2 to 4 choices"):
        services.publish_version(version=draft)
    ConsentSection.objects.filter(version=draft).update(
        question_choices=["A", "B"], correct_choice=3
    )
    with pytest.raises(ValidationError, match="a number from 1 to 2"):
        services.publish_version(version=draft)
    assert not ConsentVersion.objects.get(pk=draft.pk).is_published


def test_an_empty_version_cannot_be_published(db):
    draft = draft_version(sections=0)
    with pytest.raises(ValidationError, match="at least one section"):
        services.publish_version(version=draft)


def test_a_patient_who_signed_an_older_version_is_led_to_the_new_one(
    client, patient, signed_consent, version_two
):
    client.force_login(patient)
    response = client.get(reverse("care:patient_home"))
    assert response["Location"] == reverse("consent:overview")
    page = client.get(response["Location"]).content.decode()
    assert "Something new to read" in page
    # Only the materially changed section is to be read again, with the clinic's reason.
    assert "1 changed section to read" in page
    assert "Risk: Feeling detached" in page
    assert "how staff help if dissociation feels like too much" in page
    # Led once per visit: after that, home is home again.
    assert client.get(reverse("care:patient_home")).status_code == 200


def test_changed_sections_are_marked_while_re_consenting(
    client, patient, signed_consent, version_two, read_sections
):
    client.force_login(patient)
    changed = version_two.sections.get(slug="risk-dissociation")
    read_sections(client, version_two, upto=changed.position - 1)
    unchanged_page = client.get(reverse("consent:step", args=[1])).content.decode()
    assert "Changed since you last signed" not in unchanged_page
    changed_page = client.get(reverse("consent:step", args=[changed.position])).content.decode()
    assert "Changed since you last signed" in changed_page


def test_the_therapist_sees_the_consent_as_outdated(
    client, therapist, patient, signed_consent, version_two
):
    status = ConsentStatus(patient, ConsentVersion.objects.current())
    assert status.kind == ConsentStatus.OUTDATED
    client.force_login(therapist)
    page = client.get(reverse("care:roster")).content.decode()
    assert "Consent outdated: signed version 1, current is 2" in page


def test_re_consenting_to_the_new_version_makes_it_signed_again(
    client, patient, signed_consent, version_two, read_sections
):
    client.force_login(patient)
    read_sections(client, version_two)
    client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    status = ConsentStatus(patient, ConsentVersion.objects.current())
    assert status.kind == ConsentStatus.SIGNED
    assert status.latest.version == version_two
    # The first signature is still on record, exactly as it was.
    assert patient.consents.signed().count() == 2


def test_signing_an_old_version_after_a_new_one_is_published_is_refused(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version)
    draft = services.draft_next_version(based_on=consent_version)
    services.publish_version(version=draft)
    response = client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    # The old pass is no longer active: the patient is led to the new version.
    assert response["Location"] == reverse("consent:overview")
    assert not patient.consents.signed().exists()

"""The consent rules, asked of the services directly: web pages and the API share them."""

import pytest
from django.core.exceptions import ValidationError

from consent import services
from consent.models import CareTeamQuestion, ConsentSection, ConsentVersion, Signature, Withdrawal
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.consent import (
    draft_version,
    mark_every_change,
    publish_version_two,
    read_in_order,
    sign_request,
    signed_consent,
)


def sign(patient, name="Sam Rivera", *, password=TEST_PASSWORD, **where):
    return services.sign_active_consent(
        patient=patient,
        typed_name=name,
        confirms_meaning=True,
        password=password,
        request=sign_request(**where),
    )


@pytest.fixture
def ready_to_sign(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    return consent


def test_signing_keeps_the_text_its_fingerprint_and_where_it_came_from(
    patient, consent_version, ready_to_sign
):
    signature = sign(
        patient, "  sam   RIVERA ", ip_address="203.0.113.7", user_agent="Phone browser 1.0"
    )
    assert signature.consent == ready_to_sign
    assert signature.typed_name == "sam RIVERA"
    assert signature.signed_text == consent_version.canonical_text()
    assert signature.fingerprint == consent_version.fingerprint()
    assert signature.text_is_intact
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.7", "Phone browser 1.0")


def test_signing_twice_returns_the_first_signature(patient, ready_to_sign):
    first = sign(patient)
    second = sign(patient)
    assert second == first
    assert Signature.objects.count() == 1


def test_signing_without_starting_is_refused(patient, consent_version):
    with pytest.raises(services.NoConsentInProgress):
        sign(patient)
    assert not Signature.objects.exists()


def test_signing_before_every_section_is_acknowledged_is_refused(patient, consent_version):
    read_in_order(services.start_consent(patient=patient), upto=10)
    with pytest.raises(ValidationError, match="acknowledge every section before you sign"):
        sign(patient)
    assert not Signature.objects.exists()


def test_a_name_that_does_not_match_is_refused_with_the_name_on_the_account(patient, ready_to_sign):
    with pytest.raises(ValidationError) as refused:
        sign(patient, "Sam Riviera")
    assert "does not match the name on your account (Sam Rivera)" in str(
        refused.value.message_dict["typed_name"]
    )
    assert not Signature.objects.exists()


def test_the_meaning_must_be_confirmed(patient, ready_to_sign):
    with pytest.raises(ValidationError) as refused:
        services.sign_active_consent(
            patient=patient,
            typed_name="Sam Rivera",
            confirms_meaning=False,
            password=TEST_PASSWORD,
            request=sign_request(),
        )
    assert "confirms_meaning" in refused.value.message_dict


def test_an_old_signature_is_not_passed_off_as_signing_the_new_version(patient, consent_version):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version)
    # The patient has not started version 2: nothing to sign, and version 1 is no answer.
    with pytest.raises(services.NoConsentInProgress):
        sign(patient)


def test_a_withdrawn_signature_is_not_returned_as_a_new_one(patient, consent_version):
    signed_consent(patient, consent_version)
    services.withdraw_consent(patient=patient)
    with pytest.raises(services.NoConsentInProgress):
        sign(patient)


def test_re_consenting_signs_a_new_consent_and_keeps_the_first(patient, consent_version):
    first = signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    signature = sign(patient)
    assert signature.consent.version == version_two
    assert first.signature != signature
    assert Signature.objects.count() == 2


def test_starting_twice_resumes_the_same_consent(patient, consent_version):
    assert services.start_consent(patient=patient) == services.start_consent(patient=patient)


def test_reading_ahead_of_the_next_section_is_refused(patient, consent_version):
    consent = services.start_consent(patient=patient)
    later = consent_version.sections.get(position=3)
    with pytest.raises(ValidationError, match="read the sections in order"):
        services.acknowledge_section(consent=consent, section=later, confirmed=True)
    with pytest.raises(ValidationError, match="read the sections in order"):
        services.open_section(consent=consent, section=later)


def test_a_section_with_a_question_needs_a_right_answer_first(patient, consent_version):
    consent = services.start_consent(patient=patient)
    section = next(s for s in consent_version.ordered_sections() if s.has_question)
    read_in_order(consent, upto=section.position - 1)
    with pytest.raises(ValidationError, match="answer the question about this section first"):
        services.acknowledge_section(consent=consent, section=section, confirmed=True)


def test_acknowledging_twice_keeps_the_first_time(patient, consent_version):
    consent = services.start_consent(patient=patient)
    section = consent_version.sections.get(position=1)
    first = services.acknowledge_section(consent=consent, section=section, confirmed=True)
    again = services.acknowledge_section(consent=consent, section=section, confirmed=True)
    assert again.acknowledged_at == first.acknowledged_at


def test_withdrawing_twice_returns_the_first_withdrawal(patient, consent_version):
    signed_consent(patient, consent_version)
    first = services.withdraw_consent(patient=patient, reason="Not now.")
    assert services.withdraw_consent(patient=patient) == first
    assert Withdrawal.objects.get().reason == "Not now."


def test_a_patient_who_never_signed_has_nothing_to_withdraw(patient, consent_version):
    with pytest.raises(ValidationError, match="no signed consent to withdraw"):
        services.withdraw_consent(patient=patient)


def test_publishing_freezes_the_version_and_numbers_its_sections(db):
    draft = draft_version(sections=3)
    # The clinic left gaps while editing: 1, 2, 3 became 10, 20, 30.
    for section in draft.ordered_sections():
        ConsentSection.objects.filter(pk=section.pk).update(position=section.position * 10)
    mark_every_change(draft)
    published = services.publish_version(version=draft)
    assert published is draft and draft.is_published and draft.published_at
    stored = ConsentVersion.objects.get(pk=draft.pk)
    assert stored.is_published and stored.published_at == draft.published_at
    assert [(s.position, s.slug) for s in stored.ordered_sections()] == [
        (1, "section-1"),
        (2, "section-2"),
        (3, "section-3"),
    ]
    assert ConsentVersion.objects.current() == stored


def test_publishing_twice_is_refused(db):
    draft = draft_version(sections=1)
    mark_every_change(draft)
    services.publish_version(version=draft)
    published_at = ConsentVersion.objects.get(pk=draft.pk).published_at
    with pytest.raises(ValidationError, match="already published"):
        services.publish_version(version=draft)
    # A stale copy that still says "draft" is refused too, and the date stays the first.
    stale = ConsentVersion.objects.get(pk=draft.pk)
    stale.status, stale.published_at = ConsentVersion.Status.DRAFT, None
    with pytest.raises(ValidationError, match="already published"):
        services.publish_version(version=stale)
    assert ConsentVersion.objects.get(pk=draft.pk).published_at == published_at


def test_a_new_draft_copies_every_section_of_the_version_it_is_based_on(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    assert draft.status == ConsentVersion.Status.DRAFT and draft.published_at is None
    assert draft.number == consent_version.number + 1
    assert draft.based_on == consent_version
    assert (draft.title, draft.introduction) == (
        consent_version.title,
        consent_version.introduction,
    )

    def wording(version):
        return [
            (
                s.position,
                s.slug,
                s.title,
                s.body,
                s.requires_acknowledgement,
                s.question_prompt,
                s.question_choices,
                s.correct_choice,
                s.question_explanation,
            )
            for s in version.ordered_sections()
        ]

    assert wording(draft) == wording(consent_version)
    assert draft.changed_section_slugs(since=consent_version) == set()
    # Patients keep signing the published version until the draft is published.
    assert ConsentVersion.objects.current() == consent_version


def test_two_therapists_answering_at_once_keep_the_first_answer(
    patient, therapist, other_therapist, consent_version
):
    consent = services.start_consent(patient=patient)
    section = consent_version.ordered_sections()[0]
    asked = services.ask_care_team(consent=consent, section=section, text="How long does it last?")
    # Both therapists opened the question before either answered.
    first_view = CareTeamQuestion.objects.get(pk=asked.pk)
    second_view = CareTeamQuestion.objects.get(pk=asked.pk)
    services.answer_care_team_question(
        question=first_view, therapist=therapist, text="Usually under an hour."
    )
    assert second_view.answered_at is None
    with pytest.raises(ValidationError, match="already has an answer"):
        services.answer_care_team_question(
            question=second_view, therapist=other_therapist, text="A few minutes."
        )
    stored = CareTeamQuestion.objects.get(pk=asked.pk)
    assert (stored.answer, stored.answered_by) == ("Usually under an hour.", therapist)
    assert stored.answered_at == first_view.answered_at

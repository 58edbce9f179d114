"""What the consent pages and endpoints read, asked of the selectors directly."""

import pytest
from django.http import Http404

from consent import selectors, services
from consent.selectors import ConsentStatus
from tests.factories.consent import publish_version_two, read_in_order, signed_consent


def test_overview_before_starting_shows_the_whole_version(patient, consent_version):
    overview = selectors.consent_overview(patient)
    assert overview.version == consent_version
    assert overview.status.kind == ConsentStatus.NOT_STARTED
    assert overview.active is None and overview.next_section is None
    assert [s.position for s in overview.sections] == list(range(1, 12))
    assert overview.estimated_minutes == consent_version.estimated_minutes()
    assert (overview.acknowledged_count, overview.section_count) == (0, 11)
    assert overview.changed_section_slugs == ()


def test_overview_resumes_at_the_first_section_not_yet_acknowledged(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent, upto=3)
    overview = selectors.consent_overview(patient)
    assert overview.active == consent
    assert overview.next_section.position == 4
    assert overview.status.kind == ConsentStatus.IN_PROGRESS
    assert (overview.acknowledged_count, overview.section_count) == (3, 11)


def test_overview_marks_sections_changed_since_the_signed_version(patient, consent_version):
    signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    overview = selectors.consent_overview(patient)
    assert overview.version == version_two
    assert overview.status.kind == ConsentStatus.OUTDATED
    assert overview.changed_section_slugs == ("risk-dissociation",)
    assert overview.changed_count == 1


def test_overview_after_signing_the_current_version_marks_nothing_changed(patient, consent_version):
    consent = signed_consent(patient, consent_version)
    overview = selectors.consent_overview(patient)
    assert overview.status.kind == ConsentStatus.SIGNED
    assert overview.status.latest == consent
    assert overview.active is None
    assert overview.changed_section_slugs == ()


def test_a_first_visit_to_a_section_is_opened_but_not_acknowledged(patient, consent_version):
    consent = services.start_consent(patient=patient)
    section = consent_version.sections.get(position=1)
    services.open_section(consent=consent, section=section)
    step = selectors.step_state(consent, section)
    assert step.opened_at is not None and step.acknowledged_at is None
    assert step.step_count == 11
    assert step.previous_section is None
    assert step.next_section == section
    assert step.attempts == [] and not step.last_attempt_wrong
    assert step.has_passed_question is not section.has_question
    assert step.is_changed is False


def test_a_wrong_answer_asks_again_and_a_right_one_passes(patient, consent_version):
    consent = services.start_consent(patient=patient)
    section = next(s for s in consent_version.ordered_sections() if s.has_question)
    read_in_order(consent, upto=section.position - 1)
    wrong = next(n for n, _ in section.numbered_choices if n != section.correct_choice)

    services.answer_question(consent=consent, section=section, choice=wrong)
    step = selectors.step_state(consent, section)
    assert step.last_attempt_wrong and not step.has_passed_question
    assert step.previous_section.position == section.position - 1

    services.answer_question(consent=consent, section=section, choice=section.correct_choice)
    step = selectors.step_state(consent, section)
    assert [a.is_correct for a in step.attempts] == [False, True]
    assert step.has_passed_question and not step.last_attempt_wrong


def test_acknowledging_a_section_leads_on_to_the_next(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent, upto=1)
    step = selectors.step_state(consent, consent_version.sections.get(position=1))
    assert step.acknowledged_at >= step.opened_at
    assert step.next_section.position == 2


def test_after_the_last_section_the_step_leads_to_the_review(patient, consent_version):
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    step = selectors.step_state(consent, consent_version.sections.get(position=11))
    assert step.next_section is None


def test_a_reworded_section_is_marked_while_re_consenting(patient, consent_version):
    signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    changed = version_two.sections.get(slug="risk-dissociation")
    unchanged = version_two.sections.get(position=1)
    assert selectors.step_state(consent, changed).is_changed
    assert not selectors.step_state(consent, unchanged).is_changed


def test_the_step_shows_only_this_sections_questions_to_the_care_team(patient, consent_version):
    consent = services.start_consent(patient=patient)
    first, second = consent_version.ordered_sections()[:2]
    services.ask_care_team(consent=consent, section=first, text="Can I drive home?")
    assert [q.text for q in selectors.step_state(consent, first).questions] == ["Can I drive home?"]
    assert selectors.step_state(consent, second).questions == []


def test_the_patient_and_their_therapist_open_the_signed_copy(patient, therapist, consent_version):
    consent = signed_consent(patient, consent_version)
    for person in (patient, therapist):
        assert selectors.signed_consent_or_404(person, consent.public_id) == consent


def test_another_patients_signed_copy_is_a_404(
    patient, other_patient, other_therapist, clinic_admin, consent_version
):
    consent = signed_consent(patient, consent_version)
    for person in (other_patient, other_therapist, clinic_admin):
        with pytest.raises(Http404):
            selectors.signed_consent_or_404(person, consent.public_id)


def test_an_unsigned_consent_has_no_signed_copy(patient, consent_version):
    consent = services.start_consent(patient=patient)
    with pytest.raises(Http404):
        selectors.signed_consent_or_404(patient, consent.public_id)


def test_records_show_each_viewer_only_their_own_patients(
    patient, other_patient, therapist, other_therapist, consent_version
):
    mine = signed_consent(patient, consent_version)
    theirs = services.start_consent(patient=other_patient)
    assert list(selectors.consent_records(patient)) == [mine]
    assert list(selectors.consent_records(therapist)) == [mine]
    assert list(selectors.consent_records(other_therapist)) == [theirs]
    assert list(selectors.consent_records(therapist, patient=other_patient)) == []


def test_listing_records_costs_the_same_for_one_patient_or_many(
    therapist, consent_version, django_assert_num_queries
):
    from tests.factories.accounts import PatientFactory

    def list_records():
        for record in selectors.consent_records(therapist):
            list(record.acknowledgements.all())
            list(record.quiz_attempts.all())
            record.signature.fingerprint  # noqa: B018

    signed_consent(PatientFactory(care_team=[therapist]), consent_version)
    # The records, then acknowledgements and answers, each with their sections.
    with django_assert_num_queries(3) as few:
        list_records()
    for patient in PatientFactory.create_batch(3, care_team=[therapist]):
        signed_consent(patient, consent_version)
    with django_assert_num_queries(len(few.captured_queries)):
        list_records()


def test_another_therapists_patients_question_is_a_404(
    patient, therapist, other_therapist, consent_version
):
    consent = services.start_consent(patient=patient)
    section = consent_version.sections.get(position=1)
    question = services.ask_care_team(consent=consent, section=section, text="Will it hurt?")
    assert selectors.consent_question_or_404(therapist, question.public_id) == question
    assert selectors.consent_question_or_404(patient, question.public_id) == question
    with pytest.raises(Http404):
        selectors.consent_question_or_404(other_therapist, question.public_id)


def test_the_therapist_reads_the_patients_whole_consent_record(
    patient, therapist, other_therapist, consent_version
):
    first = signed_consent(patient, consent_version)
    services.withdraw_consent(patient=patient, reason="I need more time.")
    second = services.start_consent(patient=patient)
    section = consent_version.sections.get(position=1)
    services.ask_care_team(consent=second, section=section, text="Is it safe?")
    services.ask_care_team(consent=second, section=section, text="How long?")

    record = selectors.patient_consent_record(viewer=therapist, patient=patient)
    assert record.status.kind == ConsentStatus.IN_PROGRESS
    assert record.consents == [second, first]
    assert [q.text for q in record.questions] == ["Is it safe?", "How long?"]
    assert len(record.consents[1].acknowledgements.all()) == 11

    elsewhere = selectors.patient_consent_record(viewer=other_therapist, patient=patient)
    assert elsewhere.consents == [] and elsewhere.questions == []

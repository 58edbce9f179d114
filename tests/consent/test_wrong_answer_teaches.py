"""A wrong answer teaches: it links back to the passage the question tests, asks again, and
after two wrong answers offers the care team; the therapist sees the section flagged."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from consent import selectors, services
from consent.admin import ConsentSectionForm
from consent.models import QuestionPassage, QuizAttempt
from consent.rendering import render_markdown, section_passages
from tests.factories.consent import draft_version, mark_every_change, read_in_order, signed_consent

SHIPPED = importlib.import_module("consent.migrations.0007_shipped_question_passages")

# Section 3 asks what "dissociation" means; the first paragraph says it.
DISSOCIATION = 3
DISSOCIATION_PASSAGE = "passage-ketamine-can-make-you-feel-cut"
WRONG, RIGHT = 2, 1


def ids_in(html):
    return re.findall(r'<[a-z0-9]+ id="([^"]+)"', html)


@pytest.fixture
def reading(client_for, patient, consent_version):
    """Sam started the consent and read up to the dissociation section."""
    consent = services.start_consent(patient=patient)
    read_in_order(consent, upto=DISSOCIATION - 1)
    return client_for(patient), consent


def answer(client, choice, **headers):
    return client.post(
        reverse("consent:answer", args=[DISSOCIATION]), {"choice": choice}, **headers
    )


# --- Passages and their anchors ------------------------------------------------------


def test_every_shipped_question_links_to_a_passage_rendered_in_its_section(consent_version):
    questions = [s for s in consent_version.ordered_sections() if s.has_question]
    anchors = {p.section.slug: p.anchor for p in QuestionPassage.objects.all()}

    assert anchors == SHIPPED.SHIPPED_PASSAGES
    for section in questions:
        assert anchors[section.slug] in ids_in(render_markdown(section.body, passage_ids=True)), (
            section.slug
        )


def test_passage_ids_are_prefixed_unique_and_stay_off_other_renderings():
    source = "Same words.\n\nSame words.\n\n- a list\n\n### A heading\n\n# Too big"
    html = render_markdown(source, passage_ids=True)

    assert ids_in(html) == [
        "passage-same-words",
        "passage-same-words-2",
        "passage-a-list",
        "passage-a-heading",
    ]
    assert [p.anchor for p in section_passages(source)] == ids_in(html)
    assert ids_in(render_markdown(source)) == []


def test_markdown_cannot_smuggle_an_id_of_its_own():
    html = render_markdown('<p id="care-team">Hi</p>\n\n[x](#question){#top}', passage_ids=True)
    assert ids_in(html)
    assert all(anchor.startswith("passage-") for anchor in ids_in(html))
    assert '<p id="care-team"' not in html


# --- The patient on the web ------------------------------------------------------------


def test_a_wrong_answer_links_back_to_the_passage_and_asks_again(reading):
    client, consent = reading

    response = answer(client, WRONG)
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()

    step_url = reverse("consent:step", args=[DISSOCIATION])
    assert f'href="{step_url}#{DISSOCIATION_PASSAGE}"' in page
    assert "Read this part again" in page
    assert f'id="{DISSOCIATION_PASSAGE}"' in page  # the link lands in this page
    assert "Check my answer" in page  # asked again
    assert "Ask your care team about this" not in page  # one miss is no cause for that
    assert list(
        QuizAttempt.objects.filter(consent=consent, section__position=DISSOCIATION).values_list(
            "choice", "is_correct"
        )
    ) == [(WRONG, False)]


def test_a_wrong_answer_by_htmx_brings_the_link_in_the_fragment(reading):
    client, _ = reading
    answer(client, WRONG)
    fragment = client.get(
        reverse("consent:step", args=[DISSOCIATION]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert f"#{DISSOCIATION_PASSAGE}" in fragment


def test_a_right_answer_after_a_wrong_one_passes_and_keeps_both(reading):
    client, consent = reading
    answer(client, WRONG)
    page = client.get(answer(client, RIGHT)["Location"]).content.decode()

    assert "That's right" in page
    assert "Read this part again" not in page
    assert QuizAttempt.objects.filter(consent=consent, section__position=DISSOCIATION).count() == 2


def test_a_question_without_a_chosen_passage_links_to_the_section_start(
    client_for, patient, consent_version
):
    QuestionPassage.objects.filter(section__slug="risk-dissociation").delete()
    consent = services.start_consent(patient=patient)
    read_in_order(consent, upto=DISSOCIATION - 1)
    client = client_for(patient)
    page = client.get(answer(client, WRONG)["Location"]).content.decode()
    assert f'href="{reverse("consent:step", args=[DISSOCIATION])}#section-title"' in page


@override_settings(CARE_TEAM_REPLY_WITHIN="within two working days")
def test_two_wrong_answers_offer_a_question_to_the_care_team_already_begun(reading):
    client, consent = reading
    answer(client, WRONG)
    page = client.get(answer(client, 3)["Location"]).content.decode()

    assert "Ask your care team about this" in page
    assert 'href="/consent/step/3/#ask-care-team"' in page
    assert '<details id="ask-care-team" open>' in page
    assert "About the question “What does &quot;dissociation&quot; mean" in page
    assert "usually within two working days" in page

    sent = client.post(
        reverse("consent:ask", args=[DISSOCIATION]), {"text": "What is dissociation like?"}
    )
    after = client.get(sent["Location"]).content.decode()
    assert "Your question was sent to your care team. They usually answer within two" in after
    assert consent.questions.get().section.position == DISSOCIATION


# --- The patient through the API --------------------------------------------------------


def test_the_api_answers_a_wrong_answer_with_the_passage_then_the_offer(api_as, reading, patient):
    _, consent = reading
    api = api_as(patient)
    url = reverse("api:consent_answer", args=[DISSOCIATION])

    first = api.post(url, {"choice": WRONG}, format="json")
    assert first.status_code == 201
    assert first.json()["is_correct"] is False
    assert first.json()["passage_anchor"] == DISSOCIATION_PASSAGE
    assert first.json()["read_again_url"] == f"/consent/step/3/#{DISSOCIATION_PASSAGE}"
    assert (first.json()["wrong_answers"], first.json()["offer_care_team_question"]) == (1, False)
    assert first.json()["ask_care_team_url"] == ""

    second = api.post(url, {"choice": 3}, format="json").json()
    assert (second["wrong_answers"], second["offer_care_team_question"]) == (2, True)
    assert second["ask_care_team_url"] == reverse("api:consent_ask", args=[DISSOCIATION])

    right = api.post(url, {"choice": RIGHT}, format="json").json()
    assert (right["is_correct"], right["passage_anchor"], right["read_again_url"]) == (
        True,
        "",
        "",
    )
    assert QuizAttempt.objects.filter(consent=consent, section__position=DISSOCIATION).count() == 3

    section = api.get(reverse("api:consent_section", args=[DISSOCIATION])).json()
    assert section["passage_anchor"] == DISSOCIATION_PASSAGE
    assert f'id="{DISSOCIATION_PASSAGE}"' in section["section"]["body_html"]
    assert section["wrong_answers"] == 2


# --- The therapist sees the section flagged ----------------------------------------------


@pytest.fixture
def struggled(reading):
    """Sam answered the dissociation question wrongly twice, then rightly."""
    client, consent = reading
    answer(client, WRONG)
    answer(client, 3)
    answer(client, RIGHT)
    return consent


def test_the_therapist_sees_the_section_flagged_on_the_consent_record(
    client_for, therapist, patient, struggled
):
    page = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    html = page.content.decode()
    assert "Flagged: hard to answer" in html
    assert "3. “Risk: Feeling detached”: 2 wrong answers, then right" in html


def test_one_wrong_answer_raises_no_flag(client_for, therapist, patient, reading):
    answer(reading[0], WRONG)
    html = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert "Flagged: hard to answer" not in html.content.decode()


def test_the_api_record_shows_the_flag_to_the_therapist(api_as, therapist, patient, struggled):
    url = reverse("api:patient_consent", args=[patient.public_id])
    records = api_as(therapist).get(url).json()
    rows = records["results"] if isinstance(records, dict) else records
    assert rows[0]["flagged_sections"] == [
        {
            "section": DISSOCIATION,
            "section_title": "Risk: Feeling detached",
            "wrong_answers": 2,
            "is_passed": True,
        }
    ]
    own = api_as(patient).get(reverse("api:consent_record", args=[struggled.public_id]))
    assert own.json()["flagged_sections"][0]["wrong_answers"] == 2


def test_another_therapist_sees_neither_the_page_nor_the_record(
    client_for, api_as, other_therapist, patient, struggled
):
    page = client_for(other_therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert page.status_code == 404
    url = reverse("api:consent_record", args=[struggled.public_id])
    assert api_as(other_therapist).get(url).status_code == 404
    records = reverse("api:patient_consent", args=[patient.public_id])
    assert api_as(other_therapist).get(records).status_code == 404


def test_flags_come_from_prefetched_answers_without_a_query_per_consent(
    therapist, patient, struggled, django_assert_num_queries
):
    records = list(selectors.consent_records(therapist, patient=patient))
    with django_assert_num_queries(0):
        flagged = [selectors.struggled_sections(record) for record in records]
    assert [(f.section.slug, f.wrong_answer_count) for f in flagged[0]] == [
        ("risk-dissociation", 2)
    ]


# --- Signed records stay verifiable ------------------------------------------------------


def test_the_passage_migration_runs_twice_and_every_seal_still_verifies(
    patient, other_patient, consent_version
):
    before = consent_version.fingerprint()
    signed_consent(patient, consent_version)
    signed_consent(other_patient, consent_version)
    QuestionPassage.objects.all().delete()

    SHIPPED.link_shipped_questions(apps, None)
    SHIPPED.link_shipped_questions(apps, None)

    assert QuestionPassage.objects.count() == len(SHIPPED.SHIPPED_PASSAGES)
    assert consent_version.fingerprint() == before
    report = selectors.verify_signed_records()
    assert (report.checked, report.problems) == (2, [])


# --- The clinic admin picks the passage ---------------------------------------------------


def draft_section():
    section = draft_version(sections=1, questions=[1]).ordered_sections()[0]
    section.body = "Ketamine is a medicine.\n\nA nurse stays with you all the time."
    section.save()
    return section


def form_data(section, **changes):
    return {
        "position": section.position,
        "slug": section.slug,
        "title": section.title,
        "body": section.body,
        "requires_acknowledgement": "on",
        "question_prompt": section.question_prompt,
        "choice_1": "No",
        "choice_2": "Yes",
        "correct_choice": section.correct_choice,
        "question_explanation": section.question_explanation,
        **changes,
    }


def test_the_admin_picks_the_passage_from_the_sections_own_text(db):
    section = draft_section()
    form = ConsentSectionForm(instance=section)
    assert [choice for choice, _ in form.fields["question_passage"].choices] == [
        "",
        "passage-ketamine-is-a-medicine",
        "passage-a-nurse-stays-with-you-all",
    ]

    form = ConsentSectionForm(
        form_data(section, question_passage="passage-a-nurse-stays-with-you-all"),
        instance=section,
    )
    assert form.is_valid(), form.errors
    form.save()
    assert selectors.question_passage_anchor(section) == "passage-a-nurse-stays-with-you-all"


def test_the_admin_is_told_when_the_passage_is_not_in_the_text(db):
    section = draft_section()
    form = ConsentSectionForm(
        form_data(section, question_passage="passage-not-there"), instance=section
    )
    assert not form.is_valid()
    assert "That passage is not in the section's text" in form.errors["question_passage"][0]


def test_a_passage_needs_a_question(db):
    section = draft_section()
    form = ConsentSectionForm(
        form_data(
            section,
            question_prompt="",
            choice_1="",
            choice_2="",
            correct_choice="",
            question_explanation="",
            question_passage="passage-ketamine-is-a-medicine",
        ),
        instance=section,
    )
    assert not form.is_valid()
    assert "Only a section with a question" in form.errors["question_passage"][0]


def test_the_model_refuses_an_anchor_missing_from_the_text(db):
    section = draft_section()
    with pytest.raises(ValidationError, match="not in the section's text"):
        QuestionPassage(section=section, anchor="passage-<script>").full_clean()


def test_a_published_versions_passage_is_not_changed_by_the_service(consent_version):
    section = consent_version.sections.get(slug="risk-dissociation")
    with pytest.raises(ValidationError, match="never change"):
        services.choose_question_passage(
            section=section, anchor="passage-this-is-a-known-effect-of"
        )
    assert selectors.question_passage_anchor(section) == DISSOCIATION_PASSAGE


def test_a_new_draft_keeps_the_passages_and_publishing_checks_them(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    section = draft.sections.get(slug="risk-dissociation")
    assert selectors.question_passage_anchor(section) == DISSOCIATION_PASSAGE

    section.body = section.body.replace("Ketamine can make you", "This medicine can make you")
    section.save()
    with pytest.raises(ValidationError, match="passage: That passage is not in"):
        services.publish_version(version=draft)

    services.choose_question_passage(
        section=section, anchor="passage-this-medicine-can-make-you-feel"
    )
    mark_every_change(draft, kind="cosmetic", reason="Plainer words, same meaning.")
    services.publish_version(version=draft)


def test_the_clinic_admin_sees_the_passages_on_the_draft_and_the_published_page(
    client, clinic_admin, consent_version
):
    draft = services.draft_next_version(based_on=consent_version)
    client.force_login(clinic_admin)
    page = client.get(reverse("admin:consent_consentversion_change", args=[draft.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Passage the question tests" in html
    assert f'<option value="{DISSOCIATION_PASSAGE}" selected>' in html

    published = client.get(
        reverse("admin:consent_consentversion_change", args=[consent_version.pk])
    )
    assert published.status_code == 200

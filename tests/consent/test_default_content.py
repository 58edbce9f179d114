"""The consent the app ships: complete, and plain enough for an anxious reader on a phone."""

import re

import pytest
import textstat

REQUIRED_TOPICS = [
    "what-is-kap",
    "what-happens-in-a-session",
    "risk-dissociation",
    "risk-psychological-discomfort",
    "risk-physical-side-effects",
    "risk-long-term-use",
    "who-should-not-take-part",
    "integration-therapy",
    "legal-status-and-unknowns",
    "your-choice",
    "journal-and-privacy",
]


def plain(markdown):
    return re.sub(r"^\s*[-*]\s+", "", markdown, flags=re.MULTILINE)


def test_every_required_topic_has_its_own_section(consent_version):
    assert [s.slug for s in consent_version.ordered_sections()] == REQUIRED_TOPICS


def test_every_section_reads_at_grade_eight_or_below(consent_version):
    grades = {
        section.slug: textstat.flesch_kincaid_grade(f"{section.title}.\n{plain(section.body)}")
        for section in consent_version.ordered_sections()
    }
    too_hard = {slug: grade for slug, grade in grades.items() if grade > 8}
    assert not too_hard, too_hard


def test_every_question_is_plain_and_well_formed(consent_version):
    questions = [s for s in consent_version.ordered_sections() if s.has_question]
    assert len(questions) >= 4
    for section in questions:
        assert 2 <= len(section.question_choices) <= 4
        assert 1 <= section.correct_choice <= len(section.question_choices)
        text = " ".join([section.question_prompt, *section.question_choices])
        assert textstat.flesch_kincaid_grade(text) <= 8, section.slug
        assert textstat.flesch_kincaid_grade(section.question_explanation) <= 8, section.slug


@pytest.mark.parametrize(
    ("slug", "facts"),
    [
        ("what-happens-in-a-session", ["vein", "muscle", "lozenge", "few hours"]),
        ("risk-physical-side-effects", ["Headache", "nausea", "dizzy"]),
        ("risk-long-term-use", ["bladder", "memory"]),
        ("who-should-not-take-part", ["psychosis"]),
        ("your-choice", ["withdraw"]),
    ],
)
def test_the_facts_a_patient_must_know_are_there(consent_version, slug, facts):
    body = consent_version.sections.get(slug=slug).body
    for fact in facts:
        assert fact.lower() in body.lower(), (slug, fact)


def test_the_body_renders_as_safe_html(consent_version):
    from consent.rendering import render_markdown

    html = render_markdown("Hi <script>alert(1)</script> **bold** [x](javascript:alert(1))")
    assert "<script>" not in html and 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
    section = consent_version.sections.get(slug="what-happens-in-a-session")
    assert "<ul>" in render_markdown(section.body)

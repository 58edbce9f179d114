"""A patient signs the words as written, so every one of them must be on their screen.

Markdown can keep words out of sight (an image's description, a link's title, a reference
definition, an HTML comment) and Unicode can hide or reorder them. A version with any of
these is refused at publishing, whichever way it is published, with the section named.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import strip_tags

from consent import services
from consent.models import ConsentSection, ConsentVersion
from consent.rendering import render_markdown
from tests.factories.consent import draft_version, mark_every_change

WAIVER = "you waive every right"

TRICKS = {
    "an image's description": (
        f"Ketamine is safe. ![{WAIVER}](https://clinic.example/pixel.png)",
        "it contains an image (![you waive every right](...)). Images are not shown",
    ),
    "an HTML comment": (
        f"Ketamine is safe.\n\n<!-- {WAIVER} -->\n\nAsk us anything.",
        "it contains an HTML comment (<!-- ... -->)",
    ),
    "an HTML comment inside a line": (
        f"Ketamine is safe <!-- {WAIVER} --> for most people.",
        "it contains an HTML comment (<!-- ... -->)",
    ),
    "raw HTML": (
        f'Ketamine is safe. <span hidden="hidden">{WAIVER}</span>',
        'it contains HTML (<span hidden="hidden">). HTML is not rendered',
    ),
    "a link's title": (
        f'Read [our leaflet](https://clinic.example/leaflet "{WAIVER}").',
        f'a link has a title ("{WAIVER}") that is never shown',
    ),
    "a reference definition": (
        "Read [our leaflet][leaflet].\n\n[leaflet]: https://clinic.example/you-waive-every-right",
        "it contains a reference definition ([leaflet]: ...), which is never shown",
    ),
    "a footnote": (
        "Side effects are mild.[^1]\n\n[^1]: https://clinic.example/you-waive-every-right",
        "it contains a footnote ([^1]: ...). Footnotes are not shown",
    ),
    "a zero-width space as a character reference": (
        "Side effects are&#8203; mild.",
        "it contains an invisible character (U+200B ZERO WIDTH SPACE)",
    ),
    "a right-to-left override": (
        "Side effects are \u202eeliw a rof\u202c mild.",
        "it contains an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)",
    ),
    "a link without words": (
        "Side effects are mild. [](https://clinic.example/you-waive-every-right)",
        "it contains a link with no text",
    ),
}


def draft_with_body(body):
    draft = draft_version(sections=3)
    section = draft.sections.get(position=2)
    section.title = "Risks"
    section.body = body
    section.save()
    return draft


@pytest.mark.parametrize("trick", TRICKS)
def test_publishing_refuses_text_the_patient_would_sign_unseen(db, trick):
    body, problem = TRICKS[trick]
    draft = draft_with_body(body)
    with pytest.raises(ValidationError) as refused:
        services.publish_version(version=draft)
    messages = " ".join(refused.value.messages)
    assert 'Section 2 ("Risks"): ' + problem in messages
    draft.refresh_from_db()
    assert not draft.is_published


@pytest.mark.parametrize("trick", ["an image's description", "a link's title"])
def test_the_hidden_words_really_are_missing_from_the_page(trick):
    # What the check guards against: the words are in the source, not on the screen (a
    # title shows only when a mouse hovers, and phones have none).
    body, _ = TRICKS[trick]
    assert WAIVER in body
    assert WAIVER not in strip_tags(render_markdown(body))


def test_hidden_characters_in_plain_fields_are_refused_too(db):
    draft = draft_version(sections=2, questions=[1])
    section = draft.sections.get(position=1)
    section.question_choices = ["No", "Yes\u200b"]
    section.save()
    with pytest.raises(ValidationError) as refused:
        services.publish_version(version=draft)
    assert 'Section 1 ("Section 1"), answer 2: it contains an invisible character' in " ".join(
        refused.value.messages
    )


def test_ordinary_markdown_is_published(db):
    draft = draft_with_body(
        "**Ketamine** can cause _dissociation_: a feeling of being `detached`.\n\n"
        "- Nausea\n- Dizziness\n\n"
        "### If you feel unwell\n\n"
        "> Tell the staff at once.\n\n"
        "Read [our leaflet](https://clinic.example/leaflet) or <https://clinic.example>, "
        "call [the clinic](tel:5550100199), 5 &lt; 10 &amp; all."
    )
    mark_every_change(draft)
    services.publish_version(version=draft)
    assert ConsentVersion.objects.current() == draft


def test_the_shipped_consent_can_be_published_again_as_version_two(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    mark_every_change(draft)
    services.publish_version(version=draft)
    assert ConsentVersion.objects.current() == draft


def test_the_admin_is_told_which_section_and_what_to_change(client, clinic_admin, db):
    draft = draft_with_body(TRICKS["an image's description"][0])
    client.force_login(clinic_admin)
    response = client.post(
        reverse("admin:consent_consentversion_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert f"Version {draft.number} was not published" in page
    assert "Section 2 (&quot;Risks&quot;): it contains an image" in page
    assert "Remove the image, or write what it says as a sentence." in page
    assert not ConsentVersion.objects.filter(pk=draft.pk, status="published").exists()
    assert ConsentSection.objects.filter(version=draft).count() == 3

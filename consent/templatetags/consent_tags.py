"""Consent in templates: `{% load consent_tags %}{{ status|consent_label }}`, and its text."""

from django import template
from django.conf import settings

from consent import presenters, selectors
from consent.rendering import render_markdown

register = template.Library()


@register.filter
def consent_label(status):
    return presenters.status_label(status)


@register.filter
def consent_badge(status):
    return presenters.status_badge(status)


@register.filter
def markdown(source):
    """Consent text the clinic wrote in Markdown, as safe HTML: `{{ section.body|markdown }}`."""
    return render_markdown(source)


@register.filter
def markdown_passages(source):
    """A section's body with an id on each passage (once per page): `{{ body|markdown_passages }}`.

    A wrong answer links back to one of them (`consent.models.QuestionPassage`).
    """
    return render_markdown(source, passage_ids=True)


@register.filter
def struggled_sections(consent):
    """Sections of a consent answered wrongly again and again (from prefetched answers)."""
    return selectors.struggled_sections(consent)


@register.simple_tag
def care_team_reply_within():
    """When patients can expect an answer from their care team, in words (a setting)."""
    return presenters.reply_within()


@register.simple_tag
def fast_reading_words_per_minute():
    """The pace above which reading a section counts as skimming (a setting)."""
    return settings.CONSENT_FAST_READING_WORDS_PER_MINUTE

"""Consent in templates: `{% load consent_tags %}{{ status|consent_label }}`, and its text."""

from django import template
from django.conf import settings

from consent import presenters
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


@register.simple_tag
def fast_reading_words_per_minute():
    """The pace above which reading a section counts as skimming (a setting)."""
    return settings.CONSENT_FAST_READING_WORDS_PER_MINUTE

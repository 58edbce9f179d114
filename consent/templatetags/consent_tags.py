"""Consent status in templates: `{% load consent_tags %}{{ status|consent_label }}`."""

from django import template

from consent import presenters

register = template.Library()


@register.filter
def consent_label(status):
    return presenters.status_label(status)


@register.filter
def consent_badge(status):
    return presenters.status_badge(status)

"""Roster badges in templates: `{% load care_tags %}{% for b in row|journal_badges %}`."""

from django import template

from care import presenters

register = template.Library()

register.filter("journal_badges", presenters.journal_badges)
register.filter("overdue_question_badge", presenters.overdue_question_badge)

"""The journal on other pages (the patient's home card) and small phrases for its templates."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from common.templatetags.clinic_time import friendly_date
from journal import selectors

register = template.Library()


@register.filter
def session_day(session):
    """'today', 'yesterday' or 'on Tuesday 3 November': reads after 'Your session'."""
    day = timezone.localtime(session.occurred_at).date()
    words = friendly_date(day)
    if day >= timezone.localdate() - timedelta(days=1):
        return words
    return _("on %(day)s") % {"day": words}


@register.inclusion_tag("journal/includes/home_card.html")
def journal_home_card(user):
    """The patient's journal on their home: an invitation to reflect on the latest session.

    Usage: {% load journal_tags %}{% journal_home_card user %}
    """
    card = selectors.home_card(user)
    return {
        "user": user,
        "invitation": card.invitation,
        "new_comments": card.new_comments,
        "next_intention": card.next_intention,
    }

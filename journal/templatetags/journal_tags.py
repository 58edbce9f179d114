"""The journal on other pages (the patient's home card) and small phrases for its templates."""

from datetime import timedelta

from django import template
from django.utils import timezone

from common.templatetags.clinic_time import friendly_date
from journal.models import AdministrationSession, Comment, Entry
from journal.timeline import reflection_invitation

register = template.Library()


@register.filter
def session_day(session):
    """'today', 'yesterday' or 'on Tuesday 3 November': reads after 'Your session'."""
    day = timezone.localtime(session.occurred_at).date()
    words = friendly_date(day)
    if day >= timezone.localdate() - timedelta(days=1):
        return words
    return f"on {words}"


@register.inclusion_tag("journal/includes/home_card.html")
def journal_home_card(user):
    """The patient's journal on their home: an invitation to reflect on the latest session.

    Usage: {% load journal_tags %}{% journal_home_card user %}
    """
    sessions = list(AdministrationSession.objects.visible_to(user).past().newest_first()[:1])
    entries = list(Entry.objects.visible_to(user).filter(session__in=sessions))
    new_comments = (
        Comment.objects.visible_to(user)
        .unseen_by_patient()
        .select_related("entry", "author")
        .order_by("-created_at")
    )
    return {
        "user": user,
        "invitation": reflection_invitation(
            sessions,
            [e for e in entries if not e.is_draft],
            [e for e in entries if e.is_draft],
        ),
        "new_comments": list(new_comments[:3]),
    }

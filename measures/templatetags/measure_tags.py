"""How measure results read: the change since the first score, the schedule in words."""

from django import template
from django.utils.translation import gettext, gettext_noop, ngettext

from measures.models import ScheduleMode

register = template.Library()

# Words of the shipped definitions that are ours, not the validated instrument's: the
# topics, the severity bands (also stored on each response) and the notice read before
# starting. Marked here so the catalogue holds them; `measure_words` translates them when
# shown. The items, the answers and the instructions are never translated this way: a
# validated measure is shown only in a validated translation, word for word.
SHIPPED_WORDS = (
    gettext_noop("Depression"),
    gettext_noop("Anxiety"),
    gettext_noop("Post-traumatic stress (PTSD)"),
    gettext_noop("Minimal"),
    gettext_noop("Mild"),
    gettext_noop("Moderate"),
    gettext_noop("Moderately severe"),
    gettext_noop("Severe"),
    gettext_noop("Below the provisional cut-off"),
    gettext_noop("At the provisional cut-off (31-33)"),
    gettext_noop("Above the provisional cut-off"),
    gettext_noop(
        "One question asks about thoughts of being better off dead or of hurting yourself. "
        "If you answer anything other than “Not at all”, your care team is shown that answer "
        "when you send your answers, so they can reach out to you. If you need help before "
        "then, the numbers to call are on the screen right away."
    ),
)


@register.filter
def measure_words(text):
    """A shipped topic, band or notice in the reader's language; other text as it is."""
    return gettext(text) if text else text


@register.filter
def change_words(summary):
    """'improved by 6 points — a reliable change', 'no change', or '' with one score.

    Every shipped measure counts symptoms, so a lower score is an improvement.
    """
    change = summary.change
    if change is None:
        return ""
    if change == 0:
        return gettext("no change since the first")
    points = abs(change)
    if change < 0:
        words = ngettext(
            "improved by %(points)d point since the first",
            "improved by %(points)d points since the first",
            points,
        )
    else:
        words = ngettext(
            "worsened by %(points)d point since the first",
            "worsened by %(points)d points since the first",
            points,
        )
    words %= {"points": points}
    if summary.is_reliable_change:
        words = gettext("%(change)s — a reliable change") % {"change": words}
    return words


@register.filter
def schedule_words(summary):
    if summary.schedule_mode == ScheduleMode.EVERY_DAYS:
        days = summary.schedule_interval
        return ngettext(
            "baseline, then every %(days)d day", "baseline, then every %(days)d days", days
        ) % {"days": days}
    if summary.schedule_mode == ScheduleMode.AFTER_SESSIONS:
        sessions = summary.schedule_interval
        if sessions == 1:
            return gettext("baseline, then after every session")
        return ngettext(
            "baseline, then after every %(sessions)d session",
            "baseline, then after every %(sessions)d sessions",
            sessions,
        ) % {"sessions": sessions}
    return gettext("off")

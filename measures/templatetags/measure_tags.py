"""How measure results read: the change since the first score, the schedule in words."""

from django import template

from measures.models import ScheduleMode

register = template.Library()


@register.filter
def change_words(summary):
    """'improved by 6 points — a reliable change', 'no change', or '' with one score.

    Every shipped measure counts symptoms, so a lower score is an improvement.
    """
    change = summary.change
    if change is None:
        return ""
    if change == 0:
        return "no change since the first"
    points = abs(change)
    unit = "point" if points == 1 else "points"
    direction = "improved" if change < 0 else "worsened"
    words = f"{direction} by {points} {unit} since the first"
    if summary.is_reliable_change:
        words += " — a reliable change"
    return words


@register.filter
def schedule_words(summary):
    if summary.schedule_mode == ScheduleMode.EVERY_DAYS:
        days = summary.schedule_interval
        return f"baseline, then every {days} day{'s' if days != 1 else ''}"
    if summary.schedule_mode == ScheduleMode.AFTER_SESSIONS:
        sessions = summary.schedule_interval
        if sessions == 1:
            return "baseline, then after every session"
        return f"baseline, then after every {sessions} sessions"
    return "off"

"""Dates and times in the clinic's time zone, in words a patient reads at a glance."""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


def _clock(moment):
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{moment.minute:02d} {suffix}"


def _day(day, today):
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day.year == today.year:
        return f"{day:%A} {day.day} {day:%B}"
    return f"{day:%A} {day.day} {day:%B} {day.year}"


@register.filter
def friendly(moment):
    """'today at 2:30 pm', 'Tuesday 3 November at 9 am', in the clinic's time zone."""
    if not isinstance(moment, datetime):
        return friendly_date(moment)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    today = timezone.localdate()
    return f"{_day(local.date(), today)} at {_clock(local)}"


@register.filter
def friendly_date(day):
    """'today', 'yesterday', 'Tuesday 3 November' for a date (or a datetime's local date)."""
    if day in (None, ""):
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if not isinstance(day, date):
        return ""
    return _day(day, timezone.localdate())


@register.filter
def full_datetime(moment):
    """'Wednesday 25 November 2026 at 5:24 am (America/New_York)': for records kept for years."""
    if not isinstance(moment, datetime):
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    zone = timezone.get_current_timezone_name()
    return f"{local:%A} {local.day} {local:%B} {local.year} at {_clock(local)} ({zone})"

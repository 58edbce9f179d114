"""Dates and times in the clinic's time zone, in words a patient reads at a glance.

In the language the page speaks: the weekday and month names come from Django's own
catalogue (django.utils.dates), the phrasing from ours.
"""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


def _clock(moment):
    hour = moment.hour % 12 or 12
    if moment.minute == 0:
        if moment.hour < 12:
            return pgettext("clock", "%(hour)d am") % {"hour": hour}
        return pgettext("clock", "%(hour)d pm") % {"hour": hour}
    values = {"hour": hour, "minute": moment.minute}
    if moment.hour < 12:
        return pgettext("clock", "%(hour)d:%(minute)02d am") % values
    return pgettext("clock", "%(hour)d:%(minute)02d pm") % values


def _day(day, today):
    if day == today:
        return _("today")
    if day == today - timedelta(days=1):
        return _("yesterday")
    if day == today + timedelta(days=1):
        return _("tomorrow")
    values = {"weekday": WEEKDAYS[day.weekday()], "day": day.day, "month": MONTHS[day.month]}
    if day.year == today.year:
        return _("%(weekday)s %(day)d %(month)s") % values
    return _("%(weekday)s %(day)d %(month)s %(year)d") % {**values, "year": day.year}


def _at(day_words, clock_words):
    return _("%(day)s at %(time)s") % {"day": day_words, "time": clock_words}


@register.filter
def friendly(moment):
    """'today at 2:30 pm', 'Tuesday 3 November at 9 am', in the clinic's time zone."""
    if not isinstance(moment, datetime):
        return friendly_date(moment)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    today = timezone.localdate()
    return _at(_day(local.date(), today), _clock(local))


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
    day = _("%(weekday)s %(day)d %(month)s %(year)d") % {
        "weekday": WEEKDAYS[local.weekday()],
        "day": local.day,
        "month": MONTHS[local.month],
        "year": local.year,
    }
    return f"{_at(day, _clock(local))} ({zone})"

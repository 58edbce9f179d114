"""Dates and times in the clinic's time zone, in words a patient reads at a glance.

In the language the page speaks: the weekday and month names come from Django's own
catalogue (django.utils.dates), the phrasing from ours.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

register = template.Library()


# How a language tells the time: "12h" is the English words below ("9 am", "2:30 pm");
# anything else is a Django date format (Spanish: "G:i", 14:30, whose abbreviations
# "a. m." / "p. m." would end a sentence with two full stops).
def _clock_format():
    return pgettext("clock: 12h, or a Django date format", "12h")


def _clock(moment):
    clock_format = _clock_format()
    if clock_format != "12h":
        return date_format(moment, clock_format)
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
    # Django's date format, so the weekday and the month come out in the reader's language.
    if day.year == today.year:
        return date_format(day, _("l j F"))
    return date_format(day, _("l j F Y"))


def _at(day, local):
    """'today at 2:30 pm': the hour decides the Spanish article ('a la 1', 'a las 2')."""
    hour = local.hour if _clock_format() != "12h" else local.hour % 12 or 12
    return ngettext("%(day)s at %(clock)s", "%(day)s at %(clock)s", hour) % {
        "day": day,
        "clock": _clock(local),
    }


# A page of 40 patients or 20 entries shows as many dates; each costs several catalogue
# lookups and a date format. The words depend only on these few values, so they are worked
# out once per process (the language is part of the key: a Spanish page never gets English).
@lru_cache(maxsize=4096)
def _day_words(language, day, today):
    return _day(day, today)


@lru_cache(maxsize=4096)
def _moment_words(language, day, today, hour, minute):
    local = datetime(day.year, day.month, day.day, hour, minute)
    return _at(_day_words(language, day, today), local)


@register.filter
def friendly(moment):
    """'today at 2:30 pm', 'Tuesday 3 November at 9 am', in the clinic's time zone."""
    if not isinstance(moment, datetime):
        return friendly_date(moment)
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    today = timezone.localdate()
    return _moment_words(get_language(), local.date(), today, local.hour, local.minute)


@register.filter
def friendly_date(day):
    """'today', 'yesterday', 'Tuesday 3 November' for a date (or a datetime's local date)."""
    if day in (None, ""):
        return ""
    if isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if not isinstance(day, date):
        return ""
    return _day_words(get_language(), day, timezone.localdate())


@register.filter
def full_datetime(moment):
    """'Wednesday 25 November 2026 at 5:24 am (America/New_York)': for records kept for years."""
    if not isinstance(moment, datetime):
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    zone = timezone.get_current_timezone_name()
    return f"{_at(date_format(local, _('l j F Y')), local)} ({zone})"

"""Times in the patient's printed copy: exact, in the clinic's time zone, never "today".

A copy is read months later, so relative words (`clinic_time.friendly`) would be wrong;
the zone is named once at the top of the copy rather than after every time. Day and month
names, and the clock, follow the language the copy is made in.
"""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

register = template.Library()


def _local(moment):
    if not isinstance(moment, datetime):
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _clock(local, *, seconds=False):
    second = f":{local.second:02d}" if seconds else ""
    # Translators: "12" for a 12-hour clock with am and pm, "24" for a 24-hour clock.
    if pgettext("clock hours", "12") == "24":
        return f"{local.hour:02d}:{local.minute:02d}{second}"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}:{local.minute:02d}{second} {suffix}"


@register.filter
def record_day(moment):
    """'26 November 2026' (the day of a session)."""
    local = _local(moment)
    if local is None:
        return ""
    # Translators: a Django date format, https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
    return date_format(local, pgettext("record date format", "j F Y"))


@register.filter
def record_time(moment):
    """'Thursday 26 November 2026 at 4:27 pm'."""
    local = _local(moment)
    if local is None:
        return ""
    # Translators: a Django date format, https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
    day = date_format(local, pgettext("record date format", "l j F Y"))
    return _("%(day)s at %(time)s") % {"day": day, "time": _clock(local)}


@register.filter
def record_second(moment):
    """'26 Nov 2026, 4:27:34 pm': for the consent steps, where seconds tell how long."""
    local = _local(moment)
    if local is None:
        return ""
    # Translators: a Django date format, https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
    day = date_format(local, pgettext("record date format", "j M Y"))
    return f"{day}, {_clock(local, seconds=True)}"


@register.filter
def record_full(moment):
    """'Wednesday 25 November 2026 at 5:24 am (America/New_York)': the copy's own date."""
    shown = record_time(moment)
    if not shown:
        return ""
    return f"{shown} ({timezone.get_current_timezone_name()})"

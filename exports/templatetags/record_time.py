"""Times in the patient's printed copy: exact, in the clinic's time zone, never "today".

A copy is read months later, so relative words (`clinic_time.friendly`) would be wrong;
the zone is named once at the top of the copy rather than after every time.
"""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _local(moment):
    if not isinstance(moment, datetime):
        return None
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _clock(local, *, seconds=False):
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    second = f":{local.second:02d}" if seconds else ""
    return f"{hour}:{local.minute:02d}{second} {suffix}"


@register.filter
def record_time(moment):
    """'Thursday 26 November 2026 at 4:27 pm'."""
    local = _local(moment)
    if local is None:
        return ""
    return f"{local:%A} {local.day} {local:%B} {local.year} at {_clock(local)}"


@register.filter
def record_second(moment):
    """'26 Nov 2026, 4:27:34 pm': for the consent steps, where seconds tell how long."""
    local = _local(moment)
    if local is None:
        return ""
    return f"{local.day} {local:%b} {local.year}, {_clock(local, seconds=True)}"

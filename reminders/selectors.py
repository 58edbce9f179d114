"""What the reminder settings page and endpoint show."""

from dataclasses import dataclass

from reminders.kinds import kinds_for
from reminders.models import ReminderOptOut


@dataclass(frozen=True)
class ReminderSetting:
    key: str
    label: str
    is_on: bool


def reminder_settings(user):
    """Each kind this person can receive, and whether it is on (the default)."""
    turned_off = set(ReminderOptOut.objects.of(user).values_list("kind", flat=True))
    return [
        ReminderSetting(key=kind.key, label=kind.label, is_on=kind.key not in turned_off)
        for kind in kinds_for(user)
    ]

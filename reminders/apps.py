from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Email reminders"

    def ready(self):
        # The kinds register themselves on import (reminders.kinds).
        from reminders import kinds  # noqa: F401

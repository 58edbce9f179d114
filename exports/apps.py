from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """A patient's own copy of everything of theirs: JSON, CSV and a readable PDF."""

    name = "exports"
    verbose_name = "Patient exports"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Plumbing every app shares: REST set-up, responses, template tags. Imports none of ours."""

    name = "common"
    verbose_name = "Common plumbing"

    def ready(self):
        from common import checks  # noqa: F401  (registers the deploy checks)

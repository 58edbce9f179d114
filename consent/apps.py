from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = "Informed consent"

    def ready(self):
        from consent import checks  # noqa: F401  (registers the check for the PDF libraries)

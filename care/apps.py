from django.apps import AppConfig


class CareConfig(AppConfig):
    """The front door: the therapist's roster, one page per patient, the patient's home.

    It gathers accounts, consent and journal; nothing below imports it.
    """

    name = "care"
    verbose_name = "Care"

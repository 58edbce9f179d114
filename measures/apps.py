from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Validated measures (PHQ-9, GAD-7, PCL-5, and any a clinic loads): the published
    questionnaires, each patient's schedule, their answers, and alerts for the care team.

    It sits above consent and journal (it counts administration sessions) and below care,
    which shows it on the patient's home and the therapist's pages.
    """

    name = "measures"
    verbose_name = "Validated measures"

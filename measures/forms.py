"""Forms for answering a measure and setting a schedule: shape only.

The rules (a value on the measure's scale, an interval from 1 to 365) are checked again
by `measures.services`, which the API calls too.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import INTERVAL_MAX, ScheduleMode


class AnswerForm(forms.Form):
    """One question: the answers of the measure's own scale, as big radio options."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"] = forms.TypedChoiceField(
            label=_("Your answer"),
            choices=[(choice["value"], choice["label"]) for choice in version.scale],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Please choose one of the answers."),
                "invalid_choice": _("Please choose one of the answers."),
            },
        )


class ScheduleForm(forms.Form):
    """When a measure is due for a patient: off, or a baseline and then a repeat."""

    mode = forms.ChoiceField(
        label=_("When"),
        choices=[
            (ScheduleMode.OFF, _("Off")),
            (ScheduleMode.EVERY_DAYS, _("Baseline, then every N days")),
            (ScheduleMode.AFTER_SESSIONS, _("Baseline, then after every N sessions")),
        ],
        error_messages={"invalid_choice": _("Choose off, every N days or after every N sessions.")},
    )
    interval = forms.IntegerField(
        label="N",
        required=False,
        min_value=1,
        max_value=INTERVAL_MAX,
        error_messages={
            "invalid": _("Say how often as a whole number."),
            # INTERVAL_MAX is 365; Django formats these with the limit, so no placeholder.
            "min_value": _("Choose a number from 1 to 365."),
            "max_value": _("Choose a number from 1 to 365."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        is_on = cleaned.get("mode") not in (None, ScheduleMode.OFF)
        if is_on and cleaned.get("interval") is None and "interval" not in self.errors:
            self.add_error("interval", _("Say how often: a number from 1 to 365."))
        return cleaned

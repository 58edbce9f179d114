from django import forms


class ReminderSettingsForm(forms.Form):
    """One checkbox per kind of reminder this person can get."""

    def __init__(self, settings_list, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.keys = [setting.key for setting in settings_list]
        for setting in settings_list:
            self.fields[setting.key] = forms.BooleanField(
                label=setting.label, required=False, initial=setting.is_on
            )

from rest_framework import serializers


class ReminderSettingSerializer(serializers.Serializer):
    """One kind of email reminder and whether it is on (reminders.selectors.ReminderSetting)."""

    kind = serializers.CharField(source="key", help_text="Stable key of this kind of reminder.")
    label = serializers.CharField(help_text="What it is, as the settings page says it.")
    is_on = serializers.BooleanField()


class ReminderSettingsSerializer(serializers.Serializer):
    reminders = ReminderSettingSerializer(many=True)


class ReminderChoiceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    is_on = serializers.BooleanField()


class ReminderSettingsUpdateSerializer(serializers.Serializer):
    reminders = ReminderChoiceSerializer(
        many=True,
        max_length=20,
        help_text="The kinds to change; kinds left out stay as they are.",
    )

"""Your email reminders, on or off, through the API: the same service as the settings page."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reminders.selectors import reminder_settings
from reminders.serializers import ReminderSettingsSerializer, ReminderSettingsUpdateSerializer
from reminders.services import set_reminder_preferences


class MyRemindersView(APIView):
    """Each kind of email reminder you can get (on unless you turned it off)."""

    @extend_schema(responses=ReminderSettingsSerializer)
    def get(self, request):
        return self._current(request)

    @extend_schema(request=ReminderSettingsUpdateSerializer, responses=ReminderSettingsSerializer)
    def put(self, request):
        serializer = ReminderSettingsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        set_reminder_preferences(
            user=request.user,
            turned_on={
                choice["kind"]: choice["is_on"] for choice in serializer.validated_data["reminders"]
            },
            request=request,
        )
        return self._current(request)

    def _current(self, request):
        current = {"reminders": reminder_settings(request.user)}
        return Response(ReminderSettingsSerializer(current).data)

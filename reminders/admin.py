from django.contrib import admin

from reminders.models import SentReminder


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Which reminders went to whom, and when: kinds and ids only, never words."""

    list_display = ["kind", "recipient", "occurrence_key", "created_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email"]
    readonly_fields = ["kind", "recipient", "occurrence_key", "link_path", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

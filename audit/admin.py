"""The clinic admin reads and searches the audit trail here, and can never change it."""

from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "sequence",
        "occurred_at",
        "kind",
        "actor_email",
        "patient",
        "object_id",
        "ip_address",
    )
    list_filter = ("kind", "occurred_at")
    date_hierarchy = "occurred_at"
    search_fields = (
        "actor_email",
        "patient__email",
        "patient__first_name",
        "patient__last_name",
        "object_id",
        "ip_address",
    )
    list_select_related = ("patient",)
    autocomplete_fields = ()
    ordering = ("-sequence",)
    show_full_result_count = False
    fields = (
        "sequence",
        "occurred_at",
        "kind",
        "actor",
        "actor_email",
        "patient",
        "object_type",
        "object_id",
        "ip_address",
        "user_agent",
        "detail",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

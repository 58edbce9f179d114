"""The clinic admin corrects administration sessions here; journal text stays out of the admin.

Entries, comments, clinical notes and reads are deliberately not registered: the clinic admin
manages accounts, not clinical records, and a private entry must never be shown to anyone
but its author. Even a read-only list would put private text (or the fact it exists) on a
screen the patient never agreed to.
"""

from django.contrib import admin

from journal.models import AdministrationSession


@admin.register(AdministrationSession)
class AdministrationSessionAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "patient", "route", "dose_mg", "recorded_by"]
    list_filter = ["route"]
    date_hierarchy = "occurred_at"
    search_fields = ["patient__email", "patient__last_name", "patient__first_name"]
    raw_id_fields = ["patient", "recorded_by"]
    readonly_fields = ["public_id", "created_at"]
    fields = [
        "patient",
        "occurred_at",
        "route",
        "dose_mg",
        "notes",
        "recorded_by",
        "public_id",
        "created_at",
    ]

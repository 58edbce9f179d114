"""The clinic admin corrects administration sessions here; clinical text stays out of the admin.

A session's notes are the therapist's clinical words: they are not on the admin's page,
and saving a correction leaves them as they were. Sessions are never deleted here: the
patient's reflections on a session belong to it.

Entries, their earlier versions, comments, clinical notes and reads are deliberately not
registered: the clinic admin manages accounts, not clinical records, and a private entry
must never be shown to anyone but its author. Even a read-only list would put private text
(or the fact it exists) on a screen the patient never agreed to. Not being registered, they
offer no delete either; nothing in the journal is ever deleted (see journal.models).
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
        "recorded_by",
        "public_id",
        "created_at",
    ]
    exclude = ["notes"]

    def lookup_allowed(self, lookup, value, request=None):
        # The admin lets a URL filter on any local field: ?notes__icontains=trauma would
        # tell the clinic admin which sessions mention a word, without showing the notes.
        if lookup.split("__")[0] == "notes":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_delete_permission(self, request, obj=None):
        # Never, not even for a superuser: the database refuses it too (journal.models).
        return False

"""The clinic admin sees which measures and versions are published, read-only.

New measures and versions come from `manage.py load_measure <file.json>`, checked before
they are published; a published version never changes, so nothing here edits one. The
patients' answers, alerts and schedules are clinical records and stay out of the admin.
"""

from django.contrib import admin

from measures.models import Measure, MeasureVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureVersionInline(admin.TabularInline):
    model = MeasureVersion
    fields = ["number", "title", "item_count", "max_score", "reliable_change", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="questions")
    def item_count(self, version):
        return version.item_count


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "position"]
    inlines = [MeasureVersionInline]


@admin.register(MeasureVersion)
class MeasureVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "number", "topic", "published_at"]
    list_filter = ["measure"]
    readonly_fields = [
        "measure",
        "number",
        "name",
        "title",
        "topic",
        "instructions",
        "items",
        "scale",
        "bands",
        "alert_items",
        "reliable_change",
        "max_score",
        "minutes",
        "attribution",
        "published_at",
    ]

"""The therapist's dashboard: their patients with what needs attention, in one query.

Every journal figure is a correlated subquery on the patient row and consent records are
prefetched, so the number of queries stays the same for 5 patients or 50 with a thousand
entries.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from consent.selectors import ConsentStatus
from journal.models import AdministrationSession, Entry


def _count(queryset):
    counted = queryset.order_by().values("patient").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def patients_for_dashboard(therapist):
    """The therapist's patients, what needs attention first, with their consent records."""
    shared = Entry.objects.visible_to(therapist).shared().filter(patient=OuterRef("pk"))
    sessions = AdministrationSession.objects.visible_to(therapist).filter(patient=OuterRef("pk"))
    return (
        User.objects.visible_to(therapist)
        .prefetch_related(ConsentStatus.prefetch_for_status())
        .annotate(
            last_entry_at=Subquery(shared.order_by("-submitted_at").values("submitted_at")[:1]),
            last_session_at=Subquery(sessions.order_by("-occurred_at").values("occurred_at")[:1]),
            urgent_count=_count(shared.urgent()),
            awaiting_review_count=_count(shared.awaiting_review()),
            for_discussion_count=_count(shared.for_discussion()),
        )
        .order_by(
            F("urgent_count").desc(),
            F("awaiting_review_count").desc(),
            F("for_discussion_count").desc(),
            F("last_entry_at").desc(nulls_last=True),
            "last_name",
            "first_name",
            "pk",
        )
    )


def urgent_entries_for(therapist):
    """Shared entries with crisis language the therapist has not reviewed: the top of the page."""
    return (
        Entry.objects.visible_to(therapist)
        .urgent()
        .select_related("patient")
        .order_by("submitted_at")
    )

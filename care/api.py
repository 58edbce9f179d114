"""The therapist's roster through the API: the same rows as the web page."""

from rest_framework import generics

from accounts.permissions import THERAPISTS
from care import selectors
from care.serializers import PatientSummarySerializer
from common.rest import RosterPagination


class PatientListView(generics.ListAPIView):
    """The therapist's own patients, what needs attention first, with where each stands."""

    serializer_class = PatientSummarySerializer
    permission_classes = THERAPISTS
    pagination_class = RosterPagination

    def get_queryset(self):
        return selectors.roster_rows(self.request.user)

    def paginate_queryset(self, queryset):
        # Consent status and invitations are loaded for the rows on the page only.
        page = super().paginate_queryset(queryset)
        return page if page is None else selectors.with_row_details(page)


class PatientDetailView(generics.RetrieveAPIView):
    """One patient in the therapist's care; anyone else's answers 404."""

    serializer_class = PatientSummarySerializer
    permission_classes = THERAPISTS

    def get_object(self):
        return selectors.roster_row_or_404(self.request.user, self.kwargs["public_id"])

"""The journal through the API: the same access rules, selectors and services as the web pages.

Each view checks the shape of the request with a serializer, then calls the service the
web page calls, with the same typed values. Services raise ValidationError with the words
a patient reads; `common.rest` turns it into the API's error shape.
"""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from journal import selectors, services
from journal.serializers import (
    AdministrationSessionSerializer,
    AdministrationSessionWriteSerializer,
    ClinicalNoteSerializer,
    CommentSerializer,
    CommentWriteSerializer,
    EntryReaderSerializer,
    EntryRevisionSerializer,
    EntrySerializer,
    EntryWriteSerializer,
    IntentionSerializer,
    IntentionWriteSerializer,
    LookSerializer,
    NoteWriteSerializer,
    ReplyWriteSerializer,
    ThreadReadSerializer,
)


def _entry_fields(request):
    """The typed fields the client sent for an entry: a partial update, all optional."""
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    given = EntryWriteSerializer(data=request.data, partial=True, context={"request": request})
    given.is_valid(raise_exception=True)
    return given.validated_data


def _entry_response(request, entry, code=status.HTTP_200_OK):
    return Response(EntrySerializer(entry, context={"request": request}).data, status=code)


def _entry_filters(request):
    """The `session`, `since` and `until` query parameters, as a session and dates."""
    params = request.query_params
    filters = {}
    if "session" in params:
        key = selectors.parse_key_or_404(params["session"])
        filters["session"] = selectors.session_or_404(request.user, key)
    for name in ("since", "until"):
        if name in params:
            try:
                day = parse_date(params[name]) if len(params[name]) == 10 else None
            except ValueError:  # well formed, but no such day (2026-02-30)
                day = None
            if day is None:
                raise exceptions.ValidationError({name: [_("Use a date like 2026-11-03.")]})
            filters[name] = day
    return filters


ENTRY_FILTERS = [
    OpenApiParameter("session", OpenApiTypes.UUID, description="Only entries about this session"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Written on or after this date"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Written on or before this date"),
]


# --- Patients: sessions and entries ------------------------------------------------------


class MySessionsView(generics.ListAPIView):
    """The patient's administration sessions, newest first."""

    permission_classes = PATIENTS
    serializer_class = AdministrationSessionSerializer

    def get_queryset(self):
        return selectors.sessions(self.request.user)


@extend_schema(
    parameters=[
        *ENTRY_FILTERS,
        OpenApiParameter(
            "state", str, enum=["submitted", "draft", "all"], description="Default: submitted"
        ),
    ]
)
class MyEntriesView(generics.ListAPIView):
    """The patient's own entries, filtered by session and date."""

    permission_classes = PATIENTS
    serializer_class = EntrySerializer

    def get_queryset(self):
        state = self.request.query_params.get("state", "submitted")
        if state not in ("submitted", "draft", "all"):
            raise exceptions.ValidationError({"state": [_("Use submitted, draft or all.")]})
        return selectors.entries(self.request.user, state=state, **_entry_filters(self.request))


class DraftView(APIView):
    """Autosave: create or update the draft with this key (a UUID the app chooses).

    A draft saved after its entry was submitted changes nothing and returns the entry.
    """

    permission_classes = PATIENTS

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def put(self, request, key):
        entry = services.save_draft(
            patient=request.user, draft_key=key, fields=_entry_fields(request)
        )
        return _entry_response(request, entry)

    @extend_schema(responses={204: None})
    def delete(self, request, key):
        """Discard the draft: it leaves every list, and its words are kept, never erased."""
        services.discard_draft(entry=selectors.draft_or_404(request.user, key))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubmitDraftView(APIView):
    """Finish a draft: it becomes an entry. Submitting twice makes one entry."""

    permission_classes = PATIENTS

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer})
    def post(self, request, key):
        entry = services.submit_entry(
            patient=request.user, draft_key=key, fields=_entry_fields(request)
        )
        return _entry_response(request, entry, code=status.HTTP_201_CREATED)


class EntryView(APIView):
    """Read an entry (a therapist's reading is recorded, as on the web) or edit your own."""

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [permission() for permission in PATIENTS]
        return [permissions.IsAuthenticated()]

    @extend_schema(responses=EntrySerializer)
    def get(self, request, public_id):
        entry = selectors.entry_or_404(request.user, public_id)
        if access.can_review_entry(request.user, entry):
            # Every opening is recorded, and the patient sees who read their entry and when.
            services.open_entry_for_review(entry=entry, reader=request.user, request=request)
        return _entry_response(request, entry)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def patch(self, request, public_id):
        entry = selectors.entry_or_404(request.user, public_id)
        if not access.can_edit_entry(request.user, entry):
            raise exceptions.NotFound()
        if entry.is_draft:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("This is a draft: save it with PUT /journal/drafts/.")]}
            )
        entry = services.edit_entry(entry=entry, fields=_entry_fields(request))
        return _entry_response(request, entry)


class ShareEntryView(APIView):
    """Share a submitted entry with the care team (PATCH `is_shared: false` makes it private)."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses=EntrySerializer)
    def post(self, request, public_id):
        entry = selectors.entry_or_404(request.user, public_id)
        return _entry_response(request, services.share_entry(entry=entry))


class EntryCommentsView(generics.ListCreateAPIView):
    """Comments on an entry: the patient reads them; a therapist reads and writes them."""

    serializer_class = CommentSerializer

    def get_entry(self):
        return selectors.entry_or_404(self.request.user, self.kwargs["public_id"])

    def get_queryset(self):
        return selectors.comments(self.request.user, self.get_entry())

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if access.is_patient(request.user):
            # The patient has now seen these comments (the web page does the same).
            services.mark_comments_seen(patient=request.user, entry=self.get_entry())
        return response

    @extend_schema(request=CommentWriteSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        if not access.can_review_entry(request.user, entry):
            raise exceptions.PermissionDenied(_("Only the care team comments on an entry."))
        given = CommentWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        comment = services.comment_on_entry(
            entry=entry, author=request.user, **given.validated_data
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class EntryThreadView(generics.ListAPIView):
    """The thread under an entry: the care team's comments and the patient's replies, oldest
    first. The patient answers once their care team has written; a therapist answers back.

    Listing it does not mark it read (POST `read/` does). A therapist's listing is an
    opening of the entry, recorded as on the web: the patient's replies are their words.
    """

    serializer_class = CommentSerializer

    def get_entry(self):
        return selectors.entry_or_404(self.request.user, self.kwargs["public_id"])

    def get_queryset(self):
        return selectors.thread(self.request.user, self.get_entry()).select_related("in_reply_to")

    def list(self, request, *args, **kwargs):
        entry = self.get_entry()
        page = self.paginate_queryset(self.get_queryset())
        if any(message.is_from_patient for message in page):
            services.read_thread(entry=entry, reader=request.user, request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ReplyWriteSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        if not access.can_reply_on_entry(request.user, entry):
            if access.can_edit_entry(request.user, entry):
                raise exceptions.ValidationError(
                    {"non_field_errors": [services.NO_COMMENT_TO_ANSWER]}
                )
            raise exceptions.NotFound()
        given = ReplyWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        reply = services.reply_on_entry(entry=entry, author=request.user, **given.validated_data)
        return Response(CommentSerializer(reply).data, status=status.HTTP_201_CREATED)


class EntryThreadReadView(APIView):
    """Mark the thread read: the patient has seen the care team's words, or the care team
    has read the patient's replies."""

    @extend_schema(request=None, responses=ThreadReadSerializer)
    def post(self, request, public_id):
        entry = selectors.entry_or_404(request.user, public_id)
        if not (
            access.can_edit_entry(request.user, entry)
            or access.can_review_entry(request.user, entry)
        ):
            raise exceptions.NotFound()
        marked = services.mark_thread_read(entry=entry, reader=request.user)
        return Response(ThreadReadSerializer({"marked": len(marked)}).data)


class MyIntentionView(APIView):
    """Your intention for your next session: what you want to bring into it.

    PUT writes it, or changes it, until your session is recorded; then it stays with that
    session as it was, and the next PUT begins a new one. Shared with your care team
    unless you send `is_shared: false`.
    """

    permission_classes = PATIENTS

    @extend_schema(responses={200: IntentionSerializer, 404: None})
    def get(self, request):
        intention = selectors.pending_intention(request.user, request.user)
        if intention is None:
            raise exceptions.NotFound(_("You have no intention for your next session yet."))
        return Response(IntentionSerializer(intention).data)

    @extend_schema(request=IntentionWriteSerializer, responses=IntentionSerializer)
    def put(self, request):
        given = IntentionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        intention = services.save_intention(patient=request.user, **given.validated_data)
        return Response(IntentionSerializer(intention).data)


class MyIntentionsView(generics.ListAPIView):
    """Every intention you wrote, newest first: the pending one and those kept with a session."""

    permission_classes = PATIENTS
    serializer_class = IntentionSerializer

    def get_queryset(self):
        return selectors.intentions(self.request.user)


class EntryReadersView(generics.ListAPIView):
    """Who on the care team has read this entry, when last, and how often."""

    serializer_class = EntryReaderSerializer

    def get_queryset(self):
        entry = selectors.entry_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.readers(self.request.user, entry)


class EntryRevisionsView(generics.ListAPIView):
    """What your entry said before each of your edits, newest first. Only you see these:
    your care team sees that and when you edited it, never the earlier words."""

    permission_classes = PATIENTS
    serializer_class = EntryRevisionSerializer

    def get_queryset(self):
        entry = selectors.entry_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.revisions(self.request.user, entry)


class LooksView(generics.ListAPIView):
    """Who on your care team saw your words, newest first: an entry they opened, the list
    of your shared entries, or your integration agenda."""

    permission_classes = PATIENTS
    serializer_class = LookSerializer

    def get_queryset(self):
        return selectors.looks_at_words_of(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        looks = selectors.describe_looks(request.user, page)
        return self.get_paginated_response(self.get_serializer(looks, many=True).data)


# --- Therapists ------------------------------------------------------------------------------


class PatientSessionsView(generics.ListCreateAPIView):
    """A patient's administration sessions; a therapist in their care records new ones."""

    permission_classes = THERAPISTS
    serializer_class = AdministrationSessionSerializer

    def get_patient(self):
        return patient_or_404(self.request.user, self.kwargs["public_id"])

    def get_queryset(self):
        return selectors.sessions(self.request.user, patient=self.get_patient())

    @extend_schema(
        request=AdministrationSessionWriteSerializer,
        responses={201: AdministrationSessionSerializer},
    )
    def post(self, request, *args, **kwargs):
        patient = self.get_patient()
        if not access.can_record_session_for(request.user, patient):
            raise exceptions.NotFound()
        given = AdministrationSessionWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        session = services.record_session(
            patient=patient, recorded_by=request.user, **given.validated_data
        )
        return Response(
            AdministrationSessionSerializer(session).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=ENTRY_FILTERS)
class PatientEntriesView(generics.ListAPIView):
    """A patient's shared entries, for a therapist in their care. Never private ones."""

    permission_classes = THERAPISTS
    serializer_class = EntrySerializer

    def get_queryset(self):
        self.patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.entries(
            self.request.user, patient=self.patient, **_entry_filters(self.request)
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # Each page of the patient's words is on the audit trail, with how many it held.
        services.list_entries(
            viewer=request.user, patient=self.patient, count=len(page), request=request
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PatientIntentionsView(generics.ListAPIView):
    """The intentions a patient in your care shared before their sessions, newest first.
    Never one they kept to themselves."""

    permission_classes = THERAPISTS
    serializer_class = IntentionSerializer

    def get_queryset(self):
        self.patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.intentions(self.request.user, patient=self.patient)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        services.list_intentions(
            viewer=request.user, patient=self.patient, count=len(page), request=request
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class _TherapistEntryMixin:
    permission_classes = THERAPISTS

    def reviewable_entry(self):
        return selectors.reviewable_entry_or_404(self.request.user, self.kwargs["public_id"])


class ReviewEntryView(_TherapistEntryMixin, APIView):
    """Mark a shared entry reviewed."""

    @extend_schema(request=None, responses=EntrySerializer)
    def post(self, request, public_id):
        entry = services.mark_reviewed(entry=self.reviewable_entry(), by=request.user)
        # The answer carries the entry's words: an opening like any other.
        services.open_entry_for_review(entry=entry, reader=request.user, request=request)
        return _entry_response(request, entry)


class ClinicalNotesView(_TherapistEntryMixin, generics.ListCreateAPIView):
    """Private clinical notes on an entry: the care team only, never the patient."""

    serializer_class = ClinicalNoteSerializer

    def get_queryset(self):
        return selectors.clinical_notes(self.request.user, self.reviewable_entry())

    @extend_schema(request=NoteWriteSerializer, responses={201: ClinicalNoteSerializer})
    def post(self, request, *args, **kwargs):
        entry = self.reviewable_entry()
        given = NoteWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        note = services.add_clinical_note(entry=entry, author=request.user, **given.validated_data)
        return Response(ClinicalNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AgendaView(generics.ListAPIView):
    """The integration agenda: shared entries marked for discussion, not yet discussed.

    As on the web, listing them counts as reading each one.
    """

    permission_classes = THERAPISTS
    serializer_class = EntrySerializer

    def get_queryset(self):
        self.patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.agenda(self.request.user, self.patient)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        services.open_agenda(
            viewer=request.user, patient=self.patient, entries=page, request=request
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

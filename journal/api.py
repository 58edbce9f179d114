"""The journal through the API: the same models, forms and access rules as the web pages.

Input goes through the web's forms (EntryForm, AdministrationSessionForm, CommentForm,
ClinicalNoteForm), so every rule and every message is written once.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Max, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from journal.forms import AdministrationSessionForm, ClinicalNoteForm, CommentForm, EntryForm
from journal.models import AdministrationSession, ClinicalNote, Comment, Entry, EntryRead
from journal.serializers import (
    AdministrationSessionSerializer,
    AdministrationSessionWriteSerializer,
    ClinicalNoteSerializer,
    CommentSerializer,
    EntryReaderSerializer,
    EntrySerializer,
    EntryWriteSerializer,
    NoteWriteSerializer,
)

ENTRY_FIELDS = list(EntryWriteSerializer().fields)
# Fields whose form value differs from the model value (ids, numbers as text, flags).
_CONVERTED = {"session", "mood", "anxiety", "experiences", "is_shared", "is_for_discussion"}


def _form_errors(form):
    errors = {
        ("non_field_errors" if field == "__all__" else field): messages
        for field, messages in form.errors.items()
    }
    return exceptions.ValidationError(errors)


def _form_data_for(entry, given):
    """The entry's current values, overlaid with what the client sent: a partial update."""
    data = {
        "session": str(entry.session.public_id) if entry.session_id else "",
        "mood": "" if entry.mood is None else str(entry.mood),
        "anxiety": "" if entry.anxiety is None else str(entry.anxiety),
        "experiences": list(entry.experiences or []),
        "is_shared": "True" if entry.is_shared else "False",
        "is_for_discussion": entry.is_for_discussion,
        **{name: getattr(entry, name) for name in ENTRY_FIELDS if name not in _CONVERTED},
    }
    for name, value in given.items():
        if name not in ENTRY_FIELDS:
            continue
        if name in ("session", "mood", "anxiety"):
            value = "" if value is None else str(value)
        elif name == "is_shared":
            value = "True" if value is True else "False" if value is False else value
        data[name] = value
    return data


def _check_shape(request):
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    given = EntryWriteSerializer(data=request.data, partial=True)
    given.is_valid(raise_exception=True)
    return {name: request.data[name] for name in request.data if name in ENTRY_FIELDS}


def _key_or_404(raw):
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise exceptions.NotFound() from None


# --- Patients: sessions and entries ------------------------------------------------------


class MySessionsView(generics.ListAPIView):
    """The patient's administration sessions, newest first."""

    permission_classes = PATIENTS
    serializer_class = AdministrationSessionSerializer

    def get_queryset(self):
        return (
            AdministrationSession.objects.visible_to(self.request.user)
            .select_related("recorded_by")
            .order_by("-occurred_at", "-pk")
        )


def _filtered_entries(request, queryset):
    params = request.query_params
    if "session" in params:
        session = get_object_or_404(
            AdministrationSession.objects.visible_to(request.user),
            public_id=_key_or_404(params["session"]),
        )
        queryset = queryset.filter(session=session)
    for name, lookup in (("since", "gte"), ("until", "lte")):
        if name in params:
            day = parse_date(params[name]) if len(params[name]) == 10 else None
            if day is None:
                raise exceptions.ValidationError({name: ["Use a date like 2026-11-03."]})
            queryset = queryset.filter(**{f"created_at__date__{lookup}": day})
    return queryset.select_related("session", "patient").order_by("-created_at", "-pk")


ENTRY_FILTERS = [
    OpenApiParameter("session", OpenApiTypes.UUID, description="Only entries about this session"),
    OpenApiParameter("since", OpenApiTypes.DATE, description="Written on or after this date"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Written on or before this date"),
]


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
        entries = Entry.objects.visible_to(self.request.user)
        state = self.request.query_params.get("state", "submitted")
        if state not in ("submitted", "draft", "all"):
            raise exceptions.ValidationError({"state": ["Use submitted, draft or all."]})
        if state == "submitted":
            entries = entries.submitted()
        elif state == "draft":
            entries = entries.drafts()
        return _filtered_entries(self.request, entries)


class DraftView(APIView):
    """Autosave: create or update the draft with this key (a UUID the app chooses).

    A draft saved after its entry was submitted changes nothing and returns the entry.
    """

    permission_classes = PATIENTS

    def _draft(self, key):
        key = _key_or_404(key)
        entry = Entry.objects.visible_to(self.request.user).filter(public_id=key).first()
        return entry or Entry(patient=self.request.user, public_id=key)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def put(self, request, key):
        entry = self._draft(key)
        given = _check_shape(request)
        if not entry.is_draft:
            return Response(EntrySerializer(entry, context={"request": request}).data)
        form = EntryForm(_form_data_for(entry, given), instance=entry, patient=request.user)
        if not form.is_valid():
            raise _form_errors(form)
        _store(entry.save_draft)
        return Response(EntrySerializer(entry, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, key):
        entry = get_object_or_404(
            Entry.objects.visible_to(request.user).drafts(), public_id=_key_or_404(key)
        )
        entry.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _store(store):
    try:
        return store()
    except IntegrityError:
        # The key is someone else's entry: never confirm that it exists.
        raise exceptions.NotFound() from None


class SubmitDraftView(APIView):
    """Finish a draft: it becomes an entry. Submitting twice makes one entry."""

    permission_classes = PATIENTS

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer})
    def post(self, request, key):
        key = _key_or_404(key)
        entry = Entry.objects.visible_to(request.user).filter(public_id=key).first()
        entry = entry or Entry(patient=request.user, public_id=key)
        given = _check_shape(request)
        if not entry.is_draft:
            # A double submit: the entry was made by the first one.
            return Response(
                EntrySerializer(entry, context={"request": request}).data,
                status=status.HTTP_201_CREATED,
            )
        form = EntryForm(
            _form_data_for(entry, given), instance=entry, patient=request.user, finishing=True
        )
        if not form.is_valid():
            raise _form_errors(form)
        _store(entry.submit)
        return Response(
            EntrySerializer(entry, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class EntryView(APIView):
    """Read an entry (a therapist's reading is recorded, as on the web) or edit your own."""

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [permission() for permission in PATIENTS]
        return [permissions.IsAuthenticated()]

    def _entry(self, request, public_id):
        return get_object_or_404(
            Entry.objects.visible_to(request.user).select_related("session", "patient"),
            public_id=public_id,
        )

    @extend_schema(responses=EntrySerializer)
    def get(self, request, public_id):
        entry = self._entry(request, public_id)
        if access.can_review_entry(request.user, entry):
            # Every opening is recorded, and the patient sees who read their entry and when.
            entry.record_read(by=request.user)
        return Response(EntrySerializer(entry, context={"request": request}).data)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def patch(self, request, public_id):
        entry = self._entry(request, public_id)
        if not access.can_edit_entry(request.user, entry):
            raise exceptions.NotFound()
        if entry.is_draft:
            raise exceptions.ValidationError(
                {"non_field_errors": ["This is a draft: save it with PUT /journal/drafts/."]}
            )
        given = _check_shape(request)
        form = EntryForm(
            _form_data_for(entry, given), instance=entry, patient=request.user, finishing=True
        )
        if not form.is_valid():
            raise _form_errors(form)
        if form.has_changed():
            entry.save_edit()
        return Response(EntrySerializer(entry, context={"request": request}).data)


class ShareEntryView(APIView):
    """Share a submitted entry with the care team (PATCH `is_shared: false` makes it private)."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses=EntrySerializer)
    def post(self, request, public_id):
        entry = get_object_or_404(Entry.objects.visible_to(request.user), public_id=public_id)
        try:
            entry.share()
        except ValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return Response(EntrySerializer(entry, context={"request": request}).data)


class EntryCommentsView(generics.ListCreateAPIView):
    """Comments on an entry: the patient reads them; a therapist reads and writes them."""

    serializer_class = CommentSerializer

    def get_entry(self):
        return get_object_or_404(
            Entry.objects.visible_to(self.request.user), public_id=self.kwargs["public_id"]
        )

    def get_queryset(self):
        entry = self.get_entry()
        return (
            Comment.objects.visible_to(self.request.user)
            .filter(entry=entry)
            .select_related("author")
            .order_by("created_at", "pk")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if access.is_patient(request.user):
            # The patient has now seen these comments (the web page does the same).
            self.get_queryset().filter(seen_by_patient_at__isnull=True).update(
                seen_by_patient_at=timezone.now()
            )
        return response

    @extend_schema(request=NoteWriteSerializer, responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        entry = self.get_entry()
        if not access.can_review_entry(request.user, entry):
            raise exceptions.PermissionDenied("Only the care team comments on an entry.")
        form = CommentForm(request.data, instance=Comment(entry=entry, author=request.user))
        if not form.is_valid():
            raise _form_errors(form)
        comment = form.save()
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class EntryReadersView(generics.ListAPIView):
    """Who on the care team has read this entry, when last, and how often."""

    serializer_class = EntryReaderSerializer

    def get_queryset(self):
        entry = get_object_or_404(
            Entry.objects.visible_to(self.request.user), public_id=self.kwargs["public_id"]
        )
        return (
            EntryRead.objects.visible_to(self.request.user)
            .filter(entry=entry)
            .values("reader")
            .annotate(
                reader_name=Concat("reader__first_name", Value(" "), "reader__last_name"),
                last_read_at=Max("read_at"),
                times=Count("pk"),
            )
            .order_by("-last_read_at", "reader")
        )


# --- Therapists ------------------------------------------------------------------------------


class PatientSessionsView(generics.ListCreateAPIView):
    """A patient's administration sessions; a therapist in their care records new ones."""

    permission_classes = THERAPISTS
    serializer_class = AdministrationSessionSerializer

    def get_patient(self):
        return patient_or_404(self.request.user, self.kwargs["public_id"])

    def get_queryset(self):
        return (
            AdministrationSession.objects.visible_to(self.request.user)
            .of(self.get_patient())
            .select_related("recorded_by")
            .order_by("-occurred_at", "-pk")
        )

    @extend_schema(
        request=AdministrationSessionWriteSerializer,
        responses={201: AdministrationSessionSerializer},
    )
    def post(self, request, *args, **kwargs):
        patient = self.get_patient()
        if not access.can_record_session_for(request.user, patient):
            raise exceptions.NotFound()
        shape = AdministrationSessionWriteSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        values = shape.validated_data
        form = AdministrationSessionForm(
            {
                "occurred_at": timezone.localtime(values["occurred_at"]).strftime(
                    "%Y-%m-%dT%H:%M:%S"
                ),
                "route": values["route"],
                "dose_mg": "" if values.get("dose_mg") is None else str(values["dose_mg"]),
                "notes": values.get("notes", ""),
            },
            instance=AdministrationSession(patient=patient, recorded_by=request.user),
        )
        if not form.is_valid():
            raise _form_errors(form)
        session = form.save()
        return Response(
            AdministrationSessionSerializer(session).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=ENTRY_FILTERS)
class PatientEntriesView(generics.ListAPIView):
    """A patient's shared entries, for a therapist in their care. Never private ones."""

    permission_classes = THERAPISTS
    serializer_class = EntrySerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        entries = Entry.objects.visible_to(self.request.user).filter(patient=patient)
        return _filtered_entries(self.request, entries)


class _TherapistEntryMixin:
    permission_classes = THERAPISTS

    def reviewable_entry(self):
        entry = get_object_or_404(
            Entry.objects.visible_to(self.request.user).select_related("session", "patient"),
            public_id=self.kwargs["public_id"],
        )
        if not access.can_review_entry(self.request.user, entry):
            raise exceptions.NotFound()
        return entry


class ReviewEntryView(_TherapistEntryMixin, APIView):
    """Mark a shared entry reviewed."""

    @extend_schema(request=None, responses=EntrySerializer)
    def post(self, request, public_id):
        entry = self.reviewable_entry()
        try:
            entry.mark_reviewed(by=request.user)
        except ValidationError as error:
            raise exceptions.ValidationError({"non_field_errors": error.messages}) from None
        return Response(EntrySerializer(entry, context={"request": request}).data)


class ClinicalNotesView(_TherapistEntryMixin, generics.ListCreateAPIView):
    """Private clinical notes on an entry: the care team only, never the patient."""

    serializer_class = ClinicalNoteSerializer

    def get_queryset(self):
        entry = self.reviewable_entry()
        return (
            ClinicalNote.objects.visible_to(self.request.user)
            .filter(entry=entry)
            .select_related("author")
            .order_by("created_at", "pk")
        )

    @extend_schema(request=NoteWriteSerializer, responses={201: ClinicalNoteSerializer})
    def post(self, request, *args, **kwargs):
        entry = self.reviewable_entry()
        form = ClinicalNoteForm(
            request.data, instance=ClinicalNote(entry=entry, author=request.user)
        )
        if not form.is_valid():
            raise _form_errors(form)
        note = form.save()
        return Response(ClinicalNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class AgendaView(generics.ListAPIView):
    """The integration agenda: shared entries marked for discussion, not yet discussed.

    As on the web, listing them counts as reading each one.
    """

    permission_classes = THERAPISTS
    serializer_class = EntrySerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return (
            Entry.objects.visible_to(self.request.user)
            .filter(patient=patient)
            .for_discussion()
            .select_related("session", "patient")
            .order_by("submitted_at", "pk")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = [row["public_id"] for row in response.data["results"]]
        entries = list(self.get_queryset().filter(public_id__in=page))
        EntryRead.objects.record(entries=entries, reader=request.user)
        return response

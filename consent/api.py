"""Consent through the API: the same services and access rules as the web pages."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language, gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.identity import TooManyAttempts
from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from common.rest import ErrorSerializer
from consent import selectors, services
from consent.pdf import PdfUnavailable, signed_copy_filename, signed_copy_pdf
from consent.serializers import (
    AcknowledgeRequestSerializer,
    AnswerOutcomeSerializer,
    AnswerQuestionRequestSerializer,
    AnswerRequestSerializer,
    AskRequestSerializer,
    CareTeamQuestionSerializer,
    ConsentOverviewSerializer,
    ConsentRecordSerializer,
    SectionProgressSerializer,
    SignRequestSerializer,
    WhatsNewSerializer,
    WithdrawRequestSerializer,
)

START_FIRST = gettext_lazy("Start the consent first: POST /api/v1/consent/start/.")


class ConsentOverviewView(APIView):
    """The current consent document and where the patient stands with it."""

    permission_classes = PATIENTS

    @extend_schema(responses=ConsentOverviewSerializer)
    def get(self, request):
        overview = selectors.consent_overview(request.user, language=get_language())
        return Response(ConsentOverviewSerializer(overview).data)


class ConsentStartView(APIView):
    """Begin (or resume) reading the current version."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses=ConsentOverviewSerializer)
    def post(self, request):
        services.start_consent(patient=request.user, request=request)
        overview = selectors.consent_overview(request.user, language=get_language())
        return Response(ConsentOverviewSerializer(overview).data)


class WhatsNewView(APIView):
    """Wording-only changes since the patient's signature, which stays valid: no re-signing."""

    permission_classes = PATIENTS

    @extend_schema(responses=WhatsNewSerializer)
    def get(self, request):
        return Response(WhatsNewSerializer(selectors.whats_new(request.user)).data)


class WhatsNewSeenView(APIView):
    """The patient saw what's new: recorded once (an audit event), and no longer offered."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses={201: WhatsNewSerializer})
    def post(self, request):
        services.note_whats_new_seen(patient=request.user, request=request)
        news = selectors.whats_new(request.user)
        return Response(WhatsNewSerializer(news).data, status=status.HTTP_201_CREATED)


class SectionMixin:
    permission_classes = PATIENTS

    def consent_and_section(self):
        consent = selectors.active_consent(patient=self.request.user)
        if consent is None:
            raise ValidationError(START_FIRST)
        section = get_object_or_404(consent.version.sections, position=self.kwargs["position"])
        return consent, section


class SectionView(SectionMixin, APIView):
    """Read a section. Opening it is recorded, as on the web; sections open in order."""

    @extend_schema(responses=SectionProgressSerializer)
    def get(self, request, position):
        consent, section = self.consent_and_section()
        services.open_section(consent=consent, section=section)
        step = selectors.step_state(consent, section, language=get_language())
        return Response(SectionProgressSerializer(step).data)


class AcknowledgeView(SectionMixin, APIView):
    @extend_schema(request=AcknowledgeRequestSerializer, responses=SectionProgressSerializer)
    def post(self, request, position):
        consent, section = self.consent_and_section()
        given = AcknowledgeRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.acknowledge_section(
            consent=consent, section=section, confirmed=given.validated_data["confirmed"]
        )
        step = selectors.step_state(consent, section, language=get_language())
        return Response(SectionProgressSerializer(step).data)


class AnswerView(SectionMixin, APIView):
    """Answer a section's question. Every answer is kept.

    A wrong answer comes back with the explanation and the passage to read again; after
    two wrong answers, with the offer to ask the care team. Then answer again.
    """

    @extend_schema(request=AnswerRequestSerializer, responses={201: AnswerOutcomeSerializer})
    def post(self, request, position):
        consent, section = self.consent_and_section()
        given = AnswerRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        attempt = services.answer_question(
            consent=consent, section=section, choice=given.validated_data["choice"]
        )
        outcome = selectors.answer_outcome(attempt, language=get_language())
        return Response(AnswerOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class AskView(SectionMixin, APIView):
    """Ask the care team a question about a section."""

    @extend_schema(request=AskRequestSerializer, responses={201: CareTeamQuestionSerializer})
    def post(self, request, position):
        consent, section = self.consent_and_section()
        given = AskRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        question = services.ask_care_team(
            consent=consent, section=section, text=given.validated_data["text"]
        )
        return Response(CareTeamQuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class MyQuestionsView(generics.ListAPIView):
    """The patient's questions to their care team, with any answers."""

    permission_classes = PATIENTS
    serializer_class = CareTeamQuestionSerializer

    def get_queryset(self):
        return selectors.consent_questions(self.request.user).order_by("-asked_at", "-pk")


class SignView(APIView):
    """Sign the current version once every section is acknowledged.

    The patient types their password again, and the code from their authenticator app if
    their account has two-factor: a wrong one counts into the same limits as a wrong login.
    """

    permission_classes = PATIENTS

    @extend_schema(
        request=SignRequestSerializer,
        responses={
            201: ConsentRecordSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A field is missing or refused: the name does not match, the "
                "meaning is not confirmed, or the password or code is not correct.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many wrong passwords or codes (here or at login): wait the "
                "seconds in `Retry-After`.",
            ),
        },
    )
    def post(self, request):
        given = SignRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            signature = services.sign_active_consent(
                patient=request.user,
                typed_name=given.validated_data["typed_name"],
                confirms_meaning=given.validated_data["confirms_meaning"],
                password=given.validated_data["password"],
                code=given.validated_data.get("code", ""),
                # Django's request: allauth's login limits read the address from it.
                request=request._request,
                language=given.validated_data.get("language")
                or selectors.reading_language(get_language()),
            )
        except services.NoConsentInProgress:
            raise ValidationError(START_FIRST) from None
        except TooManyAttempts as refusal:
            throttled = exceptions.Throttled(detail=str(refusal))
            throttled.wait = refusal.retry_after_seconds  # becomes Retry-After
            raise throttled from None
        # A repeated request gets the same signature back, so the same record.
        record = selectors.consent_records(request.user).get(pk=signature.consent_id)
        return Response(ConsentRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class WithdrawView(APIView):
    """Withdraw the latest signed consent, with an optional reason."""

    permission_classes = PATIENTS

    @extend_schema(request=WithdrawRequestSerializer, responses={201: ConsentRecordSerializer})
    def post(self, request):
        given = WithdrawRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        withdrawal = services.withdraw_consent(
            patient=request.user, reason=given.validated_data.get("reason", ""), request=request
        )
        record = selectors.consent_records(request.user).get(pk=withdrawal.consent_id)
        return Response(ConsentRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class NotesViewedRecordsMixin:
    """Each signed record a list hands out is noted as viewed, by whom and from where."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = page if page is not None else list(queryset)
        for consent in records:
            if consent.is_signed:
                services.note_record_viewed(consent=consent, viewer=request.user, request=request)
        data = self.get_serializer(records, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class MyRecordsView(NotesViewedRecordsMixin, generics.ListAPIView):
    """Every consent record of the patient: progress, signature, withdrawal."""

    permission_classes = PATIENTS
    serializer_class = ConsentRecordSerializer

    def get_queryset(self):
        return selectors.consent_records(self.request.user)


class RecordView(generics.RetrieveAPIView):
    """One consent record, for the patient or a therapist in their care team."""

    serializer_class = ConsentRecordSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return selectors.consent_records(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        consent = self.get_object()
        if consent.is_signed:
            services.note_record_viewed(consent=consent, viewer=request.user, request=request)
        return Response(self.get_serializer(consent).data)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfUnavailableError(exceptions.APIException):
    """503: this server cannot make PDFs now (WeasyPrint lacks Pango; `manage.py check` says so).

    The exports API answers the same way for its PDF.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("PDFs cannot be made on this server right now.")
    default_code = "pdf_unavailable"


PDF_UNAVAILABLE_RESPONSE = OpenApiResponse(
    response=ErrorSerializer,
    description="This server cannot make PDFs right now; the other formats still work.",
)


class RecordPdfView(APIView):
    """The signed copy as a PDF."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The signed copy"
            ),
            (503, "application/json"): PDF_UNAVAILABLE_RESPONSE,
        }
    )
    def get(self, request, public_id):
        consent = selectors.signed_consent_or_404(request.user, public_id)
        try:
            pdf = signed_copy_pdf(consent=consent, request=request)
        except PdfUnavailable:
            record = reverse("api:consent_record", args=[consent.public_id])
            raise PdfUnavailableError(
                gettext(
                    "The PDF cannot be made on this server right now. The same signed record "
                    "is at GET %(record)s, and on the web as a printable copy."
                )
                % {"record": record}
            ) from None
        # Noted once the PDF exists: a copy that could not be made was not seen.
        services.note_record_viewed(
            consent=consent, viewer=request.user, request=request, what="pdf"
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = signed_copy_filename(consent)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def handle_exception(self, exc):
        # An error is JSON in the API's one shape, even when the client asked for a PDF.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class PatientRecordsView(NotesViewedRecordsMixin, generics.ListAPIView):
    """A therapist's view of one of their patients' consent records."""

    permission_classes = THERAPISTS
    serializer_class = ConsentRecordSerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.consent_records(self.request.user, patient=patient)


class PatientQuestionsView(generics.ListAPIView):
    """A patient's consent questions, for their therapist to answer."""

    permission_classes = THERAPISTS
    serializer_class = CareTeamQuestionSerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        questions = selectors.consent_questions(self.request.user, patient=patient)
        return questions.order_by("-asked_at", "-pk")


class AnswerQuestionView(APIView):
    """A therapist answers a patient's consent question."""

    permission_classes = THERAPISTS

    @extend_schema(request=AnswerQuestionRequestSerializer, responses=CareTeamQuestionSerializer)
    def post(self, request, public_id):
        question = selectors.consent_question_or_404(request.user, public_id)
        if not access.can_answer_consent_question(request.user, question):
            raise PermissionDenied(gettext("Only a therapist in the patient's care team answers."))
        given = AnswerQuestionRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.answer_care_team_question(
            question=question, therapist=request.user, text=given.validated_data["answer"]
        )
        return Response(CareTeamQuestionSerializer(question).data)

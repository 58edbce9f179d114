"""Consent through the API: the same services and access rules as the web pages."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from consent import services
from consent.models import CareTeamQuestion, Consent, ConsentVersion
from consent.pdf import signed_copy_filename, signed_copy_pdf
from consent.presenters import status_label
from consent.selectors import ConsentStatus
from consent.serializers import (
    AcknowledgeRequestSerializer,
    AnswerQuestionRequestSerializer,
    AnswerRequestSerializer,
    AskRequestSerializer,
    CareTeamQuestionSerializer,
    ConsentOverviewSerializer,
    ConsentRecordSerializer,
    QuizAttemptSerializer,
    SectionProgressSerializer,
    SignRequestSerializer,
    WithdrawRequestSerializer,
)


def _overview(patient):
    version = ConsentVersion.objects.current()
    status_ = ConsentStatus(patient, version)
    active = services.active_consent(patient=patient)
    next_section = active.next_section() if active else None
    changed = (
        version.changed_section_slugs(status_.signed.version)
        if version and status_.signed
        else set()
    )
    done, total = status_.progress
    return {
        "document": version,
        "status": {
            "kind": status_.kind,
            "label": status_label(status_),
            "acknowledged": done,
            "section_count": total,
            "is_reconsenting": status_.is_reconsenting,
            "active_consent": active.public_id if active else None,
            "next_section": next_section.position if next_section else None,
            "changed_sections": sorted(changed),
            "signed_consent": status_.signed.public_id if status_.signed else None,
        },
    }


class ConsentOverviewView(APIView):
    """The current consent document and where the patient stands with it."""

    permission_classes = PATIENTS

    @extend_schema(responses=ConsentOverviewSerializer)
    def get(self, request):
        return Response(ConsentOverviewSerializer(_overview(request.user)).data)


class ConsentStartView(APIView):
    """Begin (or resume) reading the current version."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses=ConsentOverviewSerializer)
    def post(self, request):
        services.start_consent(patient=request.user)
        return Response(ConsentOverviewSerializer(_overview(request.user)).data)


def _active_consent(patient):
    consent = services.active_consent(patient=patient)
    if consent is None:
        raise ValidationError("Start the consent first: POST /api/v1/consent/start/.")
    return consent


def _section_progress(consent, section):
    acknowledgement = consent.acknowledgements.filter(section=section).first()
    signed = services.latest_signed_consent(patient=consent.patient)
    changed = consent.version.changed_section_slugs(signed.version) if signed else set()
    return {
        "section": section,
        "step_count": consent.version.sections.count(),
        "opened_at": acknowledgement.opened_at if acknowledgement else None,
        "acknowledged_at": acknowledgement.acknowledged_at if acknowledgement else None,
        "has_passed_question": consent.has_passed_question(section),
        "is_changed": section.slug in changed,
        "attempts": consent.quiz_attempts.filter(section=section).select_related("section"),
        "questions": consent.questions.filter(section=section).select_related(
            "section", "answered_by"
        ),
    }


class SectionMixin:
    permission_classes = PATIENTS

    def consent_and_section(self):
        consent = _active_consent(self.request.user)
        section = get_object_or_404(consent.version.sections, position=self.kwargs["position"])
        return consent, section


class SectionView(SectionMixin, APIView):
    """Read a section. Opening it is recorded, as on the web; sections open in order."""

    @extend_schema(responses=SectionProgressSerializer)
    def get(self, request, position):
        consent, section = self.consent_and_section()
        services.open_section(consent=consent, section=section)
        return Response(SectionProgressSerializer(_section_progress(consent, section)).data)


class AcknowledgeView(SectionMixin, APIView):
    @extend_schema(request=AcknowledgeRequestSerializer, responses=SectionProgressSerializer)
    def post(self, request, position):
        consent, section = self.consent_and_section()
        given = AcknowledgeRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.acknowledge_section(
            consent=consent, section=section, confirmed=given.validated_data["confirmed"]
        )
        return Response(SectionProgressSerializer(_section_progress(consent, section)).data)


class AnswerView(SectionMixin, APIView):
    """Answer a section's question. A wrong answer comes back with the explanation."""

    @extend_schema(request=AnswerRequestSerializer, responses={201: QuizAttemptSerializer})
    def post(self, request, position):
        consent, section = self.consent_and_section()
        given = AnswerRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        attempt = services.answer_question(
            consent=consent, section=section, choice=given.validated_data["choice"]
        )
        return Response(QuizAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


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
        return (
            CareTeamQuestion.objects.visible_to(self.request.user)
            .select_related("section", "answered_by")
            .order_by("-asked_at", "-pk")
        )


class SignView(APIView):
    """Sign the current version once every section is acknowledged."""

    permission_classes = PATIENTS

    @extend_schema(request=SignRequestSerializer, responses={201: ConsentRecordSerializer})
    def post(self, request):
        consent = services.active_consent(patient=request.user)
        given = SignRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if consent is None:
            # A repeated request after signing: answer with what was signed.
            signed = services.latest_signed_consent(patient=request.user)
            if signed is None:
                _active_consent(request.user)
            return Response(ConsentRecordSerializer(signed).data, status=status.HTTP_201_CREATED)
        services.sign_consent(
            consent=consent,
            typed_name=given.validated_data["typed_name"],
            confirms_meaning=given.validated_data["confirms_meaning"],
            ip_address=request.META.get("REMOTE_ADDR"),
            user_agent=request.headers.get("User-Agent", ""),
        )
        consent = Consent.objects.with_record().get(pk=consent.pk)
        return Response(ConsentRecordSerializer(consent).data, status=status.HTTP_201_CREATED)


class WithdrawView(APIView):
    """Withdraw the latest signed consent, with an optional reason."""

    permission_classes = PATIENTS

    @extend_schema(request=WithdrawRequestSerializer, responses={201: ConsentRecordSerializer})
    def post(self, request):
        given = WithdrawRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        withdrawal = services.withdraw_consent(
            patient=request.user, reason=given.validated_data.get("reason", "")
        )
        consent = Consent.objects.with_record().get(pk=withdrawal.consent_id)
        return Response(ConsentRecordSerializer(consent).data, status=status.HTTP_201_CREATED)


def _records(user):
    return (
        Consent.objects.visible_to(user)
        .with_record()
        .prefetch_related("acknowledgements__section", "quiz_attempts__section")
        .order_by("-started_at", "-pk")
    )


class MyRecordsView(generics.ListAPIView):
    """Every consent record of the patient: progress, signature, withdrawal."""

    permission_classes = PATIENTS
    serializer_class = ConsentRecordSerializer

    def get_queryset(self):
        return _records(self.request.user)


class RecordView(generics.RetrieveAPIView):
    """One consent record, for the patient or a therapist in their care team."""

    serializer_class = ConsentRecordSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return _records(self.request.user)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class RecordPdfView(APIView):
    """The signed copy as a PDF."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The signed copy"
            )
        }
    )
    def get(self, request, public_id):
        consent = get_object_or_404(_records(request.user).signed(), public_id=public_id)
        response = HttpResponse(
            signed_copy_pdf(consent=consent, request=request), content_type="application/pdf"
        )
        filename = signed_copy_filename(consent)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class PatientRecordsView(generics.ListAPIView):
    """A therapist's view of one of their patients' consent records."""

    permission_classes = THERAPISTS
    serializer_class = ConsentRecordSerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return _records(self.request.user).filter(patient=patient)


class PatientQuestionsView(generics.ListAPIView):
    """A patient's consent questions, for their therapist to answer."""

    permission_classes = THERAPISTS
    serializer_class = CareTeamQuestionSerializer

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return (
            CareTeamQuestion.objects.visible_to(self.request.user)
            .filter(consent__patient=patient)
            .select_related("section", "answered_by")
            .order_by("-asked_at", "-pk")
        )


class AnswerQuestionView(APIView):
    """A therapist answers a patient's consent question."""

    permission_classes = THERAPISTS

    @extend_schema(request=AnswerQuestionRequestSerializer, responses=CareTeamQuestionSerializer)
    def post(self, request, public_id):
        question = get_object_or_404(
            CareTeamQuestion.objects.visible_to(request.user).select_related(
                "consent__patient", "section", "answered_by"
            ),
            public_id=public_id,
        )
        if not access.can_answer_consent_question(request.user, question):
            raise PermissionDenied("Only a therapist in the patient's care team answers.")
        given = AnswerQuestionRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.answer_care_team_question(
            question=question, therapist=request.user, text=given.validated_data["answer"]
        )
        return Response(CareTeamQuestionSerializer(question).data)

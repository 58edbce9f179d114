"""Measures through the API: the same access rules, selectors and services as the web pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from measures import selectors, services
from measures.serializers import (
    AlertSerializer,
    AnswerWriteSerializer,
    DueSerializer,
    MeasureResponseSerializer,
    MeasureSummarySerializer,
    MeasureVersionSerializer,
    ScheduleSerializer,
    ScheduleWriteSerializer,
    StartSerializer,
)


def _valid(serializer_class, request):
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    given = serializer_class(data=request.data)
    given.is_valid(raise_exception=True)
    return given.validated_data


def _measure(code):
    measure = selectors.measure_by_code(code)
    if measure is None:
        raise exceptions.ValidationError({"measure": [_("There is no measure with this code.")]})
    return measure


def _own_draft(request, public_id):
    response = selectors.response_or_404(request.user, public_id)
    if response.patient_id != request.user.pk:
        raise Http404("No such response.")
    return response


# --- Everyone: the measures -----------------------------------------------------------------


class MeasureListView(generics.ListAPIView):
    """Every measure the clinic uses, as its current version: items, scale, bands, rules."""

    serializer_class = MeasureVersionSerializer
    pagination_class = None

    def get_queryset(self):
        return [measure.current for measure in selectors.measures_with_current_versions()]


# --- The patient ---------------------------------------------------------------------------


class DueView(generics.ListAPIView):
    """The scheduled measures waiting for you now."""

    permission_classes = PATIENTS
    serializer_class = DueSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.due_measures(self.request.user)


class MyResponsesView(generics.ListCreateAPIView):
    """Your answers, newest first (POST starts a measure, or resumes your unfinished one)."""

    permission_classes = PATIENTS
    serializer_class = MeasureResponseSerializer

    def get_queryset(self):
        return selectors.responses(self.request.user, patient=self.request.user)

    @extend_schema(request=StartSerializer, responses={201: MeasureResponseSerializer})
    def post(self, request):
        measure = _measure(_valid(StartSerializer, request)["measure"])
        response = services.start_response(patient=request.user, measure=measure)
        return Response(MeasureResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ResponseView(APIView):
    """One response: yours (drafts too), or, for a therapist, a patient's submitted one."""

    @extend_schema(responses=MeasureResponseSerializer)
    def get(self, request, public_id):
        response = selectors.response_or_404(request.user, public_id)
        if access.is_therapist(request.user):
            services.show_responses(
                viewer=request.user, patient=response.patient, count=1, request=request
            )
        return Response(MeasureResponseSerializer(response).data)


class AnswerView(APIView):
    """Answer one question of your draft (again to change it). Sent answers never change."""

    permission_classes = PATIENTS

    @extend_schema(request=AnswerWriteSerializer, responses=MeasureResponseSerializer)
    def put(self, request, public_id, position):
        response = _own_draft(request, public_id)
        value = _valid(AnswerWriteSerializer, request)["value"]
        response = services.answer_item(response=response, position=position, value=value)
        return Response(MeasureResponseSerializer(response).data)


class SubmitView(APIView):
    """Send your finished answers to your care team. Sending twice changes nothing."""

    permission_classes = PATIENTS

    @extend_schema(request=None, responses=MeasureResponseSerializer)
    def post(self, request, public_id):
        response = _own_draft(request, public_id)
        response = services.submit_response(response=response, request=request)
        return Response(MeasureResponseSerializer(response).data)


# --- The therapist -----------------------------------------------------------------------------


class PatientMeasuresView(generics.ListAPIView):
    """Each measure for a patient in your care: schedule, latest score and band, change."""

    permission_classes = THERAPISTS
    serializer_class = MeasureSummarySerializer
    pagination_class = None

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        summaries = selectors.measure_summaries(self.request.user, patient)
        services.show_responses(
            viewer=self.request.user,
            patient=patient,
            count=sum(1 for summary in summaries if summary.latest_score is not None),
            request=self.request,
        )
        return summaries


class PatientResponsesView(generics.ListAPIView):
    """A patient's submitted answers, newest first, each with every answer."""

    permission_classes = THERAPISTS
    serializer_class = MeasureResponseSerializer

    def get_queryset(self):
        self.patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.responses(self.request.user, patient=self.patient)

    def list(self, request, *args, **kwargs):
        listed = super().list(request, *args, **kwargs)
        services.show_responses(
            viewer=request.user,
            patient=self.patient,
            count=len(listed.data.get("results", [])),
            request=request,
        )
        return listed


class PatientSchedulesView(generics.ListAPIView):
    """A patient's measure schedules (POST sets one: off, every N days, after every N sessions)."""

    permission_classes = THERAPISTS
    serializer_class = ScheduleSerializer
    pagination_class = None

    def get_queryset(self):
        patient = patient_or_404(self.request.user, self.kwargs["public_id"])
        return selectors.schedules(self.request.user, patient)

    @extend_schema(request=ScheduleWriteSerializer, responses=ScheduleSerializer)
    def post(self, request, public_id):
        patient = patient_or_404(request.user, public_id)
        if not access.can_set_measure_schedule(request.user, patient):
            raise Http404("No such patient.")
        given = _valid(ScheduleWriteSerializer, request)
        schedule = services.set_schedule(
            patient=patient,
            measure=_measure(given["measure"]),
            mode=given["mode"],
            interval=given.get("interval"),
            by=request.user,
            request=request,
        )
        return Response(ScheduleSerializer(schedule).data)


class AcknowledgeAlertView(APIView):
    """You have seen this alert: the patient is no longer marked urgent."""

    permission_classes = THERAPISTS

    @extend_schema(request=None, responses=AlertSerializer)
    def post(self, request, public_id):
        alert = selectors.alert_or_404(request.user, public_id)
        if not access.can_acknowledge_measure_alert(request.user, alert):
            raise Http404("No such alert.")
        alert = services.acknowledge_alert(alert=alert, by=request.user, request=request)
        return Response(AlertSerializer(alert).data)

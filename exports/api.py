"""The patient's own copy through the API: `GET /api/v1/me/export/?format=json|csv|pdf`.

The format is DRF's own `?format=` (or an Accept header): each format is a renderer, so
the schema lists them and the response types. The view hands the choice to the same
service as the web page.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.permissions import PATIENTS, THERAPISTS
from accounts.selectors import patient_or_404
from common.api_schema import ClinicAutoSchema
from common.rest import ErrorSerializer
from consent.api import PDF_UNAVAILABLE_RESPONSE, PdfUnavailableError
from consent.pdf import PdfUnavailable
from exports import services
from exports.responses import attachment
from exports.serializers import PatientExportSerializer


class _FileRenderer(BaseRenderer):
    """The view returns the finished file; this only names its format and media type."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CsvZipRenderer(_FileRenderer):
    media_type = "application/zip"
    format = "csv"


class PdfRenderer(_FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class ExportFormatNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a mistake to explain (400), not a missing page (404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            raise ValidationError({"format": [services.UNKNOWN_FORMAT]}) from None


class ExportSchema(ClinicAutoSchema):
    """Only a success is a file: every error is JSON (see `ExportView.handle_exception`)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in responses.items():
            if code != "200" and "content" in response:
                response["content"] = {
                    media_type: body
                    for media_type, body in response["content"].items()
                    if media_type == JSONRenderer.media_type
                }
        return responses


class ExportView(APIView):
    """Download a copy of everything of yours: your profile and care team, your sessions,
    your journal (drafts and private entries too, with your therapists' comments) and your
    consent records. `json` is complete and documented (docs/export-format.md), `csv` is a
    zip of one file per kind, `pdf` is your journal and consent records to read or print.
    Each download is recorded in the clinic's audit trail (the format and when, never what
    the file holds)."""

    permission_classes = PATIENTS
    renderer_classes = [JSONRenderer, CsvZipRenderer, PdfRenderer]
    content_negotiation_class = ExportFormatNegotiation
    schema = ExportSchema()

    @extend_schema(
        operation_id="me_export",
        parameters=[
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=list(services.FORMATS),
                description="json (the default), csv (a zip) or pdf.",
            )
        ],
        responses={
            (200, "application/json"): PatientExportSerializer,
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="One CSV file per kind, and a README."
            ),
            (200, "application/pdf"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="Your journal and consent records."
            ),
            (400, "application/json"): OpenApiResponse(
                response=ErrorSerializer, description="A format that is not offered."
            ),
            (503, "application/json"): PDF_UNAVAILABLE_RESPONSE,
        },
    )
    def get(self, request):
        try:
            export = services.export_records(
                patient=request.user, file_format=request.accepted_renderer.format, request=request
            )
        except PdfUnavailable:
            raise PdfUnavailableError(
                _(
                    "The PDF cannot be made on this server right now. "
                    "Ask for format=json or format=csv instead: they hold the same records."
                )
            ) from None
        return attachment(export)

    def handle_exception(self, exc):
        # An error is JSON in the API's one shape, whichever file format was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class FhirJsonRenderer(_FileRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


FHIR_RESPONSES = {
    (200, "application/fhir+json"): OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description=(
            "A FHIR R4 Bundle (type collection): the Patient, a Consent per signed consent "
            "with the signed PDF attached, and a Questionnaire and QuestionnaireResponses "
            "for the measures answered."
        ),
    ),
    (400, "application/json"): OpenApiResponse(
        response=ErrorSerializer, description="A format other than FHIR JSON."
    ),
    (503, "application/json"): PDF_UNAVAILABLE_RESPONSE,
}
FHIR_PDF_UNAVAILABLE = gettext_lazy(
    "The signed PDF that goes with each consent cannot be made on this server right now, "
    "so the FHIR export cannot be made either. Try again later."
)


FHIR_ONLY = gettext_lazy(
    "This download is FHIR JSON only: leave out format, or ask for format=fhir."
)


class FhirOnlyNegotiation(BaseContentNegotiation):
    """There is one format, FHIR JSON, whatever the Accept header; a `?format=` naming
    another is a mistake to explain (400)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if asked and asked not in {renderer.format for renderer in renderers}:
            raise ValidationError({"format": [FHIR_ONLY]})
        return (renderers[0], renderers[0].media_type)


class _FhirExportView(APIView):
    renderer_classes = [FhirJsonRenderer, JSONRenderer]
    content_negotiation_class = FhirOnlyNegotiation
    schema = ExportSchema()

    def export(self, request, patient):
        try:
            export = services.export_fhir(viewer=request.user, patient=patient, request=request)
        except PdfUnavailable:
            raise PdfUnavailableError(FHIR_PDF_UNAVAILABLE) from None
        return attachment(export)

    def handle_exception(self, exc):
        # An error is JSON in the API's one shape, as for the other downloads.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class MyFhirView(_FhirExportView):
    """Your signed consents and measure answers as FHIR R4 (a Bundle), for a clinic's record
    system. Each export is recorded in the clinic's audit trail."""

    permission_classes = PATIENTS

    @extend_schema(operation_id="me_fhir", responses=FHIR_RESPONSES)
    def get(self, request):
        return self.export(request, request.user)


class PatientFhirView(_FhirExportView):
    """One of your patients' signed consents and measure answers as FHIR R4 (a Bundle), to
    import into the clinic's record system. Each export is recorded in the audit trail."""

    permission_classes = THERAPISTS

    @extend_schema(operation_id="patient_fhir", responses=FHIR_RESPONSES)
    def get(self, request, public_id):
        return self.export(request, patient_or_404(request.user, public_id))

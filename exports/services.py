"""Making the patient's own copy: one file in the format they chose, recorded in the audit trail.

The web page and the API both call `export_records` (the patient's own copy) and
`export_fhir` (for a clinic's record system); neither builds a file itself.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import Kind
from audit.services import record_event
from consent.pdf import signed_copy_pdf
from exports import fhir, formats, selectors


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    suffix: str
    write: Callable


FORMATS = {
    "pdf": Format("pdf", "application/pdf", ".pdf", formats.as_pdf),
    "csv": Format("csv", "application/zip", "-csv.zip", formats.as_csv_zip),
    "json": Format("json", "application/json", ".json", formats.as_json),
}
UNKNOWN_FORMAT = _("Choose one of the formats offered: PDF, CSV or JSON.")


def _language_for(chosen, patient):
    """The PDF is for reading: in the patient's language (else the page's). CSV and JSON
    are a data format (docs/export-format.md), and FHIR a standard: English, whoever asks."""
    if chosen.name == "pdf":
        return patient.language or translation.get_language()
    return "en"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_records(*, patient, file_format, request=None):
    """Write everything of this patient's in one format, and record that they took a copy.

    Raises PermissionDenied for anyone but a patient (see `exports.selectors.records_of`)
    and ValidationError for a format not offered. The audit event says which format and
    when, from where (with `request`), and nothing of what the file holds.
    """
    chosen = FORMATS.get(file_format)
    if chosen is None:
        raise ValidationError({"format": UNKNOWN_FORMAT})
    records = selectors.records_of(patient)
    with translation.override(_language_for(chosen, patient)):
        content = chosen.write(records)
    record_event(
        Kind.EXPORTED,
        actor=patient,
        patient=patient,
        request=request,
        detail={"format": chosen.name},
    )
    made_on = timezone.localdate(records.exported_at).isoformat()
    return ExportFile(
        filename=f"my-records-{made_on}{chosen.suffix}",
        content_type=chosen.content_type,
        content=content,
    )


FHIR_CONTENT_TYPE = "application/fhir+json"


def export_fhir(*, viewer, patient, request):
    """The patient's signed consents and submitted measures as one FHIR R4 Bundle (JSON).

    For the patient themself or a therapist in their care team (PermissionDenied for
    anyone else). Each signed consent carries its signed copy as a PDF, made with the same
    request as the PDF downloads; raises PdfUnavailable when this server cannot make PDFs.
    The audit event says who exported whose records, how many of each, never what they say.
    The file is named by the patient's public id and the date, never by their name.
    """
    records = selectors.clinical_records_of(viewer=viewer, patient=patient)
    signed = [
        fhir.SignedConsentFile(
            consent=consent, pdf=signed_copy_pdf(consent=consent, request=request)
        )
        for consent in records.signed_consents
    ]
    bundle_id = uuid.uuid4()
    # A standard's words (codes, displays, labels) stay English, whoever asks.
    with translation.override("en"):
        document = fhir.bundle(
            patient=patient,
            signed_consents=signed,
            responses=records.measure_responses,
            exported_at=records.exported_at,
            bundle_id=bundle_id,
        )
    record_event(
        Kind.FHIR_EXPORTED,
        actor=viewer,
        patient=patient,
        target=str(bundle_id),
        request=request,
        detail={
            "consents": len(signed),
            "measure_responses": len(records.measure_responses),
        },
    )
    made_on = timezone.localdate(records.exported_at).isoformat()
    return ExportFile(
        filename=f"fhir-{patient.public_id}-{made_on}.json",
        content_type=FHIR_CONTENT_TYPE,
        content=document.model_dump_json(indent=2).encode("utf-8"),
    )

"""Making the patient's own copy: one file in the format they chose, recorded in the audit trail.

The web page and the API both call `export_records`; neither builds a file itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import Kind
from audit.services import record_event
from exports import formats, selectors


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
UNKNOWN_FORMAT = "Choose one of the formats offered: PDF, CSV or JSON."


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

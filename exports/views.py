"""The patient's page for taking their own copy, and the download itself.

Thin: the service builds the file and records the event; `exports.responses` hands it over.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.decorators import patient_required, therapist_required
from accounts.selectors import patient_or_404
from consent.pdf import PdfUnavailable
from exports import services
from exports.responses import attachment


@patient_required
@require_safe
def my_copy(request):
    return render(request, "exports/my_copy.html")


@patient_required
@require_safe
def download(request):
    try:
        export = services.export_records(
            patient=request.user, file_format=request.GET.get("format", ""), request=request
        )
    except ValidationError as error:
        # Only an edited address gets here: the page again, saying what to choose.
        return render(
            request,
            "exports/my_copy.html",
            {"problem": error.message_dict["format"][0]},
            status=422,
        )
    except PdfUnavailable:
        # The server lacks Pango (`manage.py check` says so); CSV and JSON still work.
        return render(request, "exports/records_pdf_unavailable.html", status=503)
    return attachment(export)


@therapist_required
@require_safe
def patient_fhir(request, public_id):
    """The therapist downloads a patient's consents and measures for the clinic's record system."""
    patient = patient_or_404(request.user, public_id)
    try:
        export = services.export_fhir(viewer=request.user, patient=patient, request=request)
    except PdfUnavailable:
        # The server lacks Pango (`manage.py check` says so): the Consent needs its PDF.
        return render(request, "exports/fhir_unavailable.html", {"patient": patient}, status=503)
    return attachment(export)

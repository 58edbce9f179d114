"""The signed copy as a PDF, made with WeasyPrint: the same for the web page and the API."""

from django.template.loader import render_to_string
from django.utils import timezone


def signed_copy_pdf(*, consent, request):
    from weasyprint import HTML  # heavy import, loaded only when a PDF is asked for

    html = render_to_string(
        "consent/consent_copy_pdf.html",
        {"consent": consent, "generated_at": timezone.now()},
        request=request,
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def signed_copy_filename(consent):
    signed_on = timezone.localdate(consent.signature.signed_at).isoformat()
    return f"consent-version-{consent.version.number}-signed-{signed_on}.pdf"

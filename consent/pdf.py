"""The signed copy as a PDF, made with WeasyPrint: the same for the web page and the API.

WeasyPrint fetches every URL a page mentions (stylesheets, images, fonts), from the server
itself. Our PDF needs none: its style is inline and its fonts are the system's. So it gets
a fetcher that refuses every URL; a link slipped into consent text can never make the
server call another machine (or one of its own internal addresses).
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from consent.selectors import seal_check, signed_version

# WeasyPrint draws text with Pango, a system library that pip cannot install. Without it
# `import weasyprint` raises OSError (cannot load library ...); `manage.py check` prints
# this line (consent/checks.py) and PDF links answer a kind page instead of an error.
PANGO_INSTALL = "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


class PdfUnavailable(Exception):
    """This server cannot make PDFs now: WeasyPrint or the system libraries it needs are missing."""


def pdf_problem():
    """Why this server cannot make PDFs (the import error, in words), or None if it can."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def signed_copy_pdf(*, consent, request):
    """The signed copy in the language signed, whatever language the reader uses."""
    with translation.override(consent.signature.language):
        html = render_to_string(
            "consent/consent_copy_pdf.html",
            {
                "consent": consent,
                "seal": seal_check(consent),
                "generated_at": timezone.now(),
                "signed_version": signed_version(consent),
            },
            request=request,
        )
    return html_to_pdf(html, base_url=request.build_absolute_uri("/"))


def signed_copy_filename(consent):
    signed_on = timezone.localdate(consent.signature.signed_at).isoformat()
    return f"consent-version-{consent.version.number}-signed-{signed_on}.pdf"


def html_to_pdf(html, *, base_url=None):
    """Render HTML to PDF bytes without fetching anything.

    Raises PdfUnavailable when WeasyPrint cannot load on this server (see PANGO_INSTALL).
    """
    try:
        from weasyprint import HTML  # heavy import, loaded only when a PDF is asked for
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"WeasyPrint cannot load: {error}. {PANGO_INSTALL}") from error

    return HTML(string=html, base_url=base_url, url_fetcher=_refusing_fetcher()).write_pdf()


def _refusing_fetcher():
    from weasyprint.urls import URLFetcher

    class RefuseEveryURL(URLFetcher):
        """WeasyPrint treats the ValueError as a missing resource and renders on."""

        def fetch(self, url, headers=None):
            raise ValueError("This PDF fetches no URLs.")

    return RefuseEveryURL()

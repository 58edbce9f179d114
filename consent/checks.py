"""System checks for what consent needs from the machine it runs on."""

from django.core.checks import Warning, register

from consent.pdf import PANGO_INSTALL, pdf_problem


@register()
def pdf_libraries(app_configs, **kwargs):
    """Signed copies and patients' own copies are PDFs; WeasyPrint needs Pango to make them.

    A warning, not an error: everything else works, and the PDF links answer a kind page
    offering the printable copy until the libraries are installed.
    """
    problem = pdf_problem()
    if problem is None:
        return []
    return [
        Warning(
            f"PDFs cannot be made on this server: WeasyPrint does not load ({problem}). "
            "Signed consent copies and patients' own copies answer 'PDF not available' "
            "until Debian's Pango is installed (pip cannot install it); run as root:",
            hint=PANGO_INSTALL,
            id="consent.W001",
        )
    ]

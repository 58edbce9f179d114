"""On a fresh machine without Debian's Pango, PDFs fail kindly and `manage.py check` says why.

WeasyPrint loads Pango through cffi when it is imported; without the library the import
raises OSError ("cannot load library 'libpango-1.0-0'"). Both ways an import can fail are
simulated: a None in sys.modules (ImportError, as if WeasyPrint were not installed) and a
module finder that raises OSError, as WeasyPrint does without Pango. Every PDF link, on the
web and in the API, then answers 503 with a way to the same records instead of a 500.
"""

import importlib.abc
import sys
import types
from io import StringIO

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent, Kind
from tests.factories.consent import signed_consent

APT_GET_LINE = "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
NO_PANGO = (
    "cannot load library 'libpango-1.0-0': libpango-1.0-0: "
    "cannot open shared object file: No such file or directory"
)


class PangoMissing(importlib.abc.MetaPathFinder):
    """Fails `import weasyprint` with the OSError WeasyPrint raises when Pango is missing."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError(NO_PANGO)
        return None


@pytest.fixture(params=[ImportError, OSError], ids=["ImportError", "OSError"])
def without_pango(request, monkeypatch):
    """This machine as if WeasyPrint could not load; the error class it raises is returned."""
    if request.param is ImportError:
        monkeypatch.setitem(sys.modules, "weasyprint", None)
    else:
        monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
        monkeypatch.setattr(sys, "meta_path", [PangoMissing(), *sys.meta_path])
    with pytest.raises(request.param):
        import weasyprint  # noqa: F401
    return request.param


@pytest.fixture
def sams_signed_consent(patient, consent_version):
    return signed_consent(patient, consent_version)


def pdf_views_recorded():
    return AuditEvent.objects.filter(kind__in=[Kind.CONSENT_PDF_VIEWED, Kind.EXPORTED])


def api_for(person):
    api = APIClient()
    api.force_authenticate(user=person)
    return api


# --- The check ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_manage_py_check_warns_with_the_apt_get_line(without_pango):
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    printed = out.getvalue() + err.getvalue()

    assert "consent.W001" in printed
    assert "PDFs cannot be made on this server: WeasyPrint does not load" in printed
    # The command on a line of its own, to copy and paste.
    assert f"HINT: {APT_GET_LINE}" in [line.strip() for line in printed.splitlines()]


@pytest.mark.django_db
def test_manage_py_check_is_quiet_when_weasyprint_loads(monkeypatch):
    # Stands in for a loadable WeasyPrint, so the test holds on a machine without Pango too.
    monkeypatch.setitem(sys.modules, "weasyprint", types.ModuleType("weasyprint"))

    assert [issue for issue in run_checks() if issue.id == "consent.W001"] == []


# --- The signed consent, on the web and in the API -------------------------------------------


@pytest.mark.parametrize("viewer", ["patient", "therapist"])
def test_the_consent_pdf_link_offers_the_printable_copy_instead_of_an_error(
    request, client_for, sams_signed_consent, without_pango, viewer
):
    client = client_for(request.getfixturevalue(viewer))
    response = client.get(reverse("consent:copy_pdf", args=[sams_signed_consent.public_id]))
    page = response.content.decode()

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "The PDF can't be made right now" in page
    printable = reverse("consent:copy", args=[sams_signed_consent.public_id])
    assert f'href="{printable}"' in page
    assert not pdf_views_recorded().exists()

    # The printable copy itself needs no PDF library.
    assert client.get(printable).status_code == 200


@pytest.mark.parametrize("accept", ["application/json", "application/pdf"])
def test_the_consent_pdf_endpoint_answers_503_in_the_api_error_shape(
    patient, sams_signed_consent, without_pango, accept
):
    response = api_for(patient).get(
        reverse("api:consent_record_pdf", args=[sams_signed_consent.public_id]),
        HTTP_ACCEPT=accept,
    )

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    record = reverse("api:consent_record", args=[sams_signed_consent.public_id])
    assert response.json() == {
        "message": (
            "The PDF cannot be made on this server right now. The same signed record is at "
            f"GET {record}, and on the web as a printable copy."
        ),
        "errors": {},
    }
    assert not pdf_views_recorded().exists()


def test_someone_elses_consent_pdf_is_still_a_404_without_pango(
    client_for, other_therapist, sams_signed_consent, without_pango
):
    client = client_for(other_therapist)
    response = client.get(reverse("consent:copy_pdf", args=[sams_signed_consent.public_id]))

    assert response.status_code == 404


# --- The patient's own copy, on the web and in the API ----------------------------------------


def test_the_export_pdf_link_offers_the_other_formats_instead_of_an_error(
    client_for, patient, without_pango
):
    client = client_for(patient)
    download = reverse("exports:download")
    response = client.get(download, {"format": "pdf"})
    page = response.content.decode()

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "The PDF can't be made right now" in page
    assert f'href="{download}?format=csv"' in page
    assert f'href="{download}?format=json"' in page
    assert not pdf_views_recorded().exists()

    # The other formats need no PDF library.
    assert client.get(download, {"format": "csv"}).status_code == 200


@pytest.mark.parametrize(("query", "accept"), [({"format": "pdf"}, "*/*"), ({}, "application/pdf")])
def test_the_export_pdf_endpoint_answers_503_in_the_api_error_shape(
    patient, without_pango, query, accept
):
    response = api_for(patient).get(reverse("api:me_export"), query, HTTP_ACCEPT=accept)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": (
            "The PDF cannot be made on this server right now. "
            "Ask for format=json or format=csv instead: they hold the same records."
        ),
        "errors": {},
    }
    assert not pdf_views_recorded().exists()

"""Sam takes his copy from his phone or through the API; nobody else gets one, of anyone.

The files' contents are checked in test_what_the_copy_holds.py; here, the front ends.
"""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tokens import issue_token
from audit.models import AuditEvent, Kind
from tests.exports.conftest import SAMS_SHARED_WORDS
from tests.factories.journal import EntryFactory

PAGE = reverse("exports:my_copy")
DOWNLOAD = reverse("exports:download")
API = "/api/v1/me/export/"
TYPES = {"json": "application/json", "csv": "application/zip", "pdf": "application/pdf"}
SUFFIXES = {"json": ".json", "csv": "-csv.zip", "pdf": ".pdf"}


@pytest.fixture
def sams_entry(patient):
    return EntryFactory(patient=patient, shared=True, body=SAMS_SHARED_WORDS)


def exports_recorded():
    return AuditEvent.objects.filter(kind=Kind.EXPORTED)


def assert_is_a_download(response, file_format):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == TYPES[file_format]
    today = timezone.localdate().isoformat()
    filename = f"my-records-{today}{SUFFIXES[file_format]}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    # Nothing of it stays in a browser's or a proxy's cache on a shared phone.
    assert "no-store" in response["Cache-Control"]


# --- On the web ---------------------------------------------------------------------------------


def test_sams_home_leads_to_his_copy(client_for, patient):
    page = client_for(patient).get(reverse("care:patient_home")).content.decode()

    assert f'href="{PAGE}"' in page


def test_the_page_explains_each_format_with_a_plain_download_link(client_for, patient):
    response = client_for(patient).get(PAGE)
    page = response.content.decode()

    assert response.status_code == 200
    for file_format in ("pdf", "csv", "json"):
        assert f'href="{DOWNLOAD}?format={file_format}"' in page
    assert "To read or print: PDF" in page and "For a spreadsheet: CSV" in page
    assert "For another app: JSON" in page
    assert "psychotherapy notes" in page


@pytest.mark.parametrize("file_format", ["json", "csv", "pdf"])
def test_sam_downloads_each_format_and_it_is_recorded(client_for, patient, sams_entry, file_format):
    client = client_for(patient)

    response = client.get(DOWNLOAD, {"format": file_format}, HTTP_USER_AGENT="Sam's phone")

    assert_is_a_download(response, file_format)
    (event,) = exports_recorded()
    assert (event.actor, event.patient, event.detail) == (patient, patient, {"format": file_format})
    assert (event.ip_address, event.user_agent) == ("127.0.0.1", "Sam's phone")


def test_the_json_download_holds_his_entry(client_for, patient, sams_entry):
    response = client_for(patient).get(DOWNLOAD, {"format": "json"})

    assert SAMS_SHARED_WORDS in response.content.decode("utf-8")


def test_an_edited_address_gets_the_page_again_with_what_to_choose(client_for, patient):
    response = client_for(patient).get(DOWNLOAD, {"format": "docx"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose one of the formats offered: PDF, CSV or JSON." in page
    assert f'href="{DOWNLOAD}?format=pdf"' in page
    assert not exports_recorded().exists()


def test_a_download_is_a_plain_get(client_for, patient):
    assert client_for(patient).post(DOWNLOAD, {"format": "json"}).status_code == 405
    assert not exports_recorded().exists()


@pytest.mark.parametrize("role", ["therapist", "other_therapist", "clinic_admin"])
@pytest.mark.parametrize("url", [PAGE, f"{DOWNLOAD}?format=json"])
def test_staff_are_refused_the_page_and_the_download(request, client_for, sams_entry, role, url):
    response = client_for(request.getfixturevalue(role)).get(url)

    assert response.status_code == 403
    assert SAMS_SHARED_WORDS not in response.content.decode()
    assert not exports_recorded().exists()


@pytest.mark.parametrize("url", [PAGE, f"{DOWNLOAD}?format=json"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_grace_downloads_only_her_own_records(client_for, other_patient, sams_entry):
    response = client_for(other_patient).get(DOWNLOAD, {"format": "csv"})

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert SAMS_SHARED_WORDS not in everything
    assert str(sams_entry.public_id) not in everything
    (event,) = exports_recorded()
    assert event.patient == other_patient


# --- Through the API ------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["json", "csv", "pdf"])
def test_sam_downloads_each_format_through_the_api(api_as, patient, sams_entry, file_format):
    response = api_as(patient).get(API, {"format": file_format})

    assert_is_a_download(response, file_format)
    assert exports_recorded().get().detail == {"format": file_format}


def test_json_is_the_default_and_accept_chooses_too(api_as, patient):
    client = api_as(patient)

    assert_is_a_download(client.get(API), "json")
    assert_is_a_download(client.get(API, HTTP_ACCEPT="application/pdf"), "pdf")


def test_a_native_app_downloads_with_its_token(api, patient, sams_entry):
    token = issue_token(user=patient, device_name="Sam's iPhone").token

    response = api.get(API, {"format": "json"}, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert_is_a_download(response, "json")
    assert SAMS_SHARED_WORDS in response.content.decode("utf-8")


def test_an_unknown_format_is_a_400_that_says_what_to_choose(api_as, patient):
    response = api_as(patient).get(API, {"format": "xlsx"})

    assert response.status_code == 400
    assert response.json() == {
        "message": "Please check the highlighted fields.",
        "errors": {"format": ["Choose one of the formats offered: PDF, CSV or JSON."]},
    }
    assert not exports_recorded().exists()


@pytest.mark.parametrize("role", ["therapist", "other_therapist", "clinic_admin"])
@pytest.mark.parametrize("file_format", ["json", "pdf"])
def test_staff_get_403_in_json_whatever_format_they_ask(request, api_as, role, file_format):
    response = api_as(request.getfixturevalue(role)).get(API, {"format": file_format})

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"] == "This is for patients."
    assert not exports_recorded().exists()


def test_anonymous_callers_get_401(api):
    response = api.get(API, {"format": "pdf"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response["Content-Type"] == "application/json"


def test_the_schema_documents_the_formats_and_what_each_returns(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/me/export/"]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == "format"]
    assert set(parameter["schema"]["enum"]) == {"pdf", "csv", "json"}
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/json", "application/zip", "application/pdf"}
    assert content["application/json"]["schema"]["$ref"].endswith("/PatientExport")
    # Errors are JSON, whichever format was asked for.
    for code in ("400", "401", "403"):
        assert set(operation["responses"][code]["content"]) == {"application/json"}, code

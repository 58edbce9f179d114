"""The clinic's number is shown as people read it and dialled from a valid `tel:` link.

`tel:(555) 010-0199` is not a URI (the Nu HTML checker rejects it, and some phones dial
nothing), so links take CLINIC_PHONE_TEL, a global number, while the text keeps CLINIC_PHONE.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.commands import PRODUCTION_ENV, manage

VALID_TEL = re.compile(r"^tel:\+?[0-9]+$")
CRISIS = "Some nights I want to kill myself."


def _tel_links(html):
    return re.findall(r'href="(tel:[^"]*)"', html)


def _write(client, intent, **headers):
    fields = {"draft_key": str(uuid.uuid4()), "body": CRISIS, "is_shared": "False"}
    return client.post("/journal/write/", {**fields, "intent": intent}, **headers)


@override_settings(CLINIC_PHONE="(555) 010-4242", CLINIC_PHONE_TEL="+15550104242")
def test_crisis_help_after_saving_dials_the_clinic_from_a_valid_link(client_for, patient):
    client = client_for(patient)
    entry_page = client.get(_write(client, "submit")["Location"]).content.decode()

    links = _tel_links(entry_page)
    assert "tel:+15550104242" in links
    assert [link for link in links if not VALID_TEL.match(link)] == []
    assert "Call the clinic: (555) 010-4242" in entry_page


@override_settings(CLINIC_PHONE="(555) 010-4242", CLINIC_PHONE_TEL="+15550104242")
def test_crisis_help_brought_in_by_an_autosave_dials_the_clinic_from_a_valid_link(
    client_for, patient
):
    client = client_for(patient)
    fragment = _write(client, "autosave", HTTP_HX_REQUEST="true").content.decode()

    assert "Call the clinic: (555) 010-4242" in fragment
    links = _tel_links(fragment)
    assert "tel:+15550104242" in links
    assert [link for link in links if not VALID_TEL.match(link)] == []


@override_settings(CLINIC_PHONE="(555) 010-4242", CLINIC_PHONE_TEL="+15550104242")
def test_the_account_email_page_dials_the_clinic_from_a_valid_link(client_for, patient):
    page = client_for(patient).get(reverse("account_email")).content.decode()

    links = _tel_links(page)
    # Once in the text ("ask the clinic: call ...") and once in the footer of every page.
    assert links.count("tel:+15550104242") == 2
    assert [link for link in links if not VALID_TEL.match(link)] == []
    assert ">(555) 010-4242</a>" in page


@pytest.mark.parametrize(
    "malformed",
    [
        "(555) 010-0199",
        "15550100199",
        "+1 555 010 0199",
        "+1-555-010-0199",
        "+",
        "+1234567890123456",
    ],
)
def test_a_clinic_number_that_is_not_a_global_number_is_refused(malformed):
    result = manage("check", **{**PRODUCTION_ENV, "CLINIC_PHONE_TEL": malformed})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CLINIC_PHONE_TEL" in result.stderr


def test_a_clinic_number_in_another_country_is_accepted():
    result = manage("check", **{**PRODUCTION_ENV, "CLINIC_PHONE_TEL": "+442079460958"})
    assert result.returncode == 0, result.stderr


def test_no_template_dials_the_friendly_number():
    """Every `tel:` in a template is the setting made for links, or a number written out."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    written = {
        f"{path.relative_to(templates)}: {href}"
        for path in templates.rglob("*.html")
        for href in _tel_links(path.read_text())
    }
    allowed = re.compile(r"^tel:(\{\{ CLINIC_PHONE_TEL \}\}|\+?[0-9]+)$")
    assert written, "no tel: link found in the templates"
    assert {link for link in written if not allowed.match(link.split(": ", 1)[1])} == set()

"""A patient signs by typing their name, and keeps a copy they can trust years later."""

import hashlib

import pytest
from django.urls import reverse

from consent.models import Signature
from tests.factories.accounts import TEST_PASSWORD


@pytest.fixture
def ready_to_sign(client, patient, consent_version, read_sections):
    client.force_login(patient)
    read_sections(client, consent_version)
    return client


def sign(client, name="Sam Rivera", confirms=True, password=TEST_PASSWORD):
    data = {"typed_name": name, "password": password}
    if confirms:
        data["confirms_meaning"] = "on"
    return client.post(reverse("consent:sign"), data)


def test_sign_page_explains_what_the_signature_means(ready_to_sign, consent_version):
    page = ready_to_sign.get(reverse("consent:sign")).content.decode()
    assert "What your signature means" in page
    assert f"version {consent_version.number}" in page
    assert "As on your account: Sam Rivera" in page


@pytest.mark.parametrize("typed", ["Sam Rivera", "  sam   RIVERA ", "SAM RIVERA"])
def test_the_name_matches_ignoring_case_and_extra_spaces(ready_to_sign, typed):
    assert sign(ready_to_sign, typed).status_code == 303
    assert Signature.objects.count() == 1


@pytest.mark.parametrize("typed", ["Sam", "Sam Riviera", "Rivera Sam", "<script>Sam</script>"])
def test_a_name_that_does_not_match_is_refused_with_the_reason(ready_to_sign, typed):
    response = sign(ready_to_sign, typed)
    assert response.status_code == 422
    page = response.content.decode()
    assert "does not match the name on your account" in page
    assert "<script>Sam" not in page
    assert not Signature.objects.exists()


def test_an_empty_name_is_refused(ready_to_sign):
    response = sign(ready_to_sign, "")
    assert response.status_code == 422
    assert "Type your full name to sign" in response.content.decode()


def test_the_meaning_must_be_confirmed(ready_to_sign):
    response = sign(ready_to_sign, confirms=False)
    assert response.status_code == 422
    assert "Tick the box to confirm what your signature means" in response.content.decode()
    assert not Signature.objects.exists()


def test_signing_before_reading_everything_is_refused(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version, upto=10)
    response = sign(client)
    assert response.status_code == 303
    assert response["Location"] == reverse("consent:step", args=[11])
    assert not Signature.objects.exists()


def test_the_signature_keeps_the_text_its_fingerprint_and_where_it_came_from(
    ready_to_sign, patient, consent_version
):
    ready_to_sign.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
        headers={"User-Agent": "Phone browser 1.0"},
        REMOTE_ADDR="203.0.113.7",
    )
    signature = Signature.objects.get(consent__patient=patient)
    assert signature.consent.version == consent_version
    assert signature.signed_text == consent_version.canonical_text()
    assert signature.fingerprint == hashlib.sha256(signature.signed_text.encode()).hexdigest()
    assert signature.fingerprint == consent_version.fingerprint()
    for section in consent_version.ordered_sections():
        assert section.title in signature.signed_text
    assert signature.ip_address == "203.0.113.7"
    assert signature.user_agent == "Phone browser 1.0"
    assert "I agree to take part" in signature.meaning
    assert signature.typed_name == "Sam Rivera"


def test_a_double_submit_signs_once_and_shows_the_confirmation(ready_to_sign, patient):
    first = sign(ready_to_sign)
    second = sign(ready_to_sign)
    assert Signature.objects.count() == 1
    assert first["Location"] == second["Location"]
    page = ready_to_sign.get(first["Location"]).content.decode()
    assert "Your consent is signed" in page
    assert "Download the PDF" in page


def test_the_printable_copy_has_every_section_and_the_fingerprint(signed_consent, client, patient):
    client.force_login(patient)
    page = client.get(reverse("consent:copy", args=[signed_consent.public_id])).content.decode()
    assert "Sam Rivera" in page
    assert signed_consent.signature.fingerprint in page
    assert "The kept text matches this fingerprint" in page
    for section in signed_consent.version.ordered_sections():
        assert section.title in page


def test_the_patient_downloads_a_pdf_copy(signed_consent, client, patient):
    client.force_login(patient)
    response = client.get(reverse("consent:copy_pdf", args=[signed_consent.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert "consent-version-1-signed-" in response["Content-Disposition"]


def test_after_signing_home_and_overview_say_so(signed_consent, client, patient):
    client.force_login(patient)
    home = client.get(reverse("care:patient_home")).content.decode()
    assert "Your consent is signed" in home
    overview = client.get(reverse("consent:overview")).content.decode()
    assert "You signed this consent" in overview
    assert "Withdraw my consent" in overview

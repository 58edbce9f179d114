"""Maya sends Sam's signed consents and measure answers to the clinic's record system as FHIR.

Every file is parsed back with the `fhir.resources` R4B models: what the record system gets
is valid FHIR, and holds what the app keeps (the signed PDF with its hash, the answers with
their labels). Nobody outside Sam's care gets his, and each export is in the audit trail.
"""

import base64
import hashlib
import json
import sys

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from audit.models import AuditEvent, Kind
from consent import services as consent_services
from exports import services
from tests.factories.consent import sign_request, signed_consent
from tests.factories.measures import PHQ9_WITH_ITEM_9, answered

SAMS_REASON = "I need more time to decide about the second session."


@pytest.fixture
def sams_records(patient, other_patient, consent_version):
    """Sam signed the consent and answered the PHQ-9 once; a GAD-7 is half done. Grace too."""
    consent = signed_consent(patient, consent_version)
    phq9 = answered(patient, "phq9", PHQ9_WITH_ITEM_9, alert=False)
    answered(patient, "gad7", [1, 2], draft=True)
    signed_consent(other_patient, consent_version)
    answered(other_patient, "phq9", [0] * 9)
    return {"consent": consent, "phq9": phq9}


def export_as(viewer, patient):
    return services.export_fhir(viewer=viewer, patient=patient, request=sign_request())


def parsed(export):
    """The file as the record system reads it: a Bundle, validated by the R4B models."""
    return Bundle.model_validate_json(export.content)


def resources(bundle, resource_type):
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == resource_type]


def fhir_exports():
    return AuditEvent.objects.filter(kind=Kind.FHIR_EXPORTED)


# --- What the record system gets -----------------------------------------------------------


def test_the_bundle_is_a_valid_fhir_collection_of_sams_records(therapist, patient, sams_records):
    bundle = parsed(export_as(therapist, patient))

    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds == ["Patient", "Consent", "Questionnaire", "QuestionnaireResponse"]
    # Each part is itself valid on its own, as a record system stores it.
    for entry in bundle.entry:
        model = {
            "Patient": FhirPatient,
            "Consent": FhirConsent,
            "Questionnaire": Questionnaire,
            "QuestionnaireResponse": QuestionnaireResponse,
        }[entry.resource.get_resource_type()]
        model.model_validate_json(entry.resource.model_dump_json())
        assert entry.fullUrl == f"urn:uuid:{entry.resource.id}"


def test_the_patient_is_named_and_identified_by_the_clinics_public_id(
    therapist, patient, sams_records
):
    (fhir_patient,) = resources(parsed(export_as(therapist, patient)), "Patient")

    assert fhir_patient.identifier[0].system == "http://testserver/fhir/sid/patient"
    assert fhir_patient.identifier[0].value == str(patient.public_id)
    assert fhir_patient.name[0].family == "Rivera"
    assert fhir_patient.name[0].given == ["Sam"]


def test_a_signed_consent_is_an_active_treatment_consent_with_its_policy(
    therapist, patient, consent_version, sams_records
):
    (consent,) = resources(parsed(export_as(therapist, patient)), "Consent")
    signature = sams_records["consent"].signature

    assert consent.status == "active"
    assert consent.scope.coding[0].system == "http://terminology.hl7.org/CodeSystem/consentscope"
    assert consent.scope.coding[0].code == "treatment"
    assert consent.category[0].coding[0].system == "http://loinc.org"
    assert consent.category[0].coding[0].code == "59284-0"
    assert consent.patient.reference == f"urn:uuid:{patient.public_id}"
    assert consent.dateTime == timezone.localtime(signature.signed_at)
    assert consent.performer[0].reference == f"urn:uuid:{patient.public_id}"
    assert consent.performer[0].display == signature.typed_name
    assert consent.language == "en"
    assert consent.policyRule.coding[0].code == f"{consent_version.number}-en"
    assert consent.policy[0].uri.endswith(f"/consent-policy/version-{consent_version.number}/en")
    # Sam proved who he was with his password when he signed.
    assert consent.verification[0].verified is True
    assert consent.provision.type == "permit"
    fingerprints = [i.value for i in consent.identifier if i.system.endswith("consent-text-sha256")]
    assert fingerprints == [signature.fingerprint]


def test_the_signed_pdf_is_attached_with_the_sha1_hash_fhir_requires(
    therapist, patient, consent_version, sams_records
):
    export = export_as(therapist, patient)
    # On the wire, as FHIR says: the bytes and the SHA-1 of them, each in base64.
    (entry,) = [
        e for e in json.loads(export.content)["entry"] if e["resource"]["resourceType"] == "Consent"
    ]
    attachment = entry["resource"]["sourceAttachment"]
    pdf = base64.b64decode(attachment["data"], validate=True)

    assert attachment["contentType"] == "application/pdf"
    assert pdf.startswith(b"%PDF-")
    assert attachment["size"] == len(pdf)
    sha1 = hashlib.sha1(pdf).digest()  # noqa: S324  (FHIR's Attachment.hash is SHA-1)
    assert base64.b64decode(attachment["hash"], validate=True) == sha1
    assert f"version {consent_version.number}" in attachment["title"]
    assert attachment["language"] == "en"
    # And the models read the same bytes back.
    (consent,) = resources(parsed(export), "Consent")
    assert consent.sourceAttachment.data == pdf
    assert consent.sourceAttachment.hash == sha1


def test_a_withdrawn_consent_is_inactive_and_denies_from_the_withdrawal_on(
    therapist, patient, sams_records
):
    withdrawal = consent_services.withdraw_consent(patient=patient, reason=SAMS_REASON)
    export = export_as(therapist, patient)
    (consent,) = resources(parsed(export), "Consent")

    assert consent.status == "inactive"
    assert consent.provision.type == "deny"
    assert consent.provision.period.start == timezone.localtime(withdrawal.withdrawn_at)
    # His reason is his own words: it stays in the app.
    assert SAMS_REASON.encode() not in export.content


def test_the_questionnaire_carries_the_measure_version_items_answers_and_attribution(
    therapist, patient, sams_records
):
    (questionnaire,) = resources(parsed(export_as(therapist, patient)), "Questionnaire")
    version = sams_records["phq9"].version

    assert questionnaire.url == "http://testserver/fhir/Questionnaire/phq9"
    assert questionnaire.version == str(version.number)
    assert questionnaire.status == "active"
    assert questionnaire.copyright == version.attribution
    choice_items = [item for item in questionnaire.item if item.type == "choice"]
    assert [item.text for item in choice_items] == version.items
    options = [option.valueCoding for option in choice_items[0].answerOption]
    assert [(coding.code, coding.display) for coding in options] == [
        ("0", "Not at all"),
        ("1", "Several days"),
        ("2", "More than half the days"),
        ("3", "Nearly every day"),
    ]


def test_each_submitted_answer_set_is_a_completed_response_with_labels_and_total(
    therapist, patient, sams_records
):
    (response,) = resources(parsed(export_as(therapist, patient)), "QuestionnaireResponse")
    phq9 = sams_records["phq9"]

    assert response.status == "completed"
    assert (
        response.questionnaire == f"http://testserver/fhir/Questionnaire/phq9|{phq9.version.number}"
    )
    assert response.subject.reference == f"urn:uuid:{patient.public_id}"
    assert response.authored == timezone.localtime(phq9.submitted_at)
    answers = {item.linkId: item.answer[0] for item in response.item}
    assert answers["3"].valueCoding.code == "2"
    assert answers["3"].valueCoding.display == "More than half the days"
    assert answers["total"].valueInteger == phq9.total_score == sum(PHQ9_WITH_ITEM_9)


def test_the_half_done_measure_and_grace_s_records_stay_out(
    therapist, patient, other_patient, sams_records
):
    bundle = parsed(export_as(therapist, patient))
    text = bundle.model_dump_json()

    assert len(resources(bundle, "QuestionnaireResponse")) == 1  # not the GAD-7 draft
    assert resources(bundle, "Questionnaire")[0].url.endswith("/phq9")
    assert str(other_patient.public_id) not in text
    assert "Grace" not in text


def test_a_patient_with_nothing_signed_or_answered_gets_just_their_patient_resource(
    therapist, patient
):
    bundle = parsed(export_as(therapist, patient))

    assert [entry.resource.get_resource_type() for entry in bundle.entry] == ["Patient"]


# --- The audit trail ----------------------------------------------------------------------


def test_every_export_is_an_audit_event_saying_who_and_how_many_never_what(
    client_for, therapist, patient, sams_records
):
    client = client_for(therapist)
    client.get(reverse("exports:patient_fhir", args=[patient.public_id]))
    client.get(reverse("exports:patient_fhir", args=[patient.public_id]))

    events = list(fhir_exports())
    assert len(events) == 2
    assert {(e.actor, e.patient) for e in events} == {(therapist, patient)}
    assert events[0].detail == {"consents": 1, "measure_responses": 1}


# --- On the therapist's page ----------------------------------------------------------------


def test_maya_finds_the_download_on_sams_page_and_gets_the_file(
    client_for, therapist, patient, sams_records
):
    client = client_for(therapist)
    url = reverse("exports:patient_fhir", args=[patient.public_id])
    page = client.get(reverse("care:patient", args=[patient.public_id])).content.decode()

    assert f'href="{url}"' in page
    assert "Download for the clinic's record system (FHIR)" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    today = timezone.localdate().isoformat()
    filename = f"fhir-{patient.public_id}-{today}.json"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    assert parsed(response).type == "collection"


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_therapist", 404), ("patient", 403), ("other_patient", 403), ("clinic_admin", 403)],
)
def test_nobody_else_downloads_sams_file_from_the_web(
    request, client_for, patient, sams_records, who, status
):
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("exports:patient_fhir", args=[patient.public_id]))

    assert response.status_code == status
    assert not fhir_exports().exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client_for, patient):
    response = client_for(None).get(reverse("exports:patient_fhir", args=[patient.public_id]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_without_pdfs_the_web_download_says_so_and_exports_nothing(
    client_for, therapist, patient, sams_records, monkeypatch
):
    # WeasyPrint cannot load (as without Pango): the signed copy cannot be attached.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client_for(therapist).get(reverse("exports:patient_fhir", args=[patient.public_id]))

    assert response.status_code == 503
    assert "The FHIR file can" in response.content.decode()
    assert not fhir_exports().exists()


# --- Through the API ------------------------------------------------------------------------


def sams_api_url(patient):
    return f"/api/v1/patients/{patient.public_id}/fhir/"


def test_maya_gets_sams_bundle_through_the_api(api_as, therapist, patient, sams_records):
    response = api_as(therapist).get(sams_api_url(patient))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert len(resources(parsed(response), "Consent")) == 1
    assert fhir_exports().get().actor == therapist


def test_sam_gets_his_own_bundle_through_the_api(api_as, patient, sams_records):
    response = api_as(patient).get("/api/v1/me/fhir/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = parsed(response)
    assert resources(bundle, "Patient")[0].id == str(patient.public_id)
    assert fhir_exports().get().actor == patient


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_therapist", 404),
        ("patient", 403),
        ("other_patient", 403),
        ("clinic_admin", 403),
        (None, 401),
    ],
)
def test_nobody_else_gets_sams_bundle_through_the_api(
    request, api_as, patient, sams_records, who, status
):
    person = request.getfixturevalue(who) if who else None
    response = api_as(person).get(sams_api_url(patient))

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert not fhir_exports().exists()


@pytest.mark.parametrize(
    ("who", "status"), [("therapist", 403), ("clinic_admin", 403), (None, 401)]
)
def test_only_a_patient_has_a_bundle_of_their_own(request, db, api_as, who, status):
    person = request.getfixturevalue(who) if who else None

    assert api_as(person).get("/api/v1/me/fhir/").status_code == status


def test_without_pdfs_the_api_answers_503_in_its_error_shape(
    api_as, therapist, patient, sams_records, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = api_as(therapist).get(sams_api_url(patient))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "cannot be made" in json.dumps(response.json())
    assert not fhir_exports().exists()


def test_the_service_refuses_a_clinic_admin(clinic_admin, patient, sams_records):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        export_as(clinic_admin, patient)


def test_asking_the_api_for_another_format_is_explained(api_as, patient, sams_records):
    response = api_as(patient).get("/api/v1/me/fhir/?format=csv")

    assert response.status_code == 400
    assert "FHIR JSON only" in json.dumps(response.json())
    assert not fhir_exports().exists()

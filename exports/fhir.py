"""One patient's signed consents and submitted measures as FHIR R4 resources, for a clinic's
record system (an EHR): a `Bundle` of type `collection` holding the Patient, a `Consent`
per signed consent (the signed PDF attached), a `Questionnaire` per measure version
answered and a `QuestionnaireResponse` per submitted answer set.

Every resource is built through the `fhir.resources` R4B models, so what leaves the app
has passed their validation. Identifiers are public ids under the clinic's own address
(SITE_URL), never a database key. Resources point at each other by `urn:uuid:` full URLs,
which a record system resolves inside the bundle when it imports it.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
LOINC = "http://loinc.org"
PATIENT_CONSENT_LOINC = "59284-0"
# The R4 name of the score behind a coded answer (PHQ-9's "Several days" counts 1).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# The language of a signature made before signatures recorded one.
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class SignedConsentFile:
    """A signed consent with its signed copy as a PDF, as attached to the FHIR Consent."""

    consent: object
    pdf: bytes


def _base():
    """The clinic's own address, under which its identifiers and canonical URLs live."""
    return f"{settings.SITE_URL}/fhir"


def system(name):
    """The URI naming one kind of the clinic's identifiers or codes."""
    return f"{_base()}/{name}"


def _urn(public_id):
    return f"urn:uuid:{public_id}"


def _reference(public_id, display=""):
    reference = {"reference": _urn(public_id)}
    if display:
        reference["display"] = display
    return reference


def _iso(moment):
    return timezone.localtime(moment).isoformat()


def questionnaire_url(version):
    """The canonical URL of a measure; with `|version` it names the exact wording answered."""
    return system(f"Questionnaire/{version.measure.code}")


def _answer_system(version):
    return f"{questionnaire_url(version)}/answers"


def consent_language(signature):
    """The language of the text the patient signed (each language is its own text)."""
    return getattr(signature, "language", "") or DEFAULT_LANGUAGE


# --- The patient -------------------------------------------------------------------------


def patient_resource(patient):
    return FhirPatient.model_validate(
        {
            "id": str(patient.public_id),
            "identifier": [
                {"use": "usual", "system": system("sid/patient"), "value": str(patient.public_id)}
            ],
            "active": patient.is_active,
            "name": [
                {
                    "use": "official",
                    "text": patient.get_full_name(),
                    "family": patient.last_name or None,
                    "given": [patient.first_name] if patient.first_name else None,
                }
            ],
        }
    )


# --- Consent -------------------------------------------------------------------------------


def consent_status(consent):
    """FHIR's consent state: `active` while it holds, `inactive` once withdrawn.

    Not `rejected`: that is for a consent the patient declined, and this one was given
    and then taken back ("terminated", in FHIR's words for inactive).
    """
    return "inactive" if consent.is_withdrawn else "active"


def pdf_attachment(consent, pdf, language):
    """The signed copy as FHIR requires: base64 data, its size and the SHA-1 of the bytes."""
    version = consent.version
    return {
        "contentType": "application/pdf",
        "language": language,
        "data": base64.b64encode(pdf).decode("ascii"),
        "size": len(pdf),
        "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),  # noqa: S324
        "title": f"Signed consent, version {version.number}: {version.title}",
        "creation": _iso(consent.signature.signed_at),
    }


def consent_resource(signed, patient):
    consent, signature = signed.consent, signed.consent.signature
    version = consent.version
    language = consent_language(signature)
    verification = {
        # Whether the app asked the patient to prove who they were when they signed.
        "verified": signature.identity_confirmed_by != signature.ConfirmedBy.NOT_ASKED,
        "verifiedWith": _reference(patient.public_id, patient.get_full_name()),
    }
    if signature.identity_confirmed_at:
        verification["verificationDate"] = _iso(signature.identity_confirmed_at)
    return FhirConsent.model_validate(
        {
            "id": str(consent.public_id),
            "language": language,
            "identifier": [
                {
                    "use": "official",
                    "system": system("sid/consent"),
                    "value": str(consent.public_id),
                },
                # What exactly was signed: the SHA-256 of the text, checkable for years.
                {
                    "use": "secondary",
                    "system": system("sid/consent-text-sha256"),
                    "value": signature.fingerprint,
                },
            ],
            "status": consent_status(consent),
            "scope": {
                "coding": [{"system": CONSENT_SCOPE, "code": "treatment", "display": "Treatment"}]
            },
            "category": [
                {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": PATIENT_CONSENT_LOINC,
                            "display": "Patient Consent",
                        }
                    ]
                }
            ],
            "patient": _reference(patient.public_id, patient.get_full_name()),
            "dateTime": _iso(signature.signed_at),
            # The patient signed for themself, by typing their name.
            "performer": [_reference(patient.public_id, signature.typed_name)],
            "sourceAttachment": pdf_attachment(consent, signed.pdf, language),
            "policy": [
                {
                    "authority": settings.SITE_URL,
                    "uri": system(f"consent-policy/version-{version.number}/{language}"),
                }
            ],
            "policyRule": {
                "coding": [
                    {
                        "system": system("CodeSystem/consent-version"),
                        "code": f"{version.number}-{language}",
                        "display": f"{version.title} (version {version.number}, {language})",
                    }
                ],
                "text": f"Consent version {version.number} ({language})",
            },
            "verification": [verification],
            "provision": _provision(consent),
        }
    )


def _provision(consent):
    """A withdrawn consent denies from the withdrawal on; a standing one permits."""
    if consent.is_withdrawn:
        return {
            "type": "deny",
            "period": {"start": _iso(consent.withdrawal.withdrawn_at)},
        }
    return {"type": "permit", "period": {"start": _iso(consent.signature.signed_at)}}


# --- Measures ------------------------------------------------------------------------------


def _answer_coding(version, value, label):
    return {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": value}],
        "system": _answer_system(version),
        "code": str(value),
        "display": label,
    }


def questionnaire_resource(version):
    """One published wording of a measure: items, answers and the publisher's attribution."""
    options = [
        {"valueCoding": _answer_coding(version, choice["value"], choice["label"])}
        for choice in version.scale
    ]
    items = [
        {
            "linkId": str(position),
            "prefix": f"{position}.",
            "text": text,
            "type": "choice",
            "required": True,
            "answerOption": options,
        }
        for position, text in enumerate(version.items, start=1)
    ]
    items.append({"linkId": "total", "text": "Total score", "type": "integer", "readOnly": True})
    return Questionnaire.model_validate(
        {
            "id": str(version.public_id),
            "url": questionnaire_url(version),
            "identifier": [
                {"system": system("sid/measure"), "value": version.measure.code},
            ],
            "version": str(version.number),
            "name": "".join(ch for ch in version.name if ch.isalnum()),
            "title": version.title,
            "status": "active",
            "subjectType": ["Patient"],
            "date": _iso(version.published_at),
            "description": version.instructions,
            "copyright": version.attribution,
            "item": items,
        }
    )


def questionnaire_response_resource(response, patient):
    version = response.version
    items = []
    for position, text in enumerate(version.items, start=1):
        value = response.answers.get(str(position))
        item = {"linkId": str(position), "text": text}
        if value is not None:
            value = int(value)
            item["answer"] = [
                {"valueCoding": _answer_coding(version, value, version.label_for(value))}
            ]
        items.append(item)
    items.append(
        {
            "linkId": "total",
            "text": "Total score",
            "answer": [{"valueInteger": response.total_score}],
        }
    )
    return QuestionnaireResponse.model_validate(
        {
            "id": str(response.public_id),
            "identifier": {
                "system": system("sid/measure-response"),
                "value": str(response.public_id),
            },
            "questionnaire": f"{questionnaire_url(version)}|{version.number}",
            "status": "completed",
            "subject": _reference(patient.public_id, patient.get_full_name()),
            "authored": _iso(response.submitted_at),
            "author": _reference(patient.public_id),
            "source": _reference(patient.public_id),
            "item": items,
        }
    )


# --- The bundle ----------------------------------------------------------------------------


def bundle(*, patient, signed_consents, responses, exported_at, bundle_id):
    """Everything in one `collection` Bundle: Patient, Consents, Questionnaires, responses."""
    versions = {}
    for response in responses:
        versions.setdefault(response.version.pk, response.version)
    resources = [patient_resource(patient)]
    resources += [consent_resource(signed, patient) for signed in signed_consents]
    resources += [questionnaire_resource(version) for version in versions.values()]
    resources += [questionnaire_response_resource(response, patient) for response in responses]
    return Bundle.model_validate(
        {
            "id": str(bundle_id),
            "identifier": {"system": system("sid/export"), "value": str(bundle_id)},
            "type": "collection",
            "timestamp": _iso(exported_at),
            "entry": [
                {"fullUrl": _urn(resource.id), "resource": resource} for resource in resources
            ],
        }
    )

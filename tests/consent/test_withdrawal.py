"""A patient can withdraw consent, the therapist sees it, and the patient can consent again."""

from django.urls import reverse

from consent.models import ConsentVersion, Withdrawal
from consent.selectors import ConsentStatus
from tests.factories.accounts import TEST_PASSWORD


def status_of(patient):
    return ConsentStatus(patient, ConsentVersion.objects.current())


def test_patient_withdraws_with_a_reason_and_the_therapist_sees_it(
    client, patient, therapist, signed_consent
):
    client.force_login(patient)
    response = client.post(
        reverse("consent:withdraw"), {"reason": "I need more time to think.", "confirmed": "on"}
    )
    assert response.status_code == 303
    withdrawal = Withdrawal.objects.get(consent=signed_consent)
    assert withdrawal.reason == "I need more time to think."
    assert status_of(patient).kind == ConsentStatus.WITHDRAWN
    page = client.get(response["Location"]).content.decode()
    assert "You withdrew your consent" in page

    client.force_login(therapist)
    record = client.get(reverse("care:patient", args=[patient.public_id]))
    assert "Withdrawn" in record.content.decode()
    assert "I need more time to think." in record.content.decode()
    listing = client.get(reverse("care:roster")).content.decode()
    assert "Consent withdrawn (version 1)" in listing


def test_withdrawing_needs_the_box_ticked(client, patient, signed_consent):
    client.force_login(patient)
    response = client.post(reverse("consent:withdraw"), {"reason": "Not sure"})
    assert response.status_code == 422
    assert "Tick the box to confirm" in response.content.decode()
    assert "Not sure" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_a_double_submit_withdraws_once(client, patient, signed_consent):
    client.force_login(patient)
    client.post(reverse("consent:withdraw"), {"confirmed": "on"})
    client.post(reverse("consent:withdraw"), {"confirmed": "on"})
    assert Withdrawal.objects.count() == 1


def test_a_patient_who_never_signed_has_nothing_to_withdraw(client, patient, consent_version):
    client.force_login(patient)
    response = client.get(reverse("consent:withdraw"), follow=True)
    assert "You have no signed consent to withdraw" in response.content.decode()


def test_a_patient_consents_again_after_withdrawing(
    client, patient, signed_consent, read_sections, consent_version
):
    client.force_login(patient)
    client.post(reverse("consent:withdraw"), {"confirmed": "on"})
    read_sections(client, consent_version)
    client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    assert status_of(patient).kind == ConsentStatus.SIGNED
    assert patient.consents.count() == 2
    assert Withdrawal.objects.get().consent == signed_consent

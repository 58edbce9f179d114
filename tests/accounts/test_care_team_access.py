"""Each role sees only its own pages, and a therapist only the patients in their care."""

import pytest
from django.urls import reverse

from accounts.access import can_view_patient, patients_visible_to
from accounts.models import CareTeamMembership, User


def test_therapist_sees_only_their_own_patients(client, therapist, patient, other_patient):
    client.force_login(therapist)
    page = client.get(reverse("care:roster")).content.decode()
    assert "Sam Rivera" in page
    assert "Grace Kim" not in page


def test_therapist_opens_their_patient(client, therapist, patient):
    client.force_login(therapist)
    response = client.get(reverse("care:patient", args=[patient.public_id]))
    assert response.status_code == 200
    assert "Sam Rivera" in response.content.decode()


def test_other_therapist_gets_404_for_my_patient(client, other_therapist, patient):
    client.force_login(other_therapist)
    response = client.get(reverse("care:patient", args=[patient.public_id]))
    assert response.status_code == 404


def test_a_patient_shared_by_two_therapists_is_visible_to_both(therapist, other_therapist, patient):
    CareTeamMembership.objects.create(patient=patient, therapist=other_therapist)
    assert can_view_patient(other_therapist, patient)
    assert patient in patients_visible_to(other_therapist)


@pytest.mark.parametrize("url_name", ["care:roster", "care:patient_add"])
def test_patient_gets_403_on_therapist_pages(client, patient, url_name):
    client.force_login(patient)
    assert client.get(reverse(url_name)).status_code == 403


def test_patient_gets_403_on_a_therapist_patient_page(client, patient):
    client.force_login(patient)
    url = reverse("care:patient", args=[patient.public_id])
    assert client.get(url).status_code == 403


def test_therapist_gets_403_on_the_patient_home(client, therapist):
    client.force_login(therapist)
    assert client.get(reverse("care:patient_home")).status_code == 403


def test_clinic_admin_sees_no_clinical_pages(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    assert client.get(reverse("care:roster")).status_code == 403
    assert client.get(reverse("care:patient_home")).status_code == 403
    assert not can_view_patient(clinic_admin, patient)


def test_patients_and_therapists_cannot_open_the_admin(client, patient, therapist):
    for person in (patient, therapist):
        client.force_login(person)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_access_rules_deny_by_default(patient, other_patient, therapist):
    from django.contrib.auth.models import AnonymousUser

    assert can_view_patient(patient, patient)
    assert not can_view_patient(patient, other_patient)
    assert not can_view_patient(AnonymousUser(), patient)
    assert list(patients_visible_to(AnonymousUser())) == []
    therapist.is_active = False
    assert not can_view_patient(therapist, patient)
    assert list(User.objects.visible_to(patient)) == [patient]


def test_clinic_admin_assigns_a_patient_to_a_therapist_in_the_admin(
    client, clinic_admin, other_therapist, patient
):
    client.force_login(clinic_admin)
    url = reverse("admin:accounts_careteammembership_add")
    response = client.post(url, {"patient": patient.pk, "therapist": other_therapist.pk})
    assert response.status_code == 302
    assert can_view_patient(other_therapist, patient)


def test_clinic_admin_creates_a_therapist_in_the_admin(client, clinic_admin):
    client.force_login(clinic_admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Therapist@example.com",
            "first_name": "Nia",
            "last_name": "Reed",
            "role": "therapist",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="new.therapist@example.com")
    assert created.is_therapist and not created.is_staff and not created.has_usable_password()


def test_clinic_admin_invites_patients_from_the_admin(client, clinic_admin, mailoutbox, run_worker):
    from tests.factories.accounts import PatientFactory

    invited = PatientFactory(invited=True)
    client.force_login(clinic_admin)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_invitation_links", "_selected_action": [invited.pk]},
    )
    run_worker()  # the worker delivers the mail
    assert [m.to for m in mailoutbox] == [[invited.email]]

"""A therapist adds a patient. The invitation link reaches the patient's mailbox, nobody else,
and the page never tells the therapist whether an address already has an account."""

import re

import pytest
from django.urls import reverse

from accounts.models import CareTeamMembership, Role, User
from tests.factories.accounts import ClinicAdminFactory, PatientFactory, TherapistFactory

NEW_PATIENT = {"first_name": "Ana", "last_name": "Lopez", "email": "ana.lopez@example.com"}
CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


class EveryResponse:
    """The therapist's browser and app: every response they get, redirects followed by hand."""

    def __init__(self, client):
        self.client = client
        self.seen = []

    def get(self, url, **headers):
        return self._follow(self.client.get(url, headers=headers))

    def post(self, url, data=None):
        return self._follow(self.client.post(url, data or {}))

    def _follow(self, response):
        self.seen.append(response)
        while response.status_code in (301, 302, 303, 307, 308):
            response = self.client.get(response["Location"])
            self.seen.append(response)
        return response

    def texts(self):
        for response in self.seen:
            headers = "\n".join(f"{name}: {value}" for name, value in response.items())
            body = b"".join(response.streaming_content) if response.streaming else response.content
            yield headers + "\n\n" + body.decode(errors="replace")


def emailed_token(mail):
    return re.search(r"/welcome/([^/\s]+)/", mail.body).group(1)


def test_a_therapist_never_gets_the_invitation_link_only_the_patient_does(
    client, therapist, mailoutbox, run_worker
):
    client.force_login(therapist)
    browser = EveryResponse(client)

    # The attack: add a patient, resend the link, and look everywhere for it.
    browser.post(reverse("care:patient_add"), NEW_PATIENT)
    run_worker()  # the first link reaches the patient's mailbox
    patient = User.objects.get(email=NEW_PATIENT["email"])
    patient_page = reverse("care:patient", args=[patient.public_id])
    browser.get(patient_page)
    browser.post(reverse("care:invitation_resend", args=[patient.public_id]))
    browser.get(patient_page, HX_Request="true")
    browser.get(reverse("care:roster"))
    browser.get(reverse("care:roster"), HX_Request="true")
    browser.get(reverse("api:patients"))
    browser.get(reverse("api:patient", args=[patient.public_id]))

    # The patient's mailbox has both links; the newer one works.
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[patient.email], [patient.email]]
    tokens = [emailed_token(mail) for mail in mailoutbox]
    assert all(
        response.status_code == 200
        for response in browser.seen
        if not response.has_header("Location")
    )
    seen = list(browser.texts())
    assert len(seen) >= 10
    for text in seen:
        assert "/welcome/" not in text
        for token in tokens:
            assert token not in text
    assert not any(token in str(dict(client.session)) for token in tokens)
    # What the therapist does see: that it was sent, and a button to send it again.
    page = client.get(patient_page).content.decode()
    assert "We emailed Ana an invitation link" in page
    assert reverse("care:invitation_resend", args=[patient.public_id]) in page
    assert client.get(reverse("accounts:invitation_accept", args=[tokens[-1]])).status_code == 200


def test_resending_tells_the_therapist_it_went_to_the_patients_address(
    client, therapist, mailoutbox, run_worker
):
    patient = PatientFactory(first_name="Ana", invited=True, care_team=[therapist])
    client.force_login(therapist)
    response = client.post(reverse("care:invitation_resend", args=[patient.public_id]), follow=True)

    assert f"A new invitation link is on its way to {patient.email}" in response.content.decode()
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[patient.email]]


# --- Nobody learns who has an account ---------------------------------------------------


def add(client, **fields):
    response = client.post(reverse("care:patient_add"), {**NEW_PATIENT, **fields}, follow=True)
    return response, CSRF_TOKEN.sub("CSRF", response.content.decode())


@pytest.mark.parametrize("role", [Role.PATIENT, Role.THERAPIST, Role.CLINIC_ADMIN])
def test_adding_a_new_or_a_taken_email_looks_exactly_the_same(
    client, therapist, role, django_capture_on_commit_callbacks
):
    factory = {
        Role.PATIENT: PatientFactory,
        Role.THERAPIST: TherapistFactory,
        Role.CLINIC_ADMIN: ClinicAdminFactory,
    }[role]
    taken = factory()
    client.force_login(therapist)

    with django_capture_on_commit_callbacks(execute=True):
        new_response, new_page = add(client, email="brand.new@example.com")
        taken_response, taken_page = add(client, email=taken.email.upper())

    assert new_response.redirect_chain == taken_response.redirect_chain
    assert new_response.status_code == taken_response.status_code == 200
    assert new_page == taken_page
    assert "If this address is new to the clinic, an invitation is on its way" in new_page


def test_a_taken_email_creates_nothing_and_asks_the_clinic_admins(
    client, therapist, other_patient, clinic_admin, mailoutbox, run_worker
):
    retired_admin = ClinicAdminFactory(is_active=False)
    client.force_login(therapist)

    add(client, first_name="Grace", last_name="Kim", email=other_patient.email)

    # Typing someone's email never pulls them into this therapist's care...
    assert not CareTeamMembership.objects.filter(patient=other_patient, therapist=therapist)
    assert User.objects.filter(email=other_patient.email).count() == 1
    assert not other_patient.invitations.exists()
    # ...the active clinic admins decide, and the account's owner hears nothing.
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[clinic_admin.email]]
    request = mailoutbox[0]
    assert "Maya Okafor" in request.subject
    assert other_patient.email in request.body
    assert retired_admin.email not in request.to
    assert not [mail for mail in mailoutbox if other_patient.email in mail.to]


def test_a_new_email_becomes_a_patient_in_my_care_with_an_invitation(
    client, therapist, mailoutbox, run_worker
):
    client.force_login(therapist)
    response, _ = add(client)

    patient = User.objects.get(email=NEW_PATIENT["email"])
    assert response.redirect_chain == [(reverse("care:patient_add"), 303)]
    assert CareTeamMembership.objects.filter(patient=patient, therapist=therapist).exists()
    run_worker()  # the worker delivers the mail
    assert [mail.to for mail in mailoutbox] == [[patient.email]]
    assert "Ana Lopez" in client.get(reverse("care:roster")).content.decode()

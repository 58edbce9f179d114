"""Pages that moved into care keep their old addresses: bookmarks and open tabs still work."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/journal/dashboard/", "/patients/"),
        ("/journal/patients/{id}/", "/patients/{id}/#journal"),
        ("/journal/patients/{id}/sessions/new/", "/patients/{id}/sessions/new/"),
        ("/consent/patients/{id}/", "/patients/{id}/#consent"),
    ],
)
def test_an_old_page_address_redirects_for_good(client_for, therapist, patient, old, new):
    response = client_for(therapist).get(old.format(id=patient.public_id))

    assert response.status_code == 301
    assert response["Location"] == new.format(id=patient.public_id)


def test_a_form_posted_to_an_old_address_arrives_as_the_same_post(client_for, therapist, patient):
    # 308, not 301: a browser repeats the POST at the new address instead of dropping it.
    old = f"/journal/patients/{patient.public_id}/sessions/new/"
    response = client_for(therapist).post(old, {"route": "lozenge"})

    assert response.status_code == 308
    assert response["Location"] == reverse("care:session_new", args=[patient.public_id])


def test_the_old_roster_address_still_shows_nothing_to_another_role(client, patient):
    # The redirect reveals nothing; the new address makes the access decision.
    client.force_login(patient)
    response = client.get("/journal/dashboard/", follow=True)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("person", "lands_on"),
    [("patient", "care:patient_home"), ("therapist", "care:roster"), ("clinic_admin", None)],
)
def test_each_person_lands_where_their_work_starts(request, client, person, lands_on):
    user = request.getfixturevalue(person)
    if person == "clinic_admin":
        user.is_staff = True
        user.save()
        lands_on = "admin:index"
    client.force_login(user)

    response = client.get(reverse("care:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(lands_on)

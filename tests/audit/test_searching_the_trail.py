"""The clinic admin searches the audit trail and reads it, and can never change it."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from audit.services import record_event

CHANGELIST = "admin:audit_auditevent_changelist"


@pytest.fixture
def admin_client(client, clinic_admin):
    client.force_login(clinic_admin)
    session = client.session
    session["accounts:has-two-factor"] = True  # noted at a real login with a code
    session.save()
    return client


@pytest.fixture
def trail(patient, other_patient, therapist):
    return {
        "sams_login": record_event(Kind.LOGIN_SUCCEEDED, actor=patient, patient=patient),
        "graces_login": record_event(
            Kind.LOGIN_SUCCEEDED, actor=other_patient, patient=other_patient
        ),
        "maya_reads_sam": record_event(
            Kind.ENTRIES_LISTED, actor=therapist, patient=patient, detail={"count": 3}
        ),
    }


def listed(response):
    return {event.pk for event in response.context["cl"].result_list}


def test_the_admin_finds_everything_about_one_patient(admin_client, trail, patient):
    response = admin_client.get(reverse(CHANGELIST), {"q": patient.email})
    assert listed(response) == {trail["sams_login"].pk, trail["maya_reads_sam"].pk}


def test_the_admin_finds_everything_one_person_did(admin_client, trail, therapist):
    response = admin_client.get(reverse(CHANGELIST), {"q": therapist.email})
    assert listed(response) == {trail["maya_reads_sam"].pk}


def test_the_admin_filters_by_kind_and_date(admin_client, trail):
    today = trail["sams_login"].occurred_at
    response = admin_client.get(
        reverse(CHANGELIST),
        {
            "kind__exact": Kind.LOGIN_SUCCEEDED,
            "occurred_at__year": today.year,
            "occurred_at__month": today.month,
            "occurred_at__day": today.day,
        },
    )
    found = listed(response)
    # The admin's own login is there too: it happened today.
    assert {trail["sams_login"].pk, trail["graces_login"].pk} <= found
    assert trail["maya_reads_sam"].pk not in found
    assert set(AuditEvent.objects.filter(pk__in=found).values_list("kind", flat=True)) == {
        Kind.LOGIN_SUCCEEDED
    }


def test_the_admin_reads_one_event_in_full(admin_client, trail):
    event = trail["maya_reads_sam"]
    page = admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert event.hash in page.content.decode()
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]


def test_the_admin_cannot_add_change_or_delete_an_event(admin_client, trail):
    event = trail["sams_login"]
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    admin_client.post(change, {"kind": Kind.LOGGED_OUT})
    assert AuditEvent.objects.get(pk=event.pk).kind == Kind.LOGIN_SUCCEEDED
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("who", ["therapist", "patient"])
def test_nobody_else_reads_the_trail(client, trail, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]

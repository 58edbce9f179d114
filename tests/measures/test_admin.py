"""The clinic admin sees the published measures, read-only, and never a patient's answers."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories.measures import PHQ9_WITH_ITEM_9, answered, measure

pytestmark = pytest.mark.django_db


def test_the_admin_reads_published_versions_but_cannot_change_them(client_for, clinic_admin):
    client = client_for(clinic_admin)
    version = measure("phq9").current
    page = client.get(reverse("admin:measures_measureversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert "Thoughts that you would be better off dead" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:measures_measureversion_add")).status_code == 403


def test_no_patient_answer_alert_or_schedule_is_in_the_admin(patient):
    answered(patient, "phq9", PHQ9_WITH_ITEM_9)
    registered = {
        model.__name__ for model in admin.site._registry if model._meta.app_label == "measures"
    }
    assert registered == {"Measure", "MeasureVersion"}

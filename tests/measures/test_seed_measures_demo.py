"""The demo shows weeks of measures on a chart, an open alert, and seeding twice adds nothing."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from measures.models import MeasureAlert, MeasureResponse
from measures.selectors import due_measures


def _seed():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_patients_have_weeks_of_measures_and_seeding_twice_adds_nothing(db, client):
    _seed()
    first = MeasureResponse.objects.count()
    _seed()
    assert MeasureResponse.objects.count() == first >= 15
    sam = User.objects.get(email="sam.rivera@example.com")
    codes = list(
        MeasureResponse.objects.filter(patient=sam).values_list("measure__code", flat=True)
    )
    assert codes.count("phq9") >= 4 and codes.count("gad7") >= 4 and codes.count("pcl5") == 1
    assert MeasureAlert.objects.open().get().patient.email == "omar.haddad@example.com"
    grace = User.objects.get(email="grace.kim@example.com")
    assert [due.due_key for due in due_measures(grace)] == ["phq9:baseline", "gad7:baseline"]
    client.force_login(sam)
    page = client.get(reverse("measures:mine")).content.decode()
    assert "Questionnaire scores over time" in page and "PCL-5" in page

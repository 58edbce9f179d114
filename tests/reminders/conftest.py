from datetime import timedelta

import pytest
from django.utils import timezone

from consent.models import CareTeamQuestion
from tests.factories.consent import signed_consent
from tests.factories.journal import AdministrationSessionFactory

ENTRY_WORDS = "I felt the river of grief move through me and my mood lifted"


@pytest.fixture
def sams_session(patient, therapist):
    """Sam's session this morning, three hours ago, which he has not written about yet."""
    return AdministrationSessionFactory(
        patient=patient, recorded_by=therapist, occurred_at=timezone.now() - timedelta(hours=3)
    )


@pytest.fixture
def sams_question(patient, consent_version):
    consent = signed_consent(patient, consent_version)
    return CareTeamQuestion.objects.create(
        consent=consent,
        section=consent_version.ordered_sections()[0],
        text="Will the dose make me sick?",
    )

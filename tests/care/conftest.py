import pytest

from tests.factories.journal import AdministrationSessionFactory


@pytest.fixture
def session(patient, therapist):
    """Sam's administration session, recorded by Maya."""
    return AdministrationSessionFactory(patient=patient, recorded_by=therapist)

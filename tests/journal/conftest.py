"""Journal props for the cast in tests/conftest.py: Sam's session and entries."""

import pytest

from tests.factories.journal import AdministrationSessionFactory, EntryFactory


@pytest.fixture
def session(patient, therapist):
    return AdministrationSessionFactory(patient=patient, recorded_by=therapist)


@pytest.fixture
def shared_entry(patient, session):
    return EntryFactory(
        patient=patient, session=session, shared=True, body="The music felt like a wave."
    )


@pytest.fixture
def private_entry(patient, session):
    return EntryFactory(patient=patient, session=session, body="Something only I should read.")


@pytest.fixture
def draft(patient, session):
    return EntryFactory(patient=patient, session=session, draft=True, body="Half a thought")


@pytest.fixture
def htmx():
    """Headers htmx 2 sends with a request it makes."""
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/journal/"}

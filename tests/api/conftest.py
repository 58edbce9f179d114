import pytest
from rest_framework.test import APIClient

# The cache (throttle counts, login limits) is emptied before each test in tests/conftest.py.


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """An API client authenticated as the given person (None: anonymous)."""

    def as_person(user):
        api.force_authenticate(user=user)
        return api

    return as_person

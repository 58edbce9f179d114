import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def fresh_throttles():
    # Throttle counts live in the cache; each story starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


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

"""Login limits that hold in production: shared by every worker, blind to forged headers.

These run against the real Redis (REDIS_URL's server, 127.0.0.1:6379 here and in CI),
as production does. Two test clients stand for two gunicorn workers: each counts into
the same Redis, so an attacker who spreads guesses across workers gains nothing.
"""

import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories.accounts import TEST_PASSWORD, PatientFactory

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def shared_redis_cache():
    prefix = f"kap-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield redis.Redis.from_url(REDIS), prefix
        keys = redis.Redis.from_url(REDIS).keys(f"{prefix}:*")
        if keys:
            redis.Redis.from_url(REDIS).delete(*keys)


def _attempt(client, email, password, **headers):
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, headers=headers
    )
    return response, "_auth_user_id" in client.session


def test_two_workers_share_one_limit_on_failed_logins(shared_redis_cache, patient):
    server, prefix = shared_redis_cache
    assert type(cache._cache).__name__ == "RedisCacheClient"
    worker_one, worker_two = Client(), Client()
    for _ in range(3):
        _attempt(worker_one, patient.email, "guess-one")
    for _ in range(2):
        _attempt(worker_two, patient.email, "guess-two")

    # Five failures in all: the account is locked on both workers, even for the right
    # password, until the window passes.
    for worker in (worker_one, worker_two):
        response, logged_in = _attempt(worker, patient.email, TEST_PASSWORD)
        assert not logged_in
        assert "Too many failed login attempts" in response.content.decode()
    # The count lives in Redis, where every other process sees it.
    assert server.keys(f"{prefix}:*")


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_a_forged_forwarded_for_header_does_not_reset_the_limit(shared_redis_cache, therapist):
    accounts = PatientFactory.create_batch(5, care_team=[therapist])
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    # Behind one proxy, the last X-Forwarded-For entry is the one the proxy wrote: the
    # attacker's real address. Whatever comes before it the attacker invents, and they
    # invent a new one for every guess. Ten guesses over four accounts: no account is
    # locked, only the address.
    for guess in range(10):
        _attempt(
            attacker,
            accounts[guess % 4].email,
            f"guess-{guess}",
            X_FORWARDED_FOR=f"198.51.100.{guess}, 203.0.113.7",
        )

    response, logged_in = _attempt(
        attacker, accounts[4].email, TEST_PASSWORD, X_FORWARDED_FOR="192.0.2.99, 203.0.113.7"
    )
    assert not logged_in
    assert "Too many failed login attempts" in response.content.decode()

    # Someone else behind the same proxy is not locked out with the attacker.
    neighbour = Client(REMOTE_ADDR=proxy)
    _, logged_in = _attempt(
        neighbour, accounts[4].email, TEST_PASSWORD, X_FORWARDED_FOR="198.51.100.200"
    )
    assert logged_in

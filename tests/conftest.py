"""The cast every test draws on, and the browser set-up for Playwright."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop; Django would otherwise refuse ORM calls
# made by live_server set-up in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories.accounts import (  # noqa: E402
    ClinicAdminFactory,
    PatientFactory,
    TherapistFactory,
)
from tests.factories.consent import shipped_consent_version  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True, scope="session")
def quick_password_hashing():
    """Passwords hash with MD5 in tests, not the 1,000,000-round PBKDF2 of production.

    Every factory person, login and signature hashes or checks a password; at full cost
    that was most of the suite's time. Production keeps Django's default hashers, and
    tests/config/test_project.py checks that it does.
    """
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each story starts with an empty cache.

    Login limits and allauth's list of used two-factor codes live there: without this,
    a demo therapist who logged in during the previous test, within the same 30-second
    period, would be refused the same code as a replay.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_until_asked():
    """Each story starts in the site's language.

    The language a request activates stays on the thread after the test client returns,
    so a test run after a Spanish story would otherwise read Spanish where it expects
    the default.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def site_url(settings):
    """Links in emails the worker writes lead to the test client's own host."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def run_worker(db, monkeypatch):
    """The task worker, run for real: it works through the queue, then returns.

    Emails are sent by the worker, never inside a request, so a story that expects an
    email lets the worker deliver it first: `run_worker()`. It runs the database
    backend's own `db_worker --batch` and returns how many tasks it ran; a task that
    failed fails the test, with the worker's traceback.
    """
    import signal

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes "old" connections between tasks, as a server does between
    # requests; inside a test's transaction that would close the test's own connection
    # (Django's test client skips the same step for the same reason).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def deliver():
        before = set(DBTaskResult.objects.finished().values_list("pk", flat=True))
        # db_worker installs its own SIGINT/SIGTERM handlers; pytest keeps its own.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        ran = DBTaskResult.objects.finished().exclude(pk__in=before)
        failed = [row for row in ran if row.status == "FAILED"]
        assert not failed, "\n".join(
            f"{row.task_path}: {row.traceback or row.exception_class_path}" for row in failed
        )
        return ran.count()

    return deliver


@pytest.fixture
def therapist(db):
    return TherapistFactory(first_name="Maya", last_name="Okafor")


@pytest.fixture
def other_therapist(db):
    return TherapistFactory(first_name="Jonas", last_name="Berg")


@pytest.fixture
def patient(therapist):
    return PatientFactory(first_name="Sam", last_name="Rivera", care_team=[therapist])


@pytest.fixture
def other_patient(other_therapist):
    return PatientFactory(first_name="Grace", last_name="Kim", care_team=[other_therapist])


@pytest.fixture
def clinic_admin(db):
    return ClinicAdminFactory(first_name="Ruth", last_name="Alvarez")


@pytest.fixture
def consent_version(db):
    """The consent version patients sign now: the one the app ships."""
    return shipped_consent_version()


@pytest.fixture
def api():
    """A client of the REST API (the cache, throttle counts included, starts empty)."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api):
    """The API client authenticated as the given person (None: anonymous)."""

    def as_person(user):
        api.force_authenticate(user=user)
        return api

    return as_person


@pytest.fixture
def client_for(client):
    """A test client logged in as the given person (or anonymous for None)."""

    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in


# --- Browser tests --------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    has_chromium = shutil.which(CHROMIUM) is not None
    if has_chromium or os.environ.get("CI") == "true":
        # In CI a missing browser must fail loudly, never pass by skipping.
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


@pytest.fixture
def screenshot(page, request):
    """Save a numbered screenshot per step under test-artifacts/<test name>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"step": 0}

    def take(name):
        counter["step"] += 1
        page.screenshot(path=folder / f"{counter['step']:02d}-{name}.png", full_page=True)

    return take

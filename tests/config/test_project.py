"""Project-wide promises: migrations are complete, production settings are safe, demo data works."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.management.commands.demo_code import current_demo_code
from accounts.models import CareTeamMembership, User
from common.templatetags.clinic_time import friendly, full_datetime
from tests.commands import PRODUCTION_ENV, ROOT, manage


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "MFA_ENCRYPTION_KEY",
        "SIGNATURE_KEYS",
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {**PRODUCTION_ENV, missing: ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_only_the_tests_hash_passwords_cheaply():
    """tests/conftest.py swaps in MD5 for speed; the settings themselves must not."""
    result = manage(
        "shell",
        "-c",
        "from django.contrib.auth.hashers import get_hasher; print(get_hasher().algorithm)",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] in {"pbkdf2_sha256", "argon2", "scrypt"}


def test_production_refuses_to_run_on_sqlite():
    # Without PostgreSQL there are no triggers guarding signed consents.
    result = manage("check", **{**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/kap.sqlite3"})
    assert result.returncode != 0
    assert "Production needs PostgreSQL" in result.stderr


def test_the_deploy_check_warns_when_workers_share_no_cache():
    # Each gunicorn worker would count login failures on its own: five workers, five
    # times the guesses.
    result = manage("check", "--deploy", **{**PRODUCTION_ENV, "REDIS_URL": ""})
    assert "kap.W001" in result.stdout + result.stderr
    assert "REDIS_URL" in result.stdout + result.stderr


def test_a_malformed_setting_is_refused():
    result = manage("check", **{**PRODUCTION_ENV, "DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.django_db
def test_seed_demo_can_run_twice_without_duplicates(consent_version):
    # `consent_version`: the shipped version comes from a data migration, which a browser
    # test's flush (run earlier in the same database) removes.
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), CareTeamMembership.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (User.objects.count(), CareTeamMembership.objects.count()) == counts == (7, 4)
    from consent.models import Consent
    from journal.models import Entry

    assert Consent.objects.count() == 2
    assert Entry.objects.exists()
    assert "demo-patient-pass" in output.getvalue()
    assert User.objects.get(email="sam.rivera@example.com").check_password("demo-patient-pass")


@pytest.mark.django_db
def test_every_demo_login_lands_on_the_right_home(client):
    call_command("seed_demo", stdout=StringIO())
    homes = {
        "admin@example.com": ("demo-admin-pass", reverse("admin:index")),
        "maya.okafor@example.com": ("demo-therapist-pass", reverse("care:roster")),
        "grace.kim@example.com": ("demo-patient-pass", reverse("care:patient_home")),
    }
    for email, (password, home) in homes.items():
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        if response["Location"] == reverse("mfa_authenticate"):
            # Demo staff type the code their authenticator app shows.
            code = current_demo_code(email)
            response = client.post(response["Location"], {"code": code})
        assert client.get(response["Location"])["Location"] == home


@override_settings(TIME_ZONE="America/New_York")
def test_times_are_shown_in_the_clinic_time_zone_in_plain_words(monkeypatch):
    now = datetime(2026, 11, 5, 15, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    session = datetime(2026, 11, 3, 19, 30, tzinfo=ZoneInfo("UTC"))  # 2:30 pm in New York
    assert friendly(session) == "Tuesday 3 November at 2:30 pm"
    assert friendly(datetime(2026, 11, 5, 14, 0, tzinfo=ZoneInfo("UTC"))) == "today at 9 am"
    assert friendly(datetime(2026, 11, 5, 3, 15, tzinfo=ZoneInfo("UTC"))) == "yesterday at 10:15 pm"
    assert (
        friendly(datetime(2025, 1, 2, 17, 0, tzinfo=ZoneInfo("UTC")))
        == "Thursday 2 January 2025 at 12 pm"
    )


@override_settings(TIME_ZONE="America/New_York")
def test_records_show_absolute_times_with_the_zone():
    signed = datetime(2026, 11, 25, 10, 24, tzinfo=ZoneInfo("UTC"))
    assert full_datetime(signed) == "Wednesday 25 November 2026 at 5:24 am (America/New_York)"


def test_login_page_serves_htmx_locally_with_a_strict_policy(client, db):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert "/static/vendor/htmx-2.0.11.min.js" in page
    assert "<script>" not in page and "style=" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert (ROOT / "static/vendor/htmx-2.0.11.min.js").stat().st_size > 10_000


def test_pages_send_the_csrf_token_with_htmx_requests(client, patient):
    client.force_login(patient)
    page = client.get(reverse("care:patient_home")).content.decode()
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in page


def test_htmx_attributes_are_written_as_valid_html():
    """`hx-post` is not an HTML attribute and the Nu checker rejects it; `data-hx-post` is
    one, and htmx 2 reads both the same way."""
    import re

    bare = re.compile(r"(?<![\w-])hx-[a-z-]+=")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if bare.search(line)
    ]
    assert offenders == []

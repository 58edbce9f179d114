"""The keys that seal signatures come from the environment, and production insists on them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SECRET = "kY3vQ8tPz1sLm4Rn7Wc2Xb6Hd9Jf0Ga5Ue8Io3Ke2Qt"

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#kq2!vP9z@Lm4&Rt8$Wn1^Yb6*Hc3(Jd5)Fg0-Se2+Ua7=Io9_Ke4%Ql",
    "DJANGO_ALLOWED_HOSTS": "kap.clinic.example",
    # `check` reads these but connects to neither.
    "DATABASE_URL": "postgres://kap:secret@db.clinic.example:5432/kap",
    "REDIS_URL": "redis://cache.clinic.example:6379/0",
    "EMAIL_URL": "submission://mailer:secret@smtp.clinic.example:587",
    "MFA_ENCRYPTION_KEY": "8Lw3b0mYb0T9y9y2Xn0iVdE4vH8mJq5cQ1kZrTgUeA0=",
    "SIGNATURE_KEYS": f"k2026a:{SECRET},k2025:{SECRET[::-1]}",
}


def check(**overrides):
    env = {**os.environ, **PRODUCTION_ENV, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_with_well_formed_keys():
    result = check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("", "SIGNATURE_KEYS is set but empty"),
        (SECRET, "write each key as id:secret"),
        (f"k2026a:{SECRET},k2026a:{SECRET[::-1]}", "'k2026a' is listed twice"),
        ("k2026a:too-short", "shorter than 32 characters"),
        (f"k 2026:{SECRET}", "must be letters, digits, - or _"),
    ],
)
def test_production_refuses_missing_or_malformed_keys(value, complaint):
    result = check(SIGNATURE_KEYS=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_refuses_to_start_without_keys():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SIGNATURE_KEYS"}
    full = {**os.environ, **env}
    full.pop("SIGNATURE_KEYS", None)
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SIGNATURE_KEYS" in result.stderr

"""The keys that seal signatures come from the environment, and production insists on them."""

import pytest

from tests.commands import PRODUCTION_ENV, manage

SECRET = "kY3vQ8tPz1sLm4Rn7Wc2Xb6Hd9Jf0Ga5Ue8Io3Ke2Qt"
# Two keys: the first seals, both verify.
KEYED_ENV = {**PRODUCTION_ENV, "SIGNATURE_KEYS": f"k2026a:{SECRET},k2025:{SECRET[::-1]}"}


def check(**overrides):
    return manage("check", **{**KEYED_ENV, **overrides})


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
    without_keys = {name: value for name, value in KEYED_ENV.items() if name != "SIGNATURE_KEYS"}
    result = manage("check", unset=("SIGNATURE_KEYS",), **without_keys)
    assert result.returncode != 0
    assert "SIGNATURE_KEYS" in result.stderr

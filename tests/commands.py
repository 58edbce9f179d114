"""Management commands run in a child process, as a deployment runs them.

Settings are read once per process, so what production does with a given environment
(refuse a missing key, warn in `check --deploy`) can only be seen from a fresh one.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A complete production environment: `check` reads these but connects to none of them.
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#kq2!vP9z@Lm4&Rt8$Wn1^Yb6*Hc3(Jd5)Fg0-Se2+Ua7=Io9_Ke4%Ql",
    "DJANGO_ALLOWED_HOSTS": "kap.clinic.example",
    "SITE_URL": "https://kap.clinic.example",
    "DATABASE_URL": "postgres://kap:secret@db.clinic.example:5432/kap",
    "REDIS_URL": "redis://cache.clinic.example:6379/0",
    "EMAIL_URL": "submission://mailer:secret@smtp.clinic.example:587",
    "MFA_ENCRYPTION_KEY": "8Lw3b0mYb0T9y9y2Xn0iVdE4vH8mJq5cQ1kZrTgUeA0=",
    "SIGNATURE_KEYS": "k2026:Qm9vLXRoaXMtaXMtYS1sb25nLXJhbmRvbS1zZWNyZXQ",
}


def manage(*args, unset=(), **env_overrides):
    """Run `manage.py *args` with this process's environment plus the overrides, less
    the names in `unset`; the finished process, its output captured as text."""
    env = {**os.environ, **env_overrides}
    # Set by tests/conftest.py for Playwright; never part of a deployment.
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", *unset):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

"""Production settings, plus only what the benchmark needs.

`bench/run` sets the environment production reads (DEBUG off, a secret key, PostgreSQL,
Redis, the signature and two-factor keys). Everything else comes from config.settings
unchanged: the same middleware, sessions, cache, HTTPS rules and connection reuse.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

# The seed_clinic, bench_sessions and bench_explain commands.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
# config.urls plus the bare "ok" view the pages are compared with.
ROOT_URLCONF = "bench.urls"
# HTTPS stays required (SECURE_SSL_REDIRECT, secure cookies, HSTS): every client of the
# benchmark says "https" in X-Forwarded-Proto, as the clinic's proxy does, which
# SECURE_PROXY_SSL_HEADER trusts. So each measured page is the real one, never a redirect.

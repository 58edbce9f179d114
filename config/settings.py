"""Settings for the KAP companion, read from the environment.

Every variable is listed in `.env.example`. Development defaults apply only when
DJANGO_DEBUG is on; with it off, a missing or malformed value stops the app at start
(ImproperlyConfigured) rather than running a clinic on a guess.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# A local .env (made from .env.example by `make run`) is read, but real environment
# variables always win, so production never depends on a file in the checkout.
env.read_env(BASE_DIR / ".env", recurse=False)


def _required(reader, name, development_default, **kwargs):
    """Read a setting that production must set; fall back only in development."""
    try:
        if DEBUG:
            return reader(name, development_default, **kwargs)
        value = reader(name, **kwargs)
    except EnvError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error
    if not value:
        raise ImproperlyConfigured(f"{name} is set but empty; production needs a real value.")
    return value


try:
    DEBUG = env.bool("DJANGO_DEBUG", False)
except EnvError as error:
    raise ImproperlyConfigured(f"DJANGO_DEBUG: {error}") from error

SECRET_KEY = _required(
    env.str, "DJANGO_SECRET_KEY", "development-only-secret-key-never-use-in-production"
)
ALLOWED_HOSTS = _required(env.list, "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "common",
    "audit",
    "accounts",
    "consent",
    "journal",
    "measures",
    "care",
    "exports",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After login, the language chosen on the account wins over the browser's.
    "accounts.language.account_language",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Shared devices: no cached health data, a wiped browser at logout, automatic logoff.
    "common.middleware.no_store",
    "common.middleware.clear_device_on_logout",
    "common.middleware.idle_logout",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.two_factor.two_factor_required",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "common.context_processors.clinic",
            ],
        },
    },
]

# SQLite in a fresh clone; PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": _required(env.dj_db_url, "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# Keep each worker's connection open between requests: a new PostgreSQL connection forks
# a server process, which cost more than the page itself (docs/benchmark.md). The health
# check replaces a connection the server dropped (a restart, a failover) before it is used.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if not DEBUG and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The signed consent records are guarded by PostgreSQL triggers (django-pgtrigger);
    # SQLite has none of them, so a clinic must never run on it.
    raise ImproperlyConfigured(
        "DATABASE_URL points at SQLite. Production needs PostgreSQL, whose triggers keep "
        "signed records unchangeable."
    )

# One cache shared by every worker: login limits, one-time-code replay checks and API
# throttles only hold if all workers count in the same place. Redis in production;
# this process's memory for `make run` and the tests.
REDIS_URL = env.str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kap",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How many proxies of the clinic's own (a load balancer, nginx) stand in front of the app.
# Each one appends the address it saw to X-Forwarded-For; only those last entries can be
# trusted, since a client writes the rest itself. 0 (the default) ignores the header.
# allauth's login limits, the API's throttles and the address kept with a signature all
# read the visitor's address the same way (common.net.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# ASVS 4.0.3 V2.1: at least 12 characters, common and context passwords refused, and no
# composition rules (no "one digit, one symbol"): length is what makes a password strong.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.ContextPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "care:home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: email login, no open sign-up (patients join by invitation).
ACCOUNT_ADAPTER = "accounts.adapters.ClinicAccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.ClinicLoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Email addresses are managed by the clinic, not by the account holder (see accounts/urls.py):
# the invitation proved the address, so there is nothing left to verify.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# Sessions end when the browser closes, and sooner when idle (IDLE_TIMEOUT_*): no 14-day
# "keep me logged in" on a device others may pick up.
ACCOUNT_SESSION_REMEMBER = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions are read from the cache (Redis in production) and written through to the
# database, so a page costs no session query and a restart of Redis logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Changing a password or two-factor asks for the password (or a code) again unless the
# person proved it within the last few minutes, and the account's address hears of it.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_SECONDS", 300)
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed logins: 10 a minute from one address, and 5 in 5 minutes against one account
# (a lockout that holds whoever guesses, from wherever). The API's token endpoint counts
# into the same limits.
LOGIN_ATTEMPTS_LIMIT = env.int("LOGIN_ATTEMPTS_LIMIT", 5)
LOGIN_ATTEMPTS_TIMEOUT_SECONDS = env.int("LOGIN_ATTEMPTS_TIMEOUT_SECONDS", 300)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{LOGIN_ATTEMPTS_LIMIT}/{LOGIN_ATTEMPTS_TIMEOUT_SECONDS}s/key",
}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Nobody signs up (patients are invited), so a reset asked for an unknown address sends
# nothing: no mail to strangers' inboxes, and the page answers the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Therapists and clinic admins must use two-factor; it stays optional for patients.
TWO_FACTOR_REQUIRED_ROLES = ["therapist", "clinic_admin"]
# TOTP secrets are encrypted in the database with this Fernet key
# (`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).
MFA_ENCRYPTION_KEY = _required(
    env.str, "MFA_ENCRYPTION_KEY", "PMMn0cyMH61NrJuW5NHmzxapSXpf-muszaDnuroHY-4="
)
# Encrypts TOTP secrets with that key, and keeps staff from removing their two-factor.
MFA_ADAPTER = "accounts.adapters.ClinicMFAAdapter"

# Automatic logoff (HIPAA 164.312(a)(2)(iii)): minutes without activity before a session
# ends. Staff see every patient, so their limit is shorter. A warning comes a minute before.
IDLE_TIMEOUT_STAFF_MINUTES = env.int("IDLE_TIMEOUT_STAFF_MINUTES", 15)
IDLE_TIMEOUT_PATIENT_MINUTES = env.int("IDLE_TIMEOUT_PATIENT_MINUTES", 30)

# The app speaks English and Spanish (Django's translation, catalogue in locale/). A patient's
# choice is kept on their account; before login the browser's language or the picker's cookie
# decides. Times are stored in UTC and shown in the clinic's own time zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = env.str("CLINIC_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

CLINIC_NAME = env.str("CLINIC_NAME", "Riverside KAP Clinic")
CLINIC_PHONE = env.str("CLINIC_PHONE", "(555) 010-0199")
# The same number for `tel:` links, which take a global number: "+", the country code, then
# digits only (RFC 3966). CLINIC_PHONE above stays the friendly form people read.
CLINIC_PHONE_TEL = env.str("CLINIC_PHONE_TEL", "+15550100199")
if not (
    CLINIC_PHONE_TEL.startswith("+")
    and CLINIC_PHONE_TEL[1:].isascii()
    and CLINIC_PHONE_TEL[1:].isdigit()
    and len(CLINIC_PHONE_TEL) <= 16  # E.164: at most 15 digits
):
    raise ImproperlyConfigured(
        f"CLINIC_PHONE_TEL: {CLINIC_PHONE_TEL!r} is not a global number like +15550100199 "
        "(a plus, then digits only, at most 15)."
    )
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", 7)
# When a patient can expect an answer to a question for their care team, in words they read
# ("Your care team usually answers within one working day"), and the same promise in hours:
# questions open longer come first on the therapist's roster.
CARE_TEAM_REPLY_WITHIN = env.str("CARE_TEAM_REPLY_WITHIN", "within one working day").strip()
try:
    CARE_TEAM_REPLY_HOURS = env.int("CARE_TEAM_REPLY_HOURS", 24)
except EnvError as error:
    raise ImproperlyConfigured(f"CARE_TEAM_REPLY_HOURS: {error}") from error
if not CARE_TEAM_REPLY_WITHIN or len(CARE_TEAM_REPLY_WITHIN) > 80:
    raise ImproperlyConfigured(
        f"CARE_TEAM_REPLY_WITHIN: {CARE_TEAM_REPLY_WITHIN!r} should be a few words patients "
        'read after "usually answers", like "within one working day" (at most 80 characters).'
    )
if not 1 <= CARE_TEAM_REPLY_HOURS <= 24 * 14:
    raise ImproperlyConfigured(
        f"CARE_TEAM_REPLY_HOURS: {CARE_TEAM_REPLY_HOURS} should be the hours behind "
        "CARE_TEAM_REPLY_WITHIN, from 1 to 336 (two weeks)."
    )
# `seed_demo` makes accounts with published passwords: only on a development machine.
# (Read here, because the test runner turns DEBUG off after settings load.)
DEMO_DATA_ALLOWED = DEBUG

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # For example submission://user:password@smtp.clinic.example:587 (SMTP with STARTTLS).
    email = _required(env.dj_email_url, "EMAIL_URL", None)
    EMAIL_HOST = email["EMAIL_HOST"]
    EMAIL_PORT = email["EMAIL_PORT"]
    EMAIL_HOST_USER = email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = email["EMAIL_USE_SSL"]
    EMAIL_BACKEND = email.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "care@clinic.example")
# Where the app is reached, for links in emails the worker sends outside any request
# (reminders, password reset links): scheme and host, no path.
SITE_URL = _required(env.str, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL: {SITE_URL!r} must start with https:// (or http://).")

# Background tasks (django-tasks, Django's task framework): every email is sent by a
# worker, never inside a request. The database backend needs nothing more than the
# database (`manage.py db_worker`, which `make run` starts); TASKS_BACKEND=rq puts the
# queue in Redis at REDIS_URL for several RQ workers (`manage.py rqworker default
# --job-class django_tasks_rq.Job`, after `pip install -r requirements/rq.txt`).
TASKS_BACKEND = env.str("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL, where RQ keeps its queue.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND: {TASKS_BACKEND!r} is not database or rq.")

# Email reminders (reminders/): `manage.py send_due_reminders` finds what is due.
# The therapist's daily digest goes out after this hour of the clinic's day (0-23).
REMINDER_DIGEST_HOUR = env.int("REMINDER_DIGEST_HOUR", 7)
if not 0 <= REMINDER_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("REMINDER_DIGEST_HOUR must be an hour of the day, 0 to 23.")
# The invitation to reflect comes this many hours after a session, and not for sessions
# older than REMINDER_REFLECTION_WITHIN_DAYS.
REMINDER_REFLECTION_AFTER_HOURS = env.int("REMINDER_REFLECTION_AFTER_HOURS", 2)
REMINDER_REFLECTION_WITHIN_DAYS = env.int("REMINDER_REFLECTION_WITHIN_DAYS", 3)
# Answers and comments older than this are not announced (a first run on old data).
REMINDER_LOOKBACK_DAYS = env.int("REMINDER_LOOKBACK_DAYS", 7)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Browsers get only what the app serves itself: no CDN, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# The REST API (/api/v1/): the browser's session, or a token for native apps.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
        "common.rest.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.rest.ClinicPagination",
    "DEFAULT_THROTTLE_CLASSES": ["common.rest.WriteRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only: form encoding has no types, so "0" could mean false or the digit zero.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "common.rest.clinic_exception_handler",
    # Throttles find the client's address through common.net.client_ip; this keeps any
    # DRF code that reads it directly in step.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "common.api_schema.ClinicAutoSchema",
}
# Rates are read on each request, so tests and deployments can change them.
API_AUTH_RATE = env.str("API_AUTH_RATE", "10/minute")
API_WRITE_RATE = env.str("API_WRITE_RATE", "120/minute")
# API tokens (django-rest-knox): one per device, named by the app, stored only as a hash,
# valid for API_TOKEN_TTL_DAYS and never extended by use. A password change or a
# deactivation revokes them all (accounts.signals); people see and revoke theirs at
# /account/devices/.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model's name, not a secret)
# knox's own migrations would still create its swapped-out token table, which references
# users and blocks PostgreSQL's TRUNCATE when tests flush the database. Its model is
# replaced by accounts.ApiToken, so knox needs no table of its own.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Bearer",
    "AUTO_REFRESH": False,
    # A phone, a tablet and a few reinstalls; more means someone should look at the list.
    "TOKEN_LIMIT_PER_USER": 10,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "KAP companion API",
    "DESCRIPTION": (
        "Everything a patient or therapist does in the web app: informed consent, the "
        "integration journal, validated measures and the therapist's review. Authenticate "
        "with the browser session or with `Authorization: Bearer <token>` from "
        "`POST /api/v1/auth/token/`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name for a choice set used by several serializers.
    "ENUM_NAME_OVERRIDES": {
        "ScheduleModeEnum": "measures.models.ScheduleMode",
        "SectionChangeKindEnum": "consent.models.SectionChange.Kind",
        # The consent status keeps the name it had before a second "kind" appeared.
        "KindEnum": ["not_started", "in_progress", "signed", "outdated", "withdrawn"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates each step of every PDF at INFO; only its problems matter here.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Signatures (issue 11) ---
# Each signed consent is sealed with a keyed HMAC-SHA256 (21 CFR 11.70), so a record edited
# in the database no longer verifies (`python manage.py verify_records`). The keys live in
# the environment, never in the database: "id:secret" pairs, comma-separated. The first
# seals new signatures; every one listed still verifies the records it sealed, so a key is
# rotated by putting a new one first and keeping the old ones after it. Make a secret with
# `python -c "import secrets; print(secrets.token_urlsafe(32))"`.
SIGNATURE_KEY_MIN_CHARS = 32


def _signature_keys(value):
    keys = {}
    for pair in (part.strip() for part in value.split(",")):
        key_id, _, secret = pair.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not key_id or not secret:
            raise ImproperlyConfigured(
                "SIGNATURE_KEYS: write each key as id:secret, comma-separated."
            )
        if not key_id.replace("-", "").replace("_", "").isalnum() or len(key_id) > 40:
            raise ImproperlyConfigured(
                f"SIGNATURE_KEYS: the key id {key_id!r} must be letters, digits, - or _ "
                "(40 at most)."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"SIGNATURE_KEYS: the key id {key_id!r} is listed twice.")
        if not DEBUG and len(secret) < SIGNATURE_KEY_MIN_CHARS:
            raise ImproperlyConfigured(
                f"SIGNATURE_KEYS: the secret of {key_id!r} is shorter than "
                f"{SIGNATURE_KEY_MIN_CHARS} characters."
            )
        keys[key_id] = secret
    return keys


# {key id: secret}, in the order given: the first seals, all verify.
SIGNATURE_KEYS = _signature_keys(
    _required(
        env.str,
        "SIGNATURE_KEYS",
        "dev-1:development-only-signature-key-never-use-in-production",
    )
)
# Reading times on the therapist's consent record: a section acknowledged faster than this
# many words a minute (about twice a careful adult reader's pace) is flagged as skimmed.
CONSENT_FAST_READING_WORDS_PER_MINUTE = env.int("CONSENT_FAST_READING_WORDS_PER_MINUTE", 500)
if CONSENT_FAST_READING_WORDS_PER_MINUTE <= 0:
    raise ImproperlyConfigured("CONSENT_FAST_READING_WORDS_PER_MINUTE must be above 0.")

"""Deployment checks (`manage.py check --deploy`) for what Django's own do not cover."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Login limits and one-time-code replay checks live in the cache; all workers must share it."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The cache is not shared between worker processes, so each one keeps its "
                "own count of failed logins and used two-factor codes.",
                hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0).",
                id="kap.W001",
            )
        ]
    return []

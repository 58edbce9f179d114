from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail: who did what to which record, when and from where, in a hash chain."""

    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from audit import signals  # noqa: F401  (records admin changes)

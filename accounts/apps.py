from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and care teams"

    def ready(self):
        # Receivers: the two-factor note in the session; API tokens revoked with a password
        # change or a deactivation; logins and credential changes in the audit trail.
        from accounts import events, signals, two_factor  # noqa: F401

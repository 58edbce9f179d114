from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and care teams"

    def ready(self):
        # Receivers: the two-factor note in the session; API tokens revoked with a password
        # change or a deactivation.
        from accounts import signals, two_factor  # noqa: F401

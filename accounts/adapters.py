"""allauth's hooks: who may sign up, how failed logins are counted, how two-factor is kept."""

from contextlib import suppress
from functools import cached_property

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone

from accounts import access


class ClinicAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by the clinic: patients join through an invitation, never sign up."""

    def is_open_for_signup(self, request):
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # When idle time ran out, the login page says why (common.middleware); a second
        # "You have signed out." above it would only confuse.
        ran_out = request.method == "POST" and request.POST.get("reason") == "idle"
        if ran_out and message_template == "account/messages/logged_out.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    # --- Email: queued for the worker (accounts.tasks), never sent inside a request ---

    def send_password_reset_mail(self, user, email, context):
        # allauth made a working link in `context`; it is dropped here, and the worker
        # makes a fresh one, so the queue only ever holds the account's id.
        from accounts import tasks
        from common.tasks import enqueue_with_transaction

        enqueue_with_transaction(tasks.send_password_reset_email, user_id=user.pk)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Queue a security notice ("your password was changed") for the account's address."""
        from allauth.account import app_settings

        from accounts import tasks
        from common.net import client_ip
        from common.tasks import enqueue_with_transaction

        if not app_settings.EMAIL_NOTIFICATIONS:
            return
        ip_address, user_agent = "", ""
        if self.request is not None:
            # No address known (a request built in code): the notice leaves it blank.
            with suppress(PermissionDenied):
                ip_address = client_ip(self.request) or ""
            user_agent = self.get_http_user_agent(self.request)[:200]
        enqueue_with_transaction(
            tasks.send_account_notice,
            user_id=user.pk,
            template_prefix=template_prefix,
            occurred_at=timezone.now().isoformat(),
            ip_address=ip_address,
            user_agent=user_agent,
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth prefixes the site's domain, which without django.contrib.sites is the
        # request's Host header: each name the app answers to would get its own five
        # guesses. The lockout is per account, whatever address or name it is reached by.
        return credentials.get("email", credentials.get("username", "")).strip().lower()

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from accounts.events import record_lockout

            email = credentials.get("email", credentials.get("username", ""))
            record_lockout(request, email=str(email).strip().lower())
            raise

    def count_failed_login(self, request, *, email):
        """Count a refused login whose password was right: a wrong or missing code, say.

        allauth hands back the attempt it counted once the password matches; counting it
        again here makes a wrong code cost as much as a wrong password, so neither can be
        guessed faster than the other. Raises ValidationError once the limit is reached.
        """
        self.pre_authenticate(request, email=email)


class ClinicMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest; staff keep their TOTP.

    MFA_ENCRYPTION_KEY holds one Fernet key, or several separated by commas to rotate:
    the first encrypts, any of them decrypts.
    """

    @cached_property
    def _fernet(self):
        keys = [key.strip() for key in settings.MFA_ENCRYPTION_KEY.split(",") if key.strip()]
        try:
            return MultiFernet([Fernet(key) for key in keys])
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(
                "MFA_ENCRYPTION_KEY must be one or more Fernet keys (32 url-safe base64 bytes)."
            ) from error

    def encrypt(self, text):
        return self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text):
        try:
            return self._fernet.decrypt(encrypted_text.encode()).decode()
        except InvalidToken as error:
            # Never fall back to reading it as plain text: a stored secret that does not
            # decrypt means a lost or wrong key, which only the clinic can put right.
            raise ImproperlyConfigured(
                "A two-factor secret does not decrypt with MFA_ENCRYPTION_KEY. Was the key "
                "changed without keeping the old one?"
            ) from error

    def can_delete_authenticator(self, authenticator):
        # Therapists and clinic admins must keep their authenticator app: removing it
        # would leave their many patients' records behind a password alone. A clinic
        # admin resets a lost phone in the Django admin instead.
        if authenticator.type == Authenticator.Type.TOTP and access.must_use_two_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)

"""API tokens for native apps: one per device, named, expiring; shown once, stored as a hash.

Services (every write) and selectors (every read) for tokens, shared by the API
(accounts.api) and the "Your devices" page (accounts.views). django-rest-knox makes and
checks the tokens; this module decides who gets one and keeps the list in order.

A login through the API counts against the same limits as the web login (allauth's
`login_failed`: per address, and per account whatever the address), and every refused
credential answers with the same words, so the API tells a guesser nothing the web
login does not.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.settings import knox_settings

from accounts import access
from accounts.models import ApiToken, User
from accounts.two_factor import has_two_factor
from audit.models import Kind
from audit.services import record_event

# One answer for an unknown email, a wrong password, a deactivated account, and a missing
# or wrong code: telling them apart would let a guesser find the password first and the
# code after, each with its own budget of tries.
CREDENTIALS_REFUSED = _("The email, password or code is not correct.")


class TooManyLoginAttempts(Exception):
    """The per-address or per-account limit on failed logins is reached; wait and retry."""

    def __init__(self):
        # The longest of allauth's `login_failed` windows: by then every count is spent.
        rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
        self.retry_after_seconds = int(max((rate.duration for rate in rates), default=60))
        minutes = max(1, round(self.retry_after_seconds / 60))
        super().__init__(
            ngettext(
                "Too many attempts to log in. To keep the account safe, logging in is "
                "paused: please wait %(minutes)d minute, then try again.",
                "Too many attempts to log in. To keep the account safe, logging in is "
                "paused: please wait %(minutes)d minutes, then try again.",
                minutes,
            )
            % {"minutes": minutes}
        )


class TwoFactorSetupRequired(Exception):
    """Staff log in to the app only once their authenticator app is set up on the web."""

    def __init__(self):
        super().__init__(
            _(
                "Your role needs two-factor authentication. Set it up in the web app first, "
                "then log in here with the code it shows."
            )
        )


class TooManyDevices(Exception):
    """More devices than TOKEN_LIMIT_PER_USER: the person chooses which one to log out."""

    def __init__(self, limit):
        super().__init__(
            _(
                "You are logged in on %(limit)d devices already. Log out on one of them, or "
                "remove one under Your devices in the web app, then try again."
            )
            % {"limit": limit}
        )


@dataclass(frozen=True)
class Device:
    """One device logged in to the app, as its owner sees it in a list."""

    public_id: uuid.UUID
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    is_current: bool


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the raw value goes to the app once; only its hash is kept."""

    token: str
    device: Device
    user: User


# --- Services ---------------------------------------------------------------------------


def log_in_device(*, request, email, password, code, device_name):
    """Check the credentials like the web login does, then issue a token for this device.

    `request` is Django's HttpRequest: allauth reads the address from it for its limits.
    Raises ValidationError (CREDENTIALS_REFUSED) for any wrong credential,
    TooManyLoginAttempts once the limits are reached, TwoFactorSetupRequired for staff
    without an authenticator app, TooManyDevices past the per-person limit.
    """
    adapter = get_adapter(request)
    email = email.strip().lower()
    try:
        user = adapter.authenticate(request, email=email, password=password)
        if user is None:
            raise ValidationError(CREDENTIALS_REFUSED)
        # allauth hands back a deactivated account whose password matched (to show the
        # web's "account inactive" page); the API refuses it like any wrong credential.
        second_step_passed = user.is_active and (
            not has_two_factor(user) or _code_is_valid(user, code)
        )
        if not second_step_passed:
            adapter.count_failed_login(request, email=email)
            raise ValidationError(CREDENTIALS_REFUSED)
    except ValidationError as error:
        if error.code == "too_many_login_attempts":
            raise TooManyLoginAttempts() from None
        raise
    if access.must_use_two_factor(user) and not has_two_factor(user):
        raise TwoFactorSetupRequired()
    token = issue_token(user=user, device_name=device_name, request=request)
    update_last_login(None, user)
    return token


def _code_is_valid(user, code):
    if not code:
        return False
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    # allauth refuses a code already used within its period, so an overheard code
    # cannot be replayed.
    return TOTP(authenticator).validate_code(code)


@transaction.atomic
def issue_token(*, user, device_name, request=None):
    """A new token for one of this person's devices. Expired ones are cleared first."""
    # One login at a time per person, so two at once cannot both squeeze under the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    ApiToken.objects.filter(user=user).expired().delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and ApiToken.objects.filter(user=user).unexpired().count() >= limit:
        raise TooManyDevices(limit)
    instance, raw_token = ApiToken.objects.create(
        user=user, device_name=" ".join(device_name.split())
    )
    record_event(Kind.TOKEN_ISSUED, actor=user, target=instance, request=request)
    return IssuedToken(token=raw_token, device=_as_device(instance, current=instance), user=user)


@transaction.atomic
def revoke_token(*, token, request=None):
    """Log out the device this token belongs to (the app's own "log out")."""
    if ApiToken.objects.filter(pk=token.pk).delete()[0]:
        _record_revoked(token, actor=token.user, request=request, reason="logged out")


@transaction.atomic
def revoke_device(*, user, public_id, request=None):
    """Log out one of this person's devices and return its name.

    Someone else's device is a 404, like one that does not exist.
    """
    token = get_object_or_404(ApiToken.objects.filter(user=user), public_id=public_id)
    token.delete()
    _record_revoked(token, actor=user, request=request, reason="removed from devices")
    return token.device_name


def revoke_all_tokens(*, users):
    """Log out every device of these people (users or their ids).

    After a password change or a deactivation (accounts.signals does it for every save;
    a bulk `QuerySet.update()` skips signals, so its caller calls this itself).
    """
    tokens = list(ApiToken.objects.filter(user__in=users).select_related("user"))
    ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    for token in tokens:
        _record_revoked(token, actor=None, request=None, reason="password changed or deactivated")


def _record_revoked(token, *, actor, request, reason):
    record_event(
        Kind.TOKEN_REVOKED,
        actor=actor,
        actor_email=token.user.email,
        target=token,
        request=request,
        detail={"reason": reason},
    )


# --- Selectors --------------------------------------------------------------------------


def device_tokens_of(user):
    """The live tokens of this person's devices, newest first, for paging."""
    return ApiToken.objects.filter(user=user).unexpired().order_by("-created", "-pk")


def devices_of(user, *, current_token=None):
    """The devices logged in as this person, newest first; `current_token` marks this one."""
    return as_devices(device_tokens_of(user), current_token=current_token)


def as_devices(tokens, *, current_token=None):
    return [_as_device(token, current=current_token) for token in tokens]


def _as_device(token, *, current):
    return Device(
        public_id=token.public_id,
        name=token.device_name,
        created_at=token.created,
        expires_at=token.expiry,
        last_used_at=token.last_used_at,
        is_current=isinstance(current, ApiToken) and current.pk == token.pk,
    )

"""Asking a logged-in person to prove again who they are, right before an act that binds them.

21 CFR 11.200(a): an electronic signature made outside one continuous, controlled session
needs both parts of the person's identity again. A patient signs their consent on a phone
that may have been left unlocked, so the sign page asks for the password (and the code,
for an account with two-factor) whatever the session says.

Every wrong password or code counts into the same allauth limits as a wrong login (per
address, and per account whatever the address), so the sign page is no back door for
guessing: once the limit is reached, even the right password is refused until it lapses.
"""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.tokens import TooManyLoginAttempts
from accounts.two_factor import has_two_factor


class IdentityCheck(models.TextChoices):
    """How a person proved who they were; kept with what they did."""

    PASSWORD = "password", _("password")
    PASSWORD_AND_CODE = "password_and_code", _("password and two-factor code")


class TooManyAttempts(TooManyLoginAttempts):
    """The failed-login limit is reached: nothing is checked until it lapses."""

    def __init__(self):
        super().__init__()
        minutes = max(1, round(self.retry_after_seconds / 60))
        self.args = (
            ngettext(
                "Too many wrong attempts. To keep your account safe, signing and logging in "
                "are paused: please wait %(minutes)d minute, then try again.",
                "Too many wrong attempts. To keep your account safe, signing and logging in "
                "are paused: please wait %(minutes)d minutes, then try again.",
                minutes,
            )
            % {"minutes": minutes},
        )


@dataclass(frozen=True)
class ConfirmedIdentity:
    method: IdentityCheck
    confirmed_at: datetime


REFUSED = _("That is not the password of your account.")
# With two-factor, one answer for a wrong password and a wrong code, as at login: telling
# them apart would let someone find the password first and the code after.
REFUSED_WITH_CODE = _("The password or the code is not correct.")


def confirm_identity(*, request, user, password, code=""):
    """Check the password (and two-factor code) of `user`, who is already logged in.

    `request` is Django's HttpRequest: allauth reads the address from it for its limits.
    Returns how identity was confirmed and when. Raises ValidationError with a message on
    the `password` or `code` field, or TooManyAttempts once the limits are reached.
    """
    needs_code = has_two_factor(user)
    missing = {}
    if not password:
        missing["password"] = _("Type your password.")
    if needs_code and not (code or "").strip():
        missing["code"] = _("Type the code your authenticator app shows now.")
    if missing:
        # Nothing was tried, so nothing is counted.
        raise ValidationError(missing)
    adapter = get_adapter(request)
    email = user.email.strip().lower()
    refused = REFUSED_WITH_CODE if needs_code else REFUSED
    try:
        # allauth counts the attempt first and hands it back only if the password is right.
        matched = adapter.authenticate(request, email=email, password=password)
        if matched is None or matched.pk != user.pk:
            raise ValidationError({"password": refused})
        if needs_code and not _code_is_valid(user, code.strip()):
            adapter.count_failed_login(request, email=email)
            raise ValidationError({"password": refused})
    except ValidationError as error:
        if getattr(error, "code", None) == "too_many_login_attempts":
            raise TooManyAttempts() from None
        raise
    return ConfirmedIdentity(
        method=IdentityCheck.PASSWORD_AND_CODE if needs_code else IdentityCheck.PASSWORD,
        confirmed_at=timezone.now(),
    )


def _code_is_valid(user, code):
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    # As at the API's login (accounts.tokens): allauth refuses a code already used within
    # its period, so a code read over someone's shoulder cannot be replayed.
    return TOTP(authenticator).validate_code(code)

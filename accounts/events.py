"""Logins, logouts and credential changes join the audit trail.

Receivers on Django's and allauth's signals, so every path counts: the web login, the
admin login, the API's token login (its failures go through Django's `authenticate`),
allauth's password and two-factor pages. Each event says who, from where, and when.
"""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import User
from audit.models import Kind
from audit.services import record_event


def _patient(user):
    return user if user is not None and user.is_patient else None


@receiver(user_logged_in, dispatch_uid="audit.logged_in")
def record_login(sender, request, user, **kwargs):
    record_event(Kind.LOGIN_SUCCEEDED, actor=user, patient=_patient(user), request=request)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def record_refused_login(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; the email is kept so the
    # clinic can see attempts on an account, whoever made them.
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    account = User.objects.filter(email__iexact=email).first() if email else None
    record_event(
        Kind.LOGIN_FAILED,
        actor_email=email,
        patient=_patient(account),
        request=request,
    )


@receiver(authentication_failed, dispatch_uid="audit.code_refused")
def record_refused_code(sender, request, user, authenticator, reauthentication=False, **kwargs):
    # The password was right and the authenticator app's code was not: the person is not
    # logged in, so the event names the account by its email, like any refused login.
    record_event(
        Kind.LOGIN_FAILED,
        actor_email=user.email,
        patient=_patient(user),
        request=request,
        detail={"step": "reauthentication code" if reauthentication else "code"},
    )


def record_lockout(request, *, email):
    """Called by the account adapter when the failed-login limit refuses an attempt."""
    account = User.objects.filter(email__iexact=email).first() if email else None
    record_event(Kind.LOCKED_OUT, actor_email=email, patient=_patient(account), request=request)


@receiver(user_logged_out, dispatch_uid="audit.logged_out")
def record_logout(sender, request, user, **kwargs):
    if user is None:
        return
    # The idle middleware marks the request before it logs out; idle.js sends reason=idle.
    idle = getattr(request, "idle_session_ended", False) or (
        request is not None and request.method == "POST" and request.POST.get("reason") == "idle"
    )
    record_event(
        Kind.IDLE_LOGOUT if idle else Kind.LOGGED_OUT,
        actor=user,
        patient=_patient(user),
        request=request,
    )


@receiver(password_changed, dispatch_uid="audit.password_changed")
@receiver(password_set, dispatch_uid="audit.password_set")
def record_password_change(sender, request, user, **kwargs):
    record_event(Kind.PASSWORD_CHANGED, actor=user, patient=_patient(user), request=request)


@receiver(password_reset, dispatch_uid="audit.password_reset")
def record_password_reset(sender, request, user, **kwargs):
    record_event(Kind.PASSWORD_RESET, actor=user, patient=_patient(user), request=request)


TWO_FACTOR_KINDS = {
    authenticator_added: Kind.TWO_FACTOR_ADDED,
    authenticator_removed: Kind.TWO_FACTOR_REMOVED,
    authenticator_reset: Kind.RECOVERY_CODES_RESET,
}


def _record_two_factor_change(sender, signal, request, user, authenticator, **kwargs):
    record_event(
        TWO_FACTOR_KINDS[signal],
        actor=user,
        patient=_patient(user),
        request=request,
        detail={"type": authenticator.type},
    )


for _signal in TWO_FACTOR_KINDS:
    _signal.connect(_record_two_factor_change, dispatch_uid=f"audit.{TWO_FACTOR_KINDS[_signal]}")

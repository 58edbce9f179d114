"""The account emails, sent by a background worker rather than inside a request.

Each task is queued with ids and kinds only (see common.tasks): a secret link is made
here, in the worker, and goes nowhere but into the email. The invitation's token is
issued when its email is written; the password reset link is built from the account.
"""

import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import Invitation, Role, User, hash_token

# allauth's security notices that the worker may send, by template: a queued name
# outside this list is refused, so a task row can never pick an arbitrary template.
ACCOUNT_NOTICES = frozenset(
    {
        "account/email/password_changed",
        "account/email/password_reset",
        "account/email/password_set",
        "mfa/email/totp_activated",
        "mfa/email/totp_deactivated",
        "mfa/email/recovery_codes_generated",
        "mfa/email/webauthn_added",
        "mfa/email/webauthn_removed",
    }
)


def in_language_of(user):
    """Write an email in the language its recipient chose, else the clinic's."""
    return translation.override(user.language or settings.LANGUAGE_CODE)


@task()
def send_invitation_email(*, invitation_id, base_url):
    """Issue the invitation's one-time link and email it to the patient.

    The link is made now, so it exists only in this email: the queued task holds the
    invitation's id, and the database only the link's hash. An invitation replaced or
    revoked before the worker got to it sends nothing. Returns whether it was sent.
    """
    invitation = (
        Invitation.objects.pending()
        .select_related("patient", "invited_by")
        .filter(pk=invitation_id, expires_at__gt=timezone.now(), patient__is_active=True)
        .first()
    )
    if invitation is None:
        return False
    raw_token = secrets.token_urlsafe(32)
    issued = (
        Invitation.objects.pending()
        .filter(pk=invitation.pk)
        .update(token_hash=hash_token(raw_token))
    )
    if not issued:
        return False
    patient = invitation.patient
    context = {
        "patient": patient,
        "invited_by": invitation.invited_by,
        "link": base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[raw_token]),
        "expires_at": invitation.expires_at,
        "clinic_name": settings.CLINIC_NAME,
    }
    with in_language_of(patient):
        _send(
            subject=_("Your invitation to %(clinic)s") % {"clinic": settings.CLINIC_NAME},
            template="accounts/email/invitation.txt",
            context=context,
            to=[patient.email],
        )
    return True


@task()
def send_email_changed_notice(*, user_id, to, is_old_address):
    """Tell an address that the account's login address changed (the old one: not to what)."""
    user = User.objects.get(pk=user_id)
    context = {
        "user": user,
        "is_old_address": is_old_address,
        "clinic_name": settings.CLINIC_NAME,
        "clinic_phone": settings.CLINIC_PHONE,
    }
    with in_language_of(user):
        _send(
            subject=_("The email address of your %(clinic)s account changed")
            % {"clinic": settings.CLINIC_NAME},
            template="accounts/email/email_changed.txt",
            context=context,
            to=[to],
        )


@task()
def send_care_team_request(*, therapist_id, account_id, typed_name, base_url):
    """Ask the clinic admins whether an existing account should join a therapist's care."""
    therapist = User.objects.get(pk=therapist_id)
    account = User.objects.get(pk=account_id)
    admins = list(
        User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )
    if not admins:
        return
    context = {
        "therapist": therapist,
        "account": account,
        "typed_name": typed_name,
        "admin_url": base_url.rstrip("/")
        + reverse("admin:accounts_user_change", args=[account.pk]),
        "clinic_name": settings.CLINIC_NAME,
    }
    # One email to every clinic admin: the clinic's own language.
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            subject=_("%(therapist)s asks to add a patient to their care")
            % {"therapist": therapist.get_full_name()},
            template="accounts/email/care_team_request.txt",
            context=context,
            to=admins,
        )


@task()
def send_password_reset_email(*, user_id):
    """Email allauth's password reset link, made here from the account.

    The link (the account's id and a token that stops working once the password or the
    email changes) is never queued or stored: the task holds the account's id alone.
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    uid = user_pk_to_url_str(user)
    temp_key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": temp_key})
    _send_allauth_mail(
        "account/email/password_reset_key",
        user,
        {"password_reset_url": settings.SITE_URL + path, "uid": uid, "key": temp_key},
    )
    return True


@task()
def send_account_notice(*, user_id, template_prefix, occurred_at, ip_address, user_agent):
    """One of allauth's security notices ("your password was changed") to the account."""
    if template_prefix not in ACCOUNT_NOTICES:
        raise ValueError("This notice is not one the clinic sends.")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {
        "timestamp": timezone.localtime(parse_datetime(occurred_at)),
        "ip": ip_address,
        "user_agent": user_agent,
    }
    _send_allauth_mail(template_prefix, user, context)
    return True


class _ClinicSite:
    """What allauth's templates call the current site, outside any request."""

    @property
    def name(self):
        return settings.CLINIC_NAME

    @property
    def domain(self):
        return settings.SITE_URL.split("://", 1)[-1]


def _send_allauth_mail(template_prefix, user, context):
    from allauth.account.adapter import get_adapter

    full_context = {"user": user, "email": user.email, "current_site": _ClinicSite(), **context}
    with in_language_of(user):
        get_adapter().render_mail(template_prefix, user.email, full_context).send()


def _send(*, subject, template, context, to):
    message = render_to_string(template, context)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=to)

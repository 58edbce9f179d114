"""Every change to accounts: adding a patient to a therapist's care, invitation links,
email changes, password resets and deactivation.

Shared by the web pages, the admin and the API.

An invitation link is a key to the patient's account, so it goes to the patient's
mailbox and nowhere else: no service here returns it, and nothing shows it on a page.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import tasks
from accounts.language import is_supported
from accounts.models import CareTeamMembership, Invitation, Role, User, hash_token
from accounts.tokens import revoke_all_tokens
from audit.models import Kind
from audit.services import record_event
from common.tasks import enqueue_with_transaction

# --- Adding a patient ------------------------------------------------------------------


@transaction.atomic
def add_patient_to_care(*, therapist, first_name, last_name, email, base_url):
    """A therapist asks to add a patient by email; what happens next is not their business.

    A new address becomes a patient in this therapist's care, with an emailed invitation.
    An address that already has an account (any role) creates nothing: the clinic admins
    are asked to decide, and the account's owner hears nothing. Returns nothing, so the
    therapist's page cannot tell the two apart, and cannot learn who has an account.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                invite_patient(
                    therapist=therapist,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    base_url=base_url,
                )
            return
        except (IntegrityError, ValidationError):
            # Someone created this address a moment ago (a double submit, a colleague).
            existing = User.objects.filter(email=email).first()
            if existing is None:
                raise
    _ask_clinic_admins_to_add(
        therapist=therapist,
        account=existing,
        first_name=first_name,
        last_name=last_name,
        base_url=base_url,
    )


@transaction.atomic
def invite_patient(*, therapist, first_name, last_name, email, base_url):
    """Create a patient in this therapist's care and email them a one-time link.

    Returns the new patient. The link goes only to the patient's mailbox: whoever holds
    it can choose the password and act as the patient.
    """
    patient = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, role=Role.PATIENT
    )
    CareTeamMembership.objects.create(patient=patient, therapist=therapist)
    send_invitation(patient=patient, invited_by=therapist, base_url=base_url)
    return patient


def _ask_clinic_admins_to_add(*, therapist, account, first_name, last_name, base_url):
    """The clinic admins decide whether an existing account joins this therapist's care."""
    already_in_care = CareTeamMembership.objects.filter(
        patient=account, therapist=therapist
    ).exists()
    if already_in_care:
        return
    # Whether any admin is there to ask is the worker's to find out, when it writes.
    enqueue_with_transaction(
        tasks.send_care_team_request,
        therapist_id=therapist.pk,
        account_id=account.pk,
        typed_name=f"{first_name} {last_name}".strip(),
        base_url=base_url,
    )


# --- Invitation links ------------------------------------------------------------------


@transaction.atomic
def send_invitation(*, patient, invited_by, base_url, request=None):
    """Email a fresh link to a patient who has not joined yet; older links stop working.

    Returns the invitation (when it was sent, until when it works), never the link.
    """
    patient.invitations.pending().update(revoked_at=timezone.now())
    # The token made here is thrown away: the worker issues the link when it writes the
    # email (accounts.tasks), so no queued task or stored row ever holds a working link.
    invitation, _unsent_token = issue_invitation(patient=patient, invited_by=invited_by)
    enqueue_with_transaction(
        tasks.send_invitation_email, invitation_id=invitation.pk, base_url=base_url
    )
    record_event(
        Kind.INVITATION_SENT, actor=invited_by, patient=patient, target=invitation, request=request
    )
    return invitation


def issue_invitation(*, patient, invited_by):
    """Create an invitation and return it with the raw token (shown once, never stored)."""
    raw_token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        patient=patient,
        invited_by=invited_by,
        token_hash=hash_token(raw_token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    return invitation, raw_token


@transaction.atomic
def accept_invitation(*, invitation, password, request=None):
    """Set the patient's password and spend the link, so it never works twice."""
    if not invitation.is_usable:
        raise ValidationError(invitation.problem.label)
    now = timezone.now()
    # Conditional update: of two simultaneous submits only one spends the link.
    spent = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now
    )
    if not spent:
        raise ValidationError(Invitation.Problem.USED.label)
    invitation.accepted_at = now
    patient = invitation.patient
    patient.set_password(password)
    patient.save(update_fields=["password"])
    record_event(
        Kind.INVITATION_ACCEPTED, actor=patient, patient=patient, target=invitation, request=request
    )
    return patient


# --- What the clinic admin does to accounts --------------------------------------------


@transaction.atomic
def change_email(*, user, new_email, by=None, request=None):
    """Move an account to a new address, and tell both addresses.

    The old address hears that the address changed (not to what: the reason for the
    change may be that someone else reads that mailbox); the new one that it is now the
    login. Reset links already sent to the old address stop working, since Django's reset
    tokens depend on the email.
    """
    from allauth.account.models import EmailAddress

    new_email = new_email.strip().lower()
    old_email = User.objects.filter(pk=user.pk).values_list("email", flat=True).get()
    if new_email == old_email:
        return user
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account already uses this email address."))
    user.email = new_email
    user.save(update_fields=["email"])
    # allauth looks addresses up in its own table too: the old one must no longer log in
    # or receive a reset link.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=new_email).delete()
    for address, is_old_address in ((old_email, True), (new_email, False)):
        _send_email_changed_notice(user=user, to=address, is_old_address=is_old_address)
    record_event(
        Kind.EMAIL_CHANGED,
        actor=by,
        patient=user if user.is_patient else None,
        target=user,
        request=request,
    )
    return user


def _send_email_changed_notice(*, user, to, is_old_address):
    enqueue_with_transaction(
        tasks.send_email_changed_notice, user_id=user.pk, to=to, is_old_address=is_old_address
    )


def send_password_reset(*, user, request):
    """Email this person allauth's password reset link; nobody else ever sees or sets it.

    allauth hands the email to the clinic's adapter, which queues it: the worker makes
    the link (accounts.tasks.send_password_reset_email). Returns False for a deactivated
    account, which gets no link.
    """
    from allauth.account.forms import ResetPasswordForm
    from allauth.core.context import request_context

    if not user.is_active:
        return False
    # allauth builds the link from the request it finds in its context (its middleware
    # sets it for the admin's own request; this covers callers outside a request).
    with request_context(request):
        form = ResetPasswordForm(data={"email": user.email})
        if not form.is_valid():
            return False
        form.save(request)
    return True


@transaction.atomic
def deactivate_accounts(*, users, by=None, request=None):
    """Close accounts without erasing anything: clinical records keep who wrote them.

    A deactivated person can no longer log in: Django's backends refuse an inactive
    account on their next request, and every device's API token is revoked. Their pending
    invitation links stop working too. Returns how many accounts were deactivated.
    """
    closing = list(users.filter(is_active=True))
    ids = [user.pk for user in closing]
    User.objects.filter(pk__in=ids).update(is_active=False)
    for user in closing:
        record_event(
            Kind.ACCOUNT_DEACTIVATED,
            actor=by,
            patient=user if user.is_patient else None,
            target=user,
            request=request,
        )
    # update() sends no signals, so the tokens a save would revoke are revoked here.
    revoke_all_tokens(users=ids)
    Invitation.objects.filter(patient_id__in=ids).pending().update(revoked_at=timezone.now())
    return len(ids)


def set_language(*, user, language):
    """Remember the language a person chose, for every device they log in on."""
    if not is_supported(language):
        raise ValidationError(_("Choose one of the languages offered."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user

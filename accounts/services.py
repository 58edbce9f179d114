"""Every change to accounts: inviting a patient, issuing and spending invitation links.

Shared by the web pages, the admin and the API."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import CareTeamMembership, Invitation, Role, User, hash_token


@transaction.atomic
def invite_patient(*, therapist, first_name, last_name, email, base_url):
    """Create a patient in this therapist's care and email them a one-time link.

    Returns the new patient and the link, which the therapist may also send themselves.
    """
    patient = User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name, role=Role.PATIENT
    )
    CareTeamMembership.objects.create(patient=patient, therapist=therapist)
    link = send_invitation(patient=patient, invited_by=therapist, base_url=base_url)
    return patient, link


@transaction.atomic
def send_invitation(*, patient, invited_by, base_url):
    """Issue a fresh link for a patient who has not joined yet; older links stop working."""
    patient.invitations.pending().update(revoked_at=timezone.now())
    invitation, raw_token = issue_invitation(patient=patient, invited_by=invited_by)
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[raw_token])
    context = {
        "patient": patient,
        "invited_by": invited_by,
        "link": link,
        "expires_at": invitation.expires_at,
        "clinic_name": settings.CLINIC_NAME,
    }
    # Sent after the transaction commits, so a rolled-back invitation sends no mail.
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Your invitation to {settings.CLINIC_NAME}",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[patient.email],
        )
    )
    return link


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
def accept_invitation(*, invitation, password):
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
    return patient

import hashlib
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    THERAPIST = "therapist", _("Therapist")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


class UserQuerySet(models.QuerySet):
    def patients(self):
        return self.filter(role=Role.PATIENT)

    def therapists(self):
        return self.filter(role=Role.THERAPIST)

    def visible_to(self, user):
        from accounts.access import patients_visible_to

        return self & patients_visible_to(user)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CLINIC_ADMIN)
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Anyone who logs in: a patient, a therapist or a clinic admin. They log in by email."""

    username = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField("first name", max_length=150)
    last_name = models.CharField("last name", max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)
    # The language they chose for the app and their consent ("en" or "es"). Blank until they
    # choose: their browser's language decides until then.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True, default="")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # Only clinic admins may reach the Django admin.
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role="clinic_admin"),
                name="only_clinic_admins_are_staff",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()
        self.first_name = " ".join((self.first_name or "").split())
        self.last_name = " ".join((self.last_name or "").split())

    def save(self, *args, **kwargs):
        # Emails are compared case-blind everywhere, so they are stored in one case.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_patient(self):
        return self.role == Role.PATIENT

    @property
    def is_therapist(self):
        return self.role == Role.THERAPIST

    @property
    def is_clinic_admin(self):
        return self.role == Role.CLINIC_ADMIN

    @property
    def has_joined(self):
        """A patient has joined once they chose a password from their invitation."""
        return self.has_usable_password()


class CareTeamMembershipQuerySet(models.QuerySet):
    def for_therapist(self, therapist):
        return self.filter(therapist=therapist)


class CareTeamMembership(models.Model):
    """A therapist caring for a patient. A patient may have several therapists."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_team_memberships",
        limit_choices_to={"role": Role.PATIENT},
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="patient_memberships",
        limit_choices_to={"role": Role.THERAPIST},
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CareTeamMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "therapist"], name="unique_care_team_pair"),
        ]

    def __str__(self):
        return f"{self.therapist} cares for {self.patient}"

    def clean(self):
        if self.patient_id and not self.patient.is_patient:
            raise ValidationError({"patient": _("Only a patient can be in a therapist's care.")})
        if self.therapist_id and not self.therapist.is_therapist:
            raise ValidationError({"therapist": _("Only a therapist can care for a patient.")})


def hash_token(raw_token):
    return hashlib.sha256(raw_token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def find_by_token(self, raw_token):
        return self.select_related("patient").filter(token_hash=hash_token(raw_token)).first()


class Invitation(models.Model):
    """A one-time link a new patient opens to choose their password.

    Only a hash of the token is stored, so a database leak reveals no working link.
    """

    class Problem(models.TextChoices):
        USED = "used", _("This invitation link has already been used.")
        EXPIRED = "expired", _("This invitation link has expired.")
        REVOKED = "revoked", _("This invitation link was replaced by a newer one.")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.patient}"

    @property
    def problem(self):
        """Why this link can no longer be used, or None if it still works."""
        if self.accepted_at:
            return self.Problem.USED
        if self.revoked_at:
            return self.Problem.REVOKED
        if self.expires_at <= timezone.now():
            return self.Problem.EXPIRED
        return None

    @property
    def is_usable(self):
        return self.problem is None


class ApiTokenQuerySet(models.QuerySet):
    def unexpired(self):
        return self.filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))

    def expired(self):
        return self.filter(expiry__lte=timezone.now())


class ApiToken(AbstractAuthToken):
    """A native app's login on one device, named so its owner can recognize and revoke it.

    django-rest-knox keeps only a SHA-512 digest of the token (and its first characters, to
    find the row), so a copy of the database lets nobody act as the user. The token itself
    is shown once, to the app that asked for it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    device_name = models.CharField(max_length=60)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = AuthTokenManager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.device_name} ({self.user})"

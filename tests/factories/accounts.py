"""Account factories: patients, therapists, clinic admins and invitations."""

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import CareTeamMembership, Role, User
from accounts.services import issue_invitation
from accounts.two_factor import current_code  # noqa: F401  (tests type codes with it)

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PATIENT
    password = factory.django.Password(TEST_PASSWORD)


class PatientFactory(UserFactory):
    role = Role.PATIENT

    @factory.post_generation
    def care_team(self, create, therapists, **kwargs):
        for therapist in therapists or []:
            CareTeamMembership.objects.create(patient=self, therapist=therapist)

    class Params:
        invited = factory.Trait(password="!unusable")


class StaffFactory(UserFactory):
    """Therapists and clinic admins must log in with two-factor, so theirs is set up.

    The secret stays on the object (`user.totp_secret`) so a test can type a code.
    `two_factor=False` makes one who has not set it up yet.
    """

    @factory.post_generation
    def two_factor(self, create, enabled, **kwargs):
        self.totp_secret = None
        if create and enabled is not False:
            self.totp_secret = generate_totp_secret()
            TOTP.activate(self, self.totp_secret)


class TherapistFactory(StaffFactory):
    role = Role.THERAPIST


class ClinicAdminFactory(StaffFactory):
    role = Role.CLINIC_ADMIN
    is_staff = True
    is_superuser = True


def invitation_for(patient, *, invited_by=None):
    """An invitation and the raw token a patient would click."""
    return issue_invitation(patient=patient, invited_by=invited_by)

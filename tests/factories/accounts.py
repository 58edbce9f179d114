"""Account factories: patients, therapists, clinic admins and invitations."""

import factory

from accounts.models import CareTeamMembership, Role, User
from accounts.services import issue_invitation

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


class TherapistFactory(UserFactory):
    role = Role.THERAPIST


class ClinicAdminFactory(UserFactory):
    role = Role.CLINIC_ADMIN
    is_staff = True
    is_superuser = True


def invitation_for(patient, *, invited_by=None):
    """An invitation and the raw token a patient would click."""
    return issue_invitation(patient=patient, invited_by=invited_by)

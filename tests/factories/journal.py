"""Journal factories: minimal valid objects, with traits for what tests assert."""

from datetime import timedelta

import factory
from django.utils import timezone

from journal.models import (
    AdministrationSession,
    ClinicalNote,
    Comment,
    Entry,
    EntryRead,
    Intention,
    Route,
    Side,
)
from tests.factories.accounts import PatientFactory, TherapistFactory


class AdministrationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrationSession

    patient = factory.SubFactory(PatientFactory)
    recorded_by = factory.SubFactory(TherapistFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    route = Route.IV_INFUSION
    dose_mg = None


class EntryFactory(factory.django.DjangoModelFactory):
    """A submitted, private entry by default; traits: draft, shared, for_discussion, reviewed."""

    class Meta:
        model = Entry

    patient = factory.SubFactory(PatientFactory)
    body = "A quiet evening after the session. I felt lighter."
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(submitted_at=None)
        shared = factory.Trait(is_shared=True)
        for_discussion = factory.Trait(is_shared=True, is_for_discussion=True)
        reviewed = factory.Trait(is_shared=True, reviewed_at=factory.LazyFunction(timezone.now))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    entry = factory.SubFactory(EntryFactory, shared=True)
    author = factory.SubFactory(TherapistFactory)
    body = "Thank you for sharing this. Let us talk about the lightness next time."


class ReplyFactory(factory.django.DjangoModelFactory):
    """The patient's answer to a care team comment (pass `in_reply_to`)."""

    class Meta:
        model = Comment

    in_reply_to = factory.SubFactory(CommentFactory)
    entry = factory.LazyAttribute(lambda reply: reply.in_reply_to.entry)
    author = factory.LazyAttribute(lambda reply: reply.entry.patient)
    author_side = Side.PATIENT
    body = "Thank you. The lightness stayed for two days."
    seen_by_patient_at = factory.LazyFunction(timezone.now)


class IntentionFactory(factory.django.DjangoModelFactory):
    """A pending, shared intention by default; pass `session` for one kept with a session."""

    class Meta:
        model = Intention

    patient = factory.SubFactory(PatientFactory)
    body = "I want to stay with the sadness about my father instead of pushing it away."
    written_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    updated_at = factory.LazyAttribute(lambda intention: intention.written_at)


class ClinicalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClinicalNote

    entry = factory.SubFactory(EntryFactory, shared=True)
    author = factory.SubFactory(TherapistFactory)
    body = "Integration going well; revisit sleep."


class EntryReadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntryRead

    entry = factory.SubFactory(EntryFactory, shared=True)
    reader = factory.SubFactory(TherapistFactory)

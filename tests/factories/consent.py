"""Consent factories: the shipped version, drafts, and a signed consent."""


def shipped_consent_version():
    """The default consent the app ships (version 1, in English and Spanish), recreated if a
    flush removed it."""
    import importlib

    from django.apps import apps

    from consent.models import ConsentVersion

    version = ConsentVersion.objects.filter(number=1).first()
    if version is None:
        migration = importlib.import_module("consent.migrations.0002_default_kap_consent")
        migration.add_version_one(apps, None)
        passages = importlib.import_module("consent.migrations.0007_shipped_question_passages")
        passages.link_shipped_questions(apps, None)
        version = ConsentVersion.objects.get(number=1)
    if not version.translations.exists():
        spanish = importlib.import_module("consent.migrations.0010_version_one_in_spanish")
        spanish.add_spanish_text(apps, None)
    return version


def draft_version(*, sections=3, number=None, questions=()):
    """A small draft consent version: `sections` sections, questions on the given positions."""
    from consent.models import ConsentSection, ConsentVersion

    number = (
        number
        or (
            ConsentVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
        )
        + 1
    )
    version = ConsentVersion.objects.create(
        number=number, title="Test consent", introduction="Please read this."
    )
    for position in range(1, sections + 1):
        with_question = position in questions
        ConsentSection.objects.create(
            version=version,
            position=position,
            slug=f"section-{position}",
            title=f"Section {position}",
            body=f"What section {position} says.",
            question_prompt="Is this a test?" if with_question else "",
            question_choices=["No", "Yes"] if with_question else [],
            correct_choice=2 if with_question else None,
            question_explanation="It is a test." if with_question else "",
        )
    return version


def mark_every_change(draft, *, kind="material", reason="The clinic rewrote this section."):
    """Mark each section the draft changed since the current version (new ones: material)."""
    from consent import services
    from consent.models import ConsentVersion
    from consent.selectors import compare_sections

    current = ConsentVersion.objects.current()
    if current is None:
        return
    changes = compare_sections(current.ordered_sections(), draft.ordered_sections())
    for slug, change in changes.items():
        services.mark_section_change(
            version=draft,
            slug=slug,
            kind="material" if change == "added" else kind,
            reason=reason,
        )


def publish_version_two(consent_version, *, kind="material"):
    """Version 2: the risk of dissociation is reworded (marked `kind`), the rest the same."""
    from consent import services

    draft = services.draft_next_version(based_on=consent_version)
    section = draft.sections.get(slug="risk-dissociation")
    section.body += "\n\nIf it is too much, staff can help you feel grounded."
    section.save()
    services.mark_section_change(
        version=draft,
        slug="risk-dissociation",
        kind=kind,
        reason="We added how staff help if dissociation feels like too much.",
    )
    services.publish_version(version=draft)
    return draft


def read_in_order(consent, *, upto=None):
    """Acknowledge sections in order as the patient would, answering questions rightly."""
    from consent import services

    for section in consent.sections_to_read():
        if upto is not None and section.position > upto:
            break
        if section.has_question:
            services.answer_question(
                consent=consent, section=section, choice=section.correct_choice
            )
        services.acknowledge_section(consent=consent, section=section, confirmed=True)


def sign_request(*, ip_address="203.0.113.7", user_agent="Phone browser 1.0"):
    """The request a sign page hands the sign services: where the signature comes from."""
    from django.test import RequestFactory

    return RequestFactory().post(
        "/consent/sign/", REMOTE_ADDR=ip_address, HTTP_USER_AGENT=user_agent
    )


def signed_consent(patient, version, *, password=None, language="en"):
    """The patient read, answered and acknowledged every section and signed, as the services do.

    They confirm who they are with their password (the factories' TEST_PASSWORD).
    """
    from consent import services
    from tests.factories.accounts import TEST_PASSWORD

    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    services.sign_consent(
        consent=consent,
        typed_name=patient.get_full_name(),
        confirms_meaning=True,
        password=password or TEST_PASSWORD,
        request=sign_request(),
        language=language,
    )
    return consent


def read_for(patient, version, *seconds):
    """A consent whose first sections were each open for the given seconds, an hour ago.

    Written directly, as the services would have stamped them, so a test sets the times.
    """
    from datetime import timedelta

    from django.utils import timezone

    from consent.models import Acknowledgement, Consent

    consent = Consent.objects.create(patient=patient, version=version)
    opened_at = timezone.now() - timedelta(hours=1)
    for section, open_for in zip(version.ordered_sections(), seconds, strict=False):
        acknowledged_at = opened_at + timedelta(seconds=open_for)
        Acknowledgement.objects.create(
            consent=consent, section=section, opened_at=opened_at, acknowledged_at=acknowledged_at
        )
        opened_at = acknowledged_at
    return consent

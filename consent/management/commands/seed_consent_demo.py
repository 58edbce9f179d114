"""Demo consent records, so the therapist's screens show every state. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.http import HttpRequest

from accounts.management.commands.seed_demo import DEMO_PASSWORDS
from accounts.models import Role, User
from consent import services
from consent.models import Consent, ConsentVersion

SIGNED = "lena.novak@example.com"
IN_PROGRESS = "omar.haddad@example.com"
SECTIONS_READ_IN_PROGRESS = 3


class Command(BaseCommand):
    help = "Give demo patients consent records: Lena signed, Omar halfway with a question."

    @transaction.atomic
    def handle(self, *args, **options):
        version = ConsentVersion.objects.current()
        if version is None:
            self.stdout.write("No published consent version: nothing to seed.")
            return
        sections = version.ordered_sections()
        signer = User.objects.filter(email=SIGNED).first()
        if signer and not Consent.objects.filter(patient=signer).exists():
            consent = self._read(signer, sections)
            # Signed as the patient would: with the demo password seed_demo gave them.
            services.sign_consent(
                consent=consent,
                typed_name=signer.get_full_name(),
                confirms_meaning=True,
                password=DEMO_PASSWORDS[Role.PATIENT],
                request=_demo_request(),
            )
        reader = User.objects.filter(email=IN_PROGRESS).first()
        if reader and not Consent.objects.filter(patient=reader).exists():
            consent = self._read(reader, sections[:SECTIONS_READ_IN_PROGRESS])
            services.ask_care_team(
                consent=consent,
                section=sections[SECTIONS_READ_IN_PROGRESS - 1],
                text="If I feel detached during the session, how long does that usually last?",
            )

    def _read(self, patient, sections):
        consent = services.start_consent(patient=patient)
        for section in sections:
            if section.has_question:
                services.answer_question(
                    consent=consent, section=section, choice=section.correct_choice
                )
            services.acknowledge_section(consent=consent, section=section, confirmed=True)
        return consent


def _demo_request():
    """What the sign page would hand the service, from this machine."""
    request = HttpRequest()
    request.method = "POST"
    request.path = "/consent/sign/"
    request.META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "seed_demo"}
    return request

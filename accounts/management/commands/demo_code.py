"""Print the current two-factor code of a demo staff account, for trying the app.

It computes the code from the published demo secret alone, so it reveals nothing about
any real account.
"""

from django.core.management.base import BaseCommand

from accounts.management.commands.seed_demo import CLINIC_ADMIN, THERAPISTS, demo_totp_secret
from accounts.two_factor import current_code

DEMO_STAFF = {CLINIC_ADMIN[0]} | {email for email, *_ in THERAPISTS}


def current_demo_code(email):
    return current_code(demo_totp_secret(email))


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo therapist or the demo clinic admin."

    def add_arguments(self, parser):
        parser.add_argument("email", choices=sorted(DEMO_STAFF))

    def handle(self, *args, **options):
        self.stdout.write(current_demo_code(options["email"]))

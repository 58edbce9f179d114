"""Publish a measure from a JSON file: `python manage.py load_measure my-measure-v1.json`.

The file has the shape of the shipped ones (measures/definitions/phq9-v1.json). It is
checked first (items, an answer scale, bands covering every total, alert rules), then
published as a new version. Loading the same file again changes nothing; a published
version is never changed, so new wording is a new file with a higher "version".
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from measures.definitions import read_definition
from measures.services import publish_measure_version


class Command(BaseCommand):
    help = "Publish a validated measure (a new version) from a JSON definition file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the measure's JSON definition")

    def handle(self, *args, file, **options):
        try:
            version, created = publish_measure_version(definition=read_definition(file))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Published {version.name} version {version.number} "
                    f"({version.item_count} questions, scores 0 to {version.max_score})."
                )
            )
        else:
            self.stdout.write(
                f"{version.name} version {version.number} is already published; nothing changed."
            )

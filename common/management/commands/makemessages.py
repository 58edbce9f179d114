"""`makemessages` as this project runs it: no guessed ("fuzzy") translations, no build output.

Django's msgmerge guesses a translation for a new string from a similar old one and marks it
fuzzy. A guess in a consent app is worse than a gap, so new strings arrive empty and the
catalogue test asks for a real translation.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [
            *options.get("ignore_patterns", []),
            "staticfiles/*",
            "test-artifacts/*",
            "node_modules/*",
            "bench/*",
            "loadtest/*",
            "tests/*",
        ]
        options["no_wrap"] = True
        return super().handle(*args, **options)

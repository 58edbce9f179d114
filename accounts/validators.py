"""Password rules beyond Django's own: refuse passwords built from this app's context."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words an attacker tries first against a ketamine clinic's app.
CONTEXT_WORDS = ("ketamine", "ketamin", "kap", "companion", "clinic", "therapy", "password")


def _words(text):
    return {word for word in re.split(r"[^a-z0-9]+", text.lower()) if len(word) >= 3}


class ContextPasswordValidator:
    """Refuses a password that is mostly the clinic's name or the treatment's.

    "ketamine2024!!" and "Riverside KAP Clinic" are long enough and not on the common
    list, yet they are the first guesses against this app (ASVS 2.1.7).
    """

    def _context(self):
        return set(CONTEXT_WORDS) | _words(settings.CLINIC_NAME)

    def validate(self, password, user=None):
        lowered = password.lower()
        remainder = lowered
        for word in sorted(self._context(), key=len, reverse=True):
            remainder = remainder.replace(word, "")
        # What is left once the context words are gone must still be a password.
        if remainder != lowered and len(re.sub(r"[^a-z0-9]", "", remainder)) < 6:
            raise ValidationError(
                _(
                    "This password is built from the clinic's name or the treatment's, which "
                    "are the first guesses anyone would try. Choose something else, such as "
                    "a few unrelated words."
                ),
                code="password_context",
            )

    def get_help_text(self):
        return _("Don't build it from the clinic's name or the treatment's.")

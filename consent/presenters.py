"""How a consent status reads on a page or in the API: words and badge colours.

Kept out of the models and selectors so that wording and styling change in one place.
"""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consent.selectors import ConsentStatus

BADGES = {
    ConsentStatus.SIGNED: "badge-ok",
    ConsentStatus.IN_PROGRESS: "badge-wait",
    ConsentStatus.NOT_STARTED: "badge-warn",
    ConsentStatus.OUTDATED: "badge-warn",
    ConsentStatus.WITHDRAWN: "badge-danger",
}

# The default of the CARE_TEAM_REPLY_WITHIN setting, so the catalogue holds its translation.
DEFAULT_REPLY_WITHIN = gettext_noop("within one working day")


def reply_within():
    """When patients can expect an answer from their care team, in the page's language.

    The setting is the clinic's own words. The shipped default is translated; a clinic's
    own phrase is shown as written unless the catalogue knows it.
    """
    return _(settings.CARE_TEAM_REPLY_WITHIN)


def status_label(status):
    """One line a therapist (or the patient) reads at a glance."""
    if status.kind == ConsentStatus.NOT_STARTED:
        return _("Consent not started")
    if status.kind == ConsentStatus.IN_PROGRESS:
        done, total = status.progress
        if status.is_reconsenting:
            return _("Re-consent in progress (%(done)s of %(total)s)") % {
                "done": done,
                "total": total,
            }
        return _("Consent in progress (%(done)s of %(total)s)") % {"done": done, "total": total}
    version = status.latest.version.number
    if status.kind == ConsentStatus.WITHDRAWN:
        return _("Consent withdrawn (version %(version)s)") % {"version": version}
    if status.kind == ConsentStatus.OUTDATED:
        current = status.current_version.number
        return _("Consent outdated: signed version %(version)s, current is %(current)s") % {
            "version": version,
            "current": current,
        }
    if status.wording_updated_in is not None:
        # A wording-only update leaves the signature valid: say so, never "outdated".
        updated = status.wording_updated_in.number
        return _("Consent signed (version %(version)s, wording updated in version %(updated)s)") % {
            "version": version,
            "updated": updated,
        }
    signed_on = timezone.localdate(status.latest.signature.signed_at)
    # "25 November 2026" in English, "25 de noviembre de 2026" in Spanish.
    day = _("%(day)s %(month)s %(year)s") % {
        "day": signed_on.day,
        "month": formats.date_format(signed_on, "F"),
        "year": signed_on.year,
    }
    return _("Consent signed (version %(version)s, %(date)s)") % {"version": version, "date": day}


def status_badge(status):
    """The badge class that colours the status: green, amber or red."""
    return BADGES[status.kind]

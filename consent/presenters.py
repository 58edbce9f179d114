"""How a consent status reads on a page or in the API: words and badge colours.

Kept out of the models and selectors so that wording and styling change in one place.
"""

from django.utils import timezone

from consent.selectors import ConsentStatus

BADGES = {
    ConsentStatus.SIGNED: "badge-ok",
    ConsentStatus.IN_PROGRESS: "badge-wait",
    ConsentStatus.NOT_STARTED: "badge-warn",
    ConsentStatus.OUTDATED: "badge-warn",
    ConsentStatus.WITHDRAWN: "badge-danger",
}


def status_label(status):
    """One line a therapist (or the patient) reads at a glance."""
    if status.kind == ConsentStatus.NOT_STARTED:
        return "Consent not started"
    if status.kind == ConsentStatus.IN_PROGRESS:
        done, total = status.progress
        prefix = "Re-consent" if status.is_reconsenting else "Consent"
        return f"{prefix} in progress ({done} of {total})"
    version = status.latest.version.number
    if status.kind == ConsentStatus.WITHDRAWN:
        return f"Consent withdrawn (version {version})"
    if status.kind == ConsentStatus.OUTDATED:
        current = status.current_version.number
        return f"Consent outdated: signed version {version}, current is {current}"
    if status.wording_updated_in is not None:
        # A wording-only update leaves the signature valid: say so, never "outdated".
        updated = status.wording_updated_in.number
        return f"Consent signed (version {version}, wording updated in version {updated})"
    signed_on = timezone.localdate(status.latest.signature.signed_at)
    return f"Consent signed (version {version}, {signed_on.day} {signed_on:%B %Y})"


def status_badge(status):
    """The badge class that colours the status: green, amber or red."""
    return BADGES[status.kind]

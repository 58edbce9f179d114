"""How a roster row reads: the badges a therapist scans to see who needs them first.

Consent's own words and colours are in `consent.presenters` (the consent API needs them
too); this holds the journal's, which only the front door shows.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consent.presenters import status_badge, status_label


@dataclass(frozen=True)
class Badge:
    text: str
    css: str


def journal_badges(row):
    """What in the patient's shared journal waits for the therapist, most pressing first."""
    badges = []
    alerts = getattr(row, "measure_alert_count", 0)
    if alerts:
        badges.append(Badge(_("Urgent questionnaire answer"), "badge-danger"))
    if n := row.urgent_count:
        badges.append(Badge(ngettext("%(n)s urgent", "%(n)s urgent", n) % {"n": n}, "badge-danger"))
    if n := row.unread_reply_count:
        badges.append(
            Badge(ngettext("%(n)s new reply", "%(n)s new replies", n) % {"n": n}, "badge-warn")
        )
    if n := row.awaiting_review_count:
        badges.append(
            Badge(ngettext("%(n)s to review", "%(n)s to review", n) % {"n": n}, "badge-warn")
        )
    if n := row.for_discussion_count:
        badges.append(
            Badge(
                ngettext("%(n)s for discussion", "%(n)s for discussion", n) % {"n": n},
                "badge-wait",
            )
        )
    return badges


def waiting_since_label(hours):
    """How long an overdue question has waited, in the words of the clinic's promise."""
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("over a day", "over %(days)s days", days) % {"days": days}
    return ngettext("over an hour", "over %(hours)s hours", hours) % {"hours": hours}


def overdue_question_badge(row):
    """A badge for open consent questions older than CARE_TEAM_REPLY_HOURS, or None."""
    count = getattr(row, "overdue_consent_questions", 0)
    if not count:
        return None
    waited = waiting_since_label(settings.CARE_TEAM_REPLY_HOURS)
    text = ngettext(
        "Question waiting %(waited)s", "%(count)s questions waiting %(waited)s", count
    ) % {"count": count, "waited": waited}
    return Badge(text, "badge-danger")


@dataclass(frozen=True)
class RosterRow:
    """One patient on the roster page, with what the row shows worked out once."""

    patient: object  # a row from care.selectors.roster_rows, with `consent_status`
    badges: list
    overdue_badge: Badge | None
    consent_label: str
    consent_css: str
    url: str  # the patient's page
    session_url: str  # record a session
    agenda_url: str


# A stand-in id to reverse a patient's URLs once per page, then put each row's id in.
_ANY_PATIENT = uuid.UUID(int=0)


def _url_for_each_patient(name):
    before, after = reverse(name, args=[_ANY_PATIENT]).split(str(_ANY_PATIENT))
    return lambda public_id: f"{before}{public_id}{after}"


def roster_rows(patients):
    """The roster page's rows. A page has 50 rows with a few links each: reversing them
    row by row was a good part of the page's time."""
    patient_url = _url_for_each_patient("care:patient")
    session_url = _url_for_each_patient("care:session_new")
    agenda_url = _url_for_each_patient("journal:agenda")
    return [
        RosterRow(
            patient=patient,
            badges=journal_badges(patient),
            overdue_badge=overdue_question_badge(patient),
            consent_label=status_label(patient.consent_status),
            consent_css=status_badge(patient.consent_status),
            url=patient_url(patient.public_id),
            session_url=session_url(patient.public_id),
            agenda_url=agenda_url(patient.public_id),
        )
        for patient in patients
    ]

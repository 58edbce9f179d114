"""How a roster row reads: the badges a therapist scans to see who needs them first.

Consent's own words and colours are in `consent.presenters` (the consent API needs them
too); this holds the journal's, which only the front door shows.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Badge:
    text: str
    css: str


def journal_badges(row):
    """What in the patient's shared journal waits for the therapist, most pressing first."""
    badges = []
    alerts = getattr(row, "measure_alert_count", 0)
    if alerts:
        badges.append(Badge("Urgent questionnaire answer", "badge-danger"))
    if row.urgent_count:
        badges.append(Badge(f"{row.urgent_count} urgent", "badge-danger"))
    if row.unread_reply_count:
        n = row.unread_reply_count
        badges.append(Badge(f"{n} new repl{'y' if n == 1 else 'ies'}", "badge-warn"))
    if row.awaiting_review_count:
        badges.append(Badge(f"{row.awaiting_review_count} to review", "badge-warn"))
    if row.for_discussion_count:
        badges.append(Badge(f"{row.for_discussion_count} for discussion", "badge-wait"))
    return badges


def waiting_since_label(hours):
    """How long an overdue question has waited, in the words of the clinic's promise."""
    if hours % 24 == 0:
        days = hours // 24
        return "over a day" if days == 1 else f"over {days} days"
    return "over an hour" if hours == 1 else f"over {hours} hours"


def overdue_question_badge(row):
    """A badge for open consent questions older than CARE_TEAM_REPLY_HOURS, or None."""
    count = getattr(row, "overdue_consent_questions", 0)
    if not count:
        return None
    noun = "question" if count == 1 else f"{count} questions"
    return Badge(
        f"{noun.capitalize()} waiting {waiting_since_label(settings.CARE_TEAM_REPLY_HOURS)}",
        "badge-danger",
    )

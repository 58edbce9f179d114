"""Reads of consent that web pages and the API share: where a patient stands, and more.

Each selector returns what a screen needs; presentation (labels, badge colours) lives in
`consent.presenters`, never here or in the models.
"""

from django.db.models import Count, Prefetch, Q

from consent.models import Consent, ConsentVersion


class ConsentStatus:
    """Where a patient stands with consent, worked out from their consent records.

    Works from `patient.consents.all()`, so a list of patients can prefetch what it needs
    (see `prefetch_for_status`) and stay at a fixed number of queries.
    """

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SIGNED = "signed"
    OUTDATED = "outdated"
    WITHDRAWN = "withdrawn"

    def __init__(self, patient, current_version):
        consents = list(patient.consents.all())
        self.latest = consents[0] if consents else None
        self.current_version = current_version
        self.signed = next((c for c in consents if c.is_signed), None)
        if self.latest is None:
            self.kind = self.NOT_STARTED
        elif not self.latest.is_signed:
            self.kind = self.IN_PROGRESS
        elif self.latest.is_withdrawn:
            self.kind = self.WITHDRAWN
        elif current_version and self.latest.version_id != current_version.pk:
            self.kind = self.OUTDATED
        else:
            self.kind = self.SIGNED
        # Re-consenting to a new version after signing an older one.
        self.is_reconsenting = (
            self.kind == self.IN_PROGRESS
            and self.signed is not None
            and not self.signed.is_withdrawn
        )

    @classmethod
    def attach(cls, patients):
        """Set `patient.consent_status` on each patient (prefetch first: see below)."""
        patients = list(patients)
        current = ConsentVersion.objects.current()
        for patient in patients:
            patient.consent_status = cls(patient, current)
        return patients

    @staticmethod
    def prefetch_for_status():
        """What `ConsentStatus` reads, for `prefetch_related` on a patient queryset."""
        return Prefetch(
            "consents",
            queryset=Consent.objects.select_related("version", "signature", "withdrawal").annotate(
                acknowledged_count=Count(
                    "acknowledgements",
                    filter=Q(acknowledgements__acknowledged_at__isnull=False),
                    distinct=True,
                ),
                section_count=Count("version__sections", distinct=True),
            ),
        )

    @property
    def progress(self):
        latest = self.latest
        if latest is None:
            current = self.current_version
            return (0, current.sections.count() if current else 0)
        done = getattr(latest, "acknowledged_count", None)
        total = getattr(latest, "section_count", None)
        if done is None or total is None:
            done = len(latest.acknowledged_sections())
            total = latest.version.sections.count()
        return (done, total)

    @property
    def needs_attention(self):
        return self.kind in (self.NOT_STARTED, self.IN_PROGRESS, self.OUTDATED, self.WITHDRAWN)

"""The therapist sees how long each section was open, and which were acknowledged faster
than their words can be read (CONSENT_FAST_READING_WORDS_PER_MINUTE): a hint to talk them
through together. (The API carries the same: tests/api/test_consent_api.py.)
"""

import math

import pytest
from django.urls import reverse

from consent.models import Acknowledgement, Consent
from tests.factories.consent import read_for

SLOW, FAST = 300, 2  # seconds each section was open


@pytest.fixture
def read_at_two_speeds(patient, consent_version):
    """Sam read section 1 for five minutes, then clicked through section 2 in two seconds."""
    return read_for(patient, consent_version, SLOW, FAST)


def test_the_floor_follows_the_length_of_the_section(settings, consent_version):
    settings.CONSENT_FAST_READING_WORDS_PER_MINUTE = 500
    section = consent_version.ordered_sections()[0]
    words = len(section.canonical_text().split())
    assert section.word_count == words
    assert section.fast_reading_seconds == math.ceil(words * 60 / 500)
    assert section.fast_reading_seconds > FAST


def test_the_therapist_sees_seconds_open_and_a_flag_on_the_fast_section(
    client, therapist, patient, read_at_two_speeds
):
    second = read_at_two_speeds.version.ordered_sections()[1]
    client.force_login(therapist)
    page = client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    assert f"{SLOW} s" in page
    assert f"{FAST} s" in page
    # The legend's badge, and one section's.
    assert page.count('<span class="badge badge-warn">Fast</span>') == 2
    assert f"{second.word_count} words need {second.fast_reading_seconds} s" in page
    assert "at 500 words a minute" in page


def test_a_section_opened_but_not_acknowledged_has_no_time_and_no_flag(patient, consent_version):
    consent = Consent.objects.create(patient=patient, version=consent_version)
    opened = Acknowledgement.objects.create(
        consent=consent, section=consent_version.ordered_sections()[0]
    )
    assert opened.seconds_open is None
    assert not opened.was_read_quickly

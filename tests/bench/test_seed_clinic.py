"""The benchmark's clinic: a tiny one made by the same command has the shapes asked for."""

import pytest
from django.core.management import call_command

from accounts.models import CareTeamMembership, Role, User
from bench import clinic
from bench.management.commands.seed_clinic import Command as SeedClinic
from consent.models import Consent, Signature
from journal import selectors
from journal.models import AdministrationSession, Comment, Entry, EntryRead, Intention, Side
from measures import selectors as measure_selectors
from measures.models import MeasureAlert, MeasureResponse

pytestmark = pytest.mark.django_db

TINY = {"therapists": 2, "patients_per_therapist": 2, "entries": 5, "sessions": 3}


@pytest.fixture
def tiny_clinic(consent_version):
    call_command(SeedClinic(), **TINY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return consent_version


def test_each_therapist_cares_for_their_own_patients(tiny_clinic):
    therapists = User.objects.filter(role=Role.THERAPIST)
    assert therapists.count() == 2
    for therapist in therapists:
        assert CareTeamMembership.objects.filter(therapist=therapist).count() == 2
    assert User.objects.filter(role=Role.PATIENT).count() == 4
    # Staff log in with two-factor, so each seeded therapist has an authenticator.
    assert all(t.authenticator_set.filter(type="totp").exists() for t in therapists)


def test_every_patient_has_their_sessions_entries_and_a_signed_consent(tiny_clinic):
    for patient in User.objects.filter(role=Role.PATIENT):
        assert AdministrationSession.objects.filter(patient=patient).count() == 3
        assert Entry.objects.filter(patient=patient).submitted().count() == 5
        assert Consent.objects.filter(patient=patient, version=tiny_clinic).count() == 1
    assert Signature.objects.count() == 4


def test_what_was_shared_is_read_and_commented_on_only_by_the_care_team(tiny_clinic):
    for read in EntryRead.objects.select_related("entry"):
        assert read.entry.is_shared
        assert CareTeamMembership.objects.filter(
            patient=read.entry.patient_id, therapist=read.reader_id
        ).exists()
    for comment in Comment.objects.select_related("entry"):
        assert comment.entry.is_shared
    assert not Entry.objects.filter(is_shared=False, is_for_discussion=True).exists()


def test_the_seeded_signatures_verify(tiny_clinic, capsys):
    call_command("verify_records")
    assert "4 signed consents verified" in capsys.readouterr().out


def test_every_entry_is_in_its_patients_journal(tiny_clinic):
    for patient in User.objects.filter(role=Role.PATIENT):
        seeded = set(
            Entry.objects.filter(patient=patient).submitted().values_list("public_id", flat=True)
        )
        listed = {e.public_id for e in selectors.entries(patient, state="submitted")}
        assert listed == seeded
        for public_id in seeded:
            assert selectors.entry_or_404(patient, public_id).patient == patient


def test_a_second_run_leaves_a_seeded_clinic_alone(tiny_clinic, capsys):
    before = Entry.objects.count()
    call_command(SeedClinic(), **TINY)
    assert "already seeded" in capsys.readouterr().out
    assert Entry.objects.count() == before
    assert clinic.is_seeded()


def test_patients_answered_their_therapists_and_wrote_intentions(tiny_clinic):
    for reply in Comment.objects.filter(author_side=Side.PATIENT).select_related("in_reply_to"):
        assert reply.author_id == reply.entry.patient_id
        assert reply.in_reply_to.author_side == Side.CARE_TEAM
        assert reply.in_reply_to.entry_id == reply.entry_id
    for intention in Intention.objects.exclude(session=None).select_related("session"):
        assert intention.session.patient_id == intention.patient_id
        assert intention.written_at < intention.session.occurred_at
    assert Intention.objects.exists()


def test_every_patient_answered_the_phq9_and_gad7_every_two_weeks(tiny_clinic):
    for patient in User.objects.filter(role=Role.PATIENT):
        therapist = CareTeamMembership.objects.get(patient=patient).therapist
        for code in ("phq9", "gad7"):
            answers = list(
                MeasureResponse.objects.filter(patient=patient, measure__code=code)
                .submitted()
                .order_by("submitted_at")
            )
            # A year of answers, each scored and each the occurrence its schedule was due.
            assert 24 <= len(answers) <= 28
            assert answers[0].due_key == f"{code}:baseline"
            for before, after in zip(answers, answers[1:], strict=False):
                assert after.due_key == f"{code}:after:{before.public_id}"
            assert all(a.total_score == a.version.score(a.answers) for a in answers)
        summaries = measure_selectors.measure_summaries(therapist, patient)
        assert {s.measure.code for s in summaries if s.latest_score is not None} >= {"phq9", "gad7"}
    for alert in MeasureAlert.objects.select_related("response"):
        assert alert.response.patient_id == alert.patient_id

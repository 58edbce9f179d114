"""The demo shows a living journal, and seeding twice changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from journal.models import AdministrationSession, Comment, Entry, Intention


def _seed():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_journal_demo", stdout=StringIO())


def _counts():
    return (AdministrationSession.objects.count(), Entry.objects.count(), Comment.objects.count())


def test_seeding_twice_makes_no_duplicates(db):
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert first[0] >= 12 and first[1] >= 20 and first[2] >= 3


def test_the_demo_journal_has_a_mix_to_show(db):
    _seed()
    sam = User.objects.get(email="sam.rivera@example.com")
    entries = Entry.objects.filter(patient=sam)
    assert entries.filter(is_shared=True).exists() and entries.filter(is_shared=False).exists()
    assert entries.for_discussion().exists()
    assert entries.filter(reviewed_at__isnull=False).exists()
    assert entries.with_scores().count() >= 6
    latest = AdministrationSession.objects.filter(patient=sam).newest_first().first()
    assert not latest.entries.exists()  # waiting for Sam's reflection


def test_the_demo_therapist_sees_an_urgent_entry_and_a_sam_to_review(client, db):
    _seed()
    maya = User.objects.get(email="maya.okafor@example.com")
    client.force_login(maya)
    page = client.get(reverse("care:roster")).content.decode()
    assert "Urgent: crisis language" in page and "Lena Novak" in page
    assert "Sam Rivera" in page


def test_seeding_leaves_what_a_demo_user_wrote(db):
    _seed()
    sam = User.objects.get(email="sam.rivera@example.com")
    mine = Entry.objects.create(patient=sam, body="Written while trying the demo")
    call_command("seed_journal_demo", stdout=StringIO())
    assert Entry.objects.filter(pk=mine.pk).exists()


def test_lena_shows_the_integration_loop_and_a_thread_with_a_reply(client, db):
    _seed()
    _seed()  # twice: a kept intention never changes, and nothing is duplicated
    lena = User.objects.get(email="lena.novak@example.com")
    intentions = Intention.objects.filter(patient=lena)
    assert intentions.attached().count() == 1 and intentions.pending().count() == 1
    latest = AdministrationSession.objects.filter(patient=lena).newest_first().first()
    assert intentions.attached().get().session == latest
    thread = Comment.objects.filter(entry__patient=lena).exclude(in_reply_to=None)
    assert [c.author_side for c in thread.order_by("created_at")] == ["patient", "care_team"]

    maya = User.objects.get(email="maya.okafor@example.com")
    client.force_login(maya)
    agenda = client.get(reverse("journal:agenda", args=[lena.public_id])).content.decode()
    assert "tightness in my chest" in agenda and "argument with my sister" in agenda

"""A signed consent is a record: nothing in the app, the admin or the database may change it."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from consent.models import (
    Acknowledgement,
    Consent,
    ConsentSection,
    ImmutableRecordError,
    QuizAttempt,
    Signature,
    Withdrawal,
)


def test_a_signature_cannot_be_changed_or_deleted(signed_consent):
    signature = signed_consent.signature
    signature.typed_name = "Someone Else"
    with pytest.raises(ImmutableRecordError):
        signature.save()
    with pytest.raises(ImmutableRecordError):
        signature.delete()
    with pytest.raises(ImmutableRecordError):
        Signature.objects.filter(pk=signature.pk).update(typed_name="Someone Else")
    with pytest.raises(ImmutableRecordError):
        Signature.objects.all().delete()
    signature.refresh_from_db()
    assert signature.typed_name == "Sam Rivera"


@pytest.mark.parametrize("model", [Acknowledgement, QuizAttempt, Withdrawal])
def test_the_trail_behind_a_signature_cannot_be_rewritten(signed_consent, model):
    with pytest.raises(ImmutableRecordError):
        model.objects.all().delete()
    with pytest.raises(ImmutableRecordError):
        model.objects.all().update(consent=signed_consent)


def test_a_consent_record_cannot_be_deleted(signed_consent):
    with pytest.raises(ImmutableRecordError):
        signed_consent.delete()


def test_a_published_version_and_its_sections_never_change(consent_version):
    consent_version.title = "Changed"
    with pytest.raises(ImmutableRecordError):
        consent_version.save()
    section = consent_version.ordered_sections()[0]
    section.body = "Something else"
    with pytest.raises(ImmutableRecordError):
        section.save()
    with pytest.raises(ImmutableRecordError):
        section.delete()
    with pytest.raises(ImmutableRecordError):
        consent_version.delete()


def test_the_admin_shows_consent_records_but_cannot_change_them(
    client, clinic_admin, signed_consent
):
    client.force_login(clinic_admin)
    change_url = reverse("admin:consent_consent_change", args=[signed_consent.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {}).status_code == 403
    delete_url = reverse("admin:consent_consent_delete", args=[signed_consent.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Consent.objects.filter(pk=signed_consent.pk).exists()
    assert Signature.objects.filter(consent=signed_consent).exists()


def test_the_admin_cannot_edit_a_published_version(client, clinic_admin, consent_version):
    client.force_login(clinic_admin)
    url = reverse("admin:consent_consentversion_change", args=[consent_version.pk])
    page = client.get(url).content.decode()
    assert 'name="title"' not in page  # shown read-only
    client.post(url, {"title": "Changed", "number": 99, "introduction": "x"})
    consent_version.refresh_from_db()
    assert consent_version.title != "Changed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE consent_signature SET typed_name = 'Forged'",
        "DELETE FROM consent_signature",
        "DELETE FROM consent_quizattempt",
        "UPDATE consent_acknowledgement SET acknowledged_at = NOW()",
        "DELETE FROM consent_consent",
        "UPDATE consent_consentversion SET title = 'Forged' WHERE status = 'published'",
        "UPDATE consent_consentsection SET body = 'Forged'",
    ],
)
def test_postgresql_refuses_to_rewrite_consent_records(signed_consent, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert Signature.objects.get().typed_name == "Sam Rivera"


def test_sections_of_a_draft_can_still_be_edited(db):
    from tests.factories.consent import draft_version

    draft = draft_version(sections=2)
    section = draft.ordered_sections()[0]
    section.body = "Better words."
    section.save()
    assert ConsentSection.objects.get(pk=section.pk).body == "Better words."

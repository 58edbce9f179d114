"""Sam writes what he wants to bring into his next session; Maya reads it to prepare.

The intention waits until Maya records the session, then goes with it and stays as it
was. Sam sees it again beside the questions about the session; Maya sees it on the
agenda and on Sam's page, unless Sam kept it to himself.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from journal import selectors, services
from journal.models import INTENTION_MAX_CHARS, Intention, KeptRecordError
from tests.factories.journal import (
    AdministrationSessionFactory,
    EntryFactory,
    IntentionFactory,
)

WORDS = "I want to stay with the sadness about my father."
WRITE = reverse("journal:intention_write")


def record(patient, therapist, *, hours_ago=1):
    return services.record_session(
        patient=patient,
        recorded_by=therapist,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        route="iv_infusion",
    )


# --- The service ---------------------------------------------------------------------------


def test_sam_writes_an_intention_and_it_waits_for_his_next_session(patient):
    intention = services.save_intention(patient=patient, body=WORDS, is_shared=True)
    assert intention.is_pending and intention.is_shared
    assert selectors.pending_intention(patient, patient) == intention


def test_sam_changes_his_intention_without_making_a_second_one(patient):
    first = services.save_intention(patient=patient, body=WORDS, is_shared=True)
    again = services.save_intention(patient=patient, body="Something else", is_shared=False)
    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.body, first.is_shared) == ("Something else", False)
    assert Intention.objects.filter(patient=patient).count() == 1


def test_recording_the_session_attaches_the_intention_written_before_it(patient, therapist):
    intention = services.save_intention(patient=patient, body=WORDS, is_shared=True)
    Intention.objects.filter(pk=intention.pk).update(written_at=timezone.now() - timedelta(days=1))
    session = record(patient, therapist)
    intention.refresh_from_db()
    assert intention.session == session
    assert selectors.pending_intention(patient, patient) is None
    assert selectors.intention_before(patient, session) == intention


def test_an_intention_written_after_the_session_waits_for_the_next_one(patient, therapist):
    intention = services.save_intention(patient=patient, body=WORDS, is_shared=True)
    record(patient, therapist, hours_ago=5)  # the session took place before Sam wrote
    intention.refresh_from_db()
    assert intention.is_pending


def test_after_the_session_sams_next_save_begins_a_new_intention(patient, therapist):
    first = IntentionFactory(patient=patient)
    record(patient, therapist)
    second = services.save_intention(patient=patient, body="For next time", is_shared=True)
    assert second.pk != first.pk and second.is_pending
    first.refresh_from_db()
    assert first.body == IntentionFactory._meta.declarations["body"]


def test_an_empty_intention_is_refused_kindly_and_the_stored_one_stays(patient):
    services.save_intention(patient=patient, body=WORDS, is_shared=True)
    with pytest.raises(ValidationError) as refused:
        services.save_intention(patient=patient, body="   \n", is_shared=True)
    assert "nothing to save yet" in str(refused.value)
    assert selectors.pending_intention(patient, patient).body == WORDS


def test_an_intention_over_the_limit_is_refused_and_nothing_changes(patient):
    with pytest.raises(ValidationError) as refused:
        services.save_intention(
            patient=patient, body="x" * (INTENTION_MAX_CHARS + 1), is_shared=True
        )
    assert "body" in refused.value.message_dict
    assert not Intention.objects.filter(patient=patient).exists()


def test_a_page_left_open_through_the_session_is_told_and_the_kept_one_stays(patient, therapist):
    key = uuid.uuid4()
    services.save_intention(patient=patient, body=WORDS, is_shared=True, key=key)
    Intention.objects.filter(public_id=key).update(written_at=timezone.now() - timedelta(days=1))
    record(patient, therapist)
    with pytest.raises(ValidationError) as refused:
        services.save_intention(patient=patient, body="A late change", is_shared=True, key=key)
    assert refused.value.code == "attached"
    assert Intention.objects.get(public_id=key).body == WORDS


def test_a_second_window_does_not_overwrite_the_first(patient):
    services.save_intention(patient=patient, body=WORDS, is_shared=True, key=uuid.uuid4())
    with pytest.raises(ValidationError) as refused:
        services.save_intention(patient=patient, body="Other tab", is_shared=True, key=uuid.uuid4())
    assert refused.value.code == "elsewhere"
    assert selectors.pending_intention(patient, patient).body == WORDS


def test_a_double_submit_keeps_one_intention(patient):
    key = uuid.uuid4()
    services.save_intention(patient=patient, body=WORDS, is_shared=True, key=key)
    services.save_intention(patient=patient, body=WORDS, is_shared=True, key=key)
    assert Intention.objects.filter(patient=patient).count() == 1


def test_someone_elses_key_is_a_404_and_their_intention_stays(patient, other_patient):
    theirs = IntentionFactory(patient=other_patient)
    theirs_attached = IntentionFactory(
        patient=other_patient, session=AdministrationSessionFactory(patient=other_patient)
    )
    from django.http import Http404

    with pytest.raises(Http404):
        services.save_intention(patient=patient, body=WORDS, is_shared=True, key=theirs.public_id)
    # An attached one of theirs is not "your session was recorded" either: a 404.
    with pytest.raises(Http404):
        services.save_intention(
            patient=patient, body=WORDS, is_shared=True, key=theirs_attached.public_id
        )
    theirs.refresh_from_db()
    assert theirs.body != WORDS


def test_only_one_intention_waits_at_a_time(patient):
    IntentionFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntentionFactory(patient=patient)


def test_an_intention_is_never_deleted(patient):
    intention = IntentionFactory(patient=patient)
    with pytest.raises(KeptRecordError):
        intention.delete()
    with pytest.raises(KeptRecordError):
        Intention.objects.filter(pk=intention.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
def test_postgresql_refuses_to_change_or_delete_an_intention_kept_with_its_session(
    patient, session
):
    kept = IntentionFactory(patient=patient, session=session, written_at=session.occurred_at)
    with pytest.raises(DatabaseError), transaction.atomic():
        Intention.objects.filter(pk=kept.pk).update(body="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_intention")
    kept.refresh_from_db()
    assert kept.body == IntentionFactory._meta.declarations["body"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
def test_postgresql_lets_a_pending_intention_be_changed_and_attached(patient, session):
    pending = IntentionFactory(patient=patient)
    Intention.objects.filter(pk=pending.pk).update(body="changed", session=session)
    pending.refresh_from_db()
    assert (pending.body, pending.session) == ("changed", session)


# --- Who reads it ---------------------------------------------------------------------------


def test_maya_reads_a_shared_intention_and_never_a_private_one(patient, therapist):
    shared = IntentionFactory(patient=patient, is_shared=True)
    assert selectors.pending_intention(therapist, patient) == shared
    Intention.objects.filter(pk=shared.pk).update(is_shared=False)
    assert selectors.pending_intention(therapist, patient) is None


@pytest.mark.parametrize("who", ["other_patient", "other_therapist", "clinic_admin"])
def test_nobody_else_reads_sams_intentions(request, patient, session, who):
    IntentionFactory(patient=patient)
    IntentionFactory(patient=patient, session=session, written_at=session.occurred_at)
    viewer = request.getfixturevalue(who)
    assert not Intention.objects.visible_to(viewer).exists()
    assert selectors.pending_intention(viewer, patient) is None


# --- The web pages ---------------------------------------------------------------------------


def test_sams_home_invites_him_to_write_an_intention(client_for, patient):
    page = client_for(patient).get(reverse("care:patient_home")).content.decode()
    assert "Before your next session: what do you want to bring into it?" in page
    assert f'href="{WRITE}"' in page


def test_sam_writes_his_intention_on_its_page(client_for, patient):
    client = client_for(patient)
    page = client.get(WRITE)
    assert page.status_code == 200
    assert "Share with my care team" in page.content.decode()
    key = page.context["form"].initial["key"]
    response = client.post(WRITE, {"key": key, "body": WORDS, "is_shared": "on"})
    assert response.status_code == 303
    intention = Intention.objects.get(patient=patient)
    assert (intention.public_id, intention.body, intention.is_shared) == (key, WORDS, True)
    home = client.get(reverse("care:patient_home")).content.decode()
    assert WORDS in home and "Change your intention" in home


def test_sam_keeps_his_intention_to_himself_by_unticking_the_box(client_for, patient):
    client_for(patient).post(WRITE, {"key": uuid.uuid4(), "body": WORDS})
    assert Intention.objects.get(patient=patient).is_shared is False


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("", "nothing to save yet"),
        ("x" * (INTENTION_MAX_CHARS + 5), "longer than we can keep"),
    ],
)
def test_a_refused_intention_shows_the_words_again_with_a_kind_reason(
    client_for, patient, body, says
):
    response = client_for(patient).post(
        WRITE, {"key": uuid.uuid4(), "body": body, "is_shared": "on"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert says in text and "Nothing you wrote is lost" in text
    assert body[:50] in text
    assert not Intention.objects.filter(patient=patient).exists()


def test_html_in_an_intention_is_kept_as_words_and_shown_as_text(client_for, patient):
    script = "<script>alert('x')</script> & more"
    client = client_for(patient)
    client.post(WRITE, {"key": uuid.uuid4(), "body": script, "is_shared": "on"})
    assert Intention.objects.get(patient=patient).body == script
    page = client.get(reverse("care:patient_home")).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_a_stale_page_after_the_session_keeps_sams_new_words_on_screen(
    client_for, patient, therapist
):
    kept = IntentionFactory(patient=patient)
    record(patient, therapist)
    response = client_for(patient).post(
        WRITE, {"key": kept.public_id, "body": "My late change", "is_shared": "on"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Your session was recorded just before this arrived" in text
    assert "My late change" in text
    # Saving again from that page begins the intention for the next session.
    new_key = response.context["form"].data["key"]
    assert new_key != str(kept.public_id)
    again = client_for(patient).post(
        WRITE, {"key": new_key, "body": "My late change", "is_shared": "on"}
    )
    assert again.status_code == 303
    assert selectors.pending_intention(patient, patient).body == "My late change"


def test_the_reflection_page_shows_the_intention_beside_the_prompts(client_for, patient, therapist):
    IntentionFactory(patient=patient, body=WORDS)
    session = record(patient, therapist)
    page = (
        client_for(patient)
        .get(reverse("journal:entry_write") + f"?session={session.public_id}")
        .content.decode()
    )
    assert "Before the session you wrote" in page
    assert WORDS in page


def test_the_agenda_shows_each_session_with_its_intention_and_reflections(
    client_for, patient, therapist
):
    IntentionFactory(patient=patient, body=WORDS)
    session = record(patient, therapist)
    EntryFactory(patient=patient, session=session, shared=True, body="The wave came back.")
    EntryFactory(patient=patient, session=session, body="Only for me.")
    IntentionFactory(patient=patient, body="Next: my mother.")
    page = client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))
    text = page.content.decode()
    assert WORDS in text and "The wave came back." in text and "Next: my mother." in text
    assert "Only for me." not in text
    event = AuditEvent.objects.filter(kind=Kind.AGENDA_VIEWED).get()
    assert event.detail == {"count": 1, "intentions": 2}


def test_the_agenda_leaves_out_an_intention_sam_kept_to_himself(client_for, patient, therapist):
    IntentionFactory(patient=patient, body=WORDS, is_shared=False)
    record(patient, therapist)
    text = client_for(therapist).get(reverse("journal:agenda", args=[patient.public_id]))
    assert WORDS not in text.content.decode()


def test_maya_sees_the_next_intention_on_sams_page(client_for, patient, therapist):
    IntentionFactory(patient=patient, body=WORDS)
    text = client_for(therapist).get(reverse("care:patient", args=[patient.public_id]))
    assert WORDS in text.content.decode()


@pytest.mark.parametrize("who", ["therapist", "other_therapist", "clinic_admin"])
def test_only_patients_write_intentions(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).post(
        WRITE, {"key": uuid.uuid4(), "body": WORDS, "is_shared": "on"}
    )
    assert response.status_code == 403
    assert not Intention.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(WRITE).status_code == 302


@pytest.mark.parametrize("who", ["other_therapist"])
def test_another_therapist_gets_404_for_sams_agenda_and_page(request, client_for, patient, who):
    IntentionFactory(patient=patient, body=WORDS)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("journal:agenda", args=[patient.public_id])).status_code == 404
    assert client.get(reverse("care:patient", args=[patient.public_id])).status_code == 404


def test_another_patient_never_sees_sams_intention(client_for, patient, other_patient):
    IntentionFactory(patient=patient, body=WORDS)
    client = client_for(other_patient)
    assert WORDS not in client.get(WRITE).content.decode()
    assert WORDS not in client.get(reverse("care:patient_home")).content.decode()


# --- The API ---------------------------------------------------------------------------------

MINE = "/api/v1/journal/intention/"


def test_sam_puts_and_gets_his_intention_through_the_api(api_as, patient):
    client = api_as(patient)
    assert client.get(MINE).status_code == 404
    put = client.put(MINE, {"body": WORDS}, format="json")
    assert put.status_code == 200
    assert put.json()["is_shared"] is True and put.json()["is_pending"] is True
    again = client.put(MINE, {"body": "Changed", "is_shared": False}, format="json")
    assert again.json()["public_id"] == put.json()["public_id"]
    assert client.get(MINE).json()["body"] == "Changed"
    listed = client.get("/api/v1/journal/intentions/").json()["results"]
    assert [i["body"] for i in listed] == ["Changed"]


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"body": ""}, "non_field_errors"),
        ({"body": 7}, "body"),
        ({"body": "x", "is_shared": "yes"}, "is_shared"),
    ],
)
def test_the_api_refuses_a_bad_intention_kindly(api_as, patient, sent, field):
    response = api_as(patient).put(MINE, sent, format="json")
    assert response.status_code == 400
    assert field in str(response.json()["errors"])
    assert not Intention.objects.exists()


def test_maya_lists_the_intentions_sam_shared_and_it_is_on_the_trail(api_as, patient, therapist):
    IntentionFactory(patient=patient, body=WORDS)
    IntentionFactory(
        patient=patient,
        session=AdministrationSessionFactory(patient=patient),
        body="Private hope",
        is_shared=False,
    )
    response = api_as(therapist).get(f"/api/v1/patients/{patient.public_id}/intentions/")
    assert response.status_code == 200
    assert [i["body"] for i in response.json()["results"]] == [WORDS]
    event = AuditEvent.objects.filter(kind=Kind.ENTRIES_LISTED).get()
    assert event.detail == {"count": 0, "intentions": 1}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("patient", 403),
        ("other_patient", 403),
        ("other_therapist", 404),
        ("clinic_admin", 403),
        (None, 401),
    ],
)
def test_only_sams_therapists_list_his_intentions(request, api_as, patient, who, status):
    IntentionFactory(patient=patient, body=WORDS)
    user = request.getfixturevalue(who) if who else None
    response = api_as(user).get(f"/api/v1/patients/{patient.public_id}/intentions/")
    assert response.status_code == status
    assert WORDS not in response.content.decode()


@pytest.mark.parametrize("who", ["therapist", "other_therapist", "clinic_admin"])
def test_only_patients_have_an_intention_of_their_own(request, api_as, who):
    client = api_as(request.getfixturevalue(who))
    assert client.put(MINE, {"body": WORDS}, format="json").status_code == 403
    assert client.get("/api/v1/journal/intentions/").status_code == 403

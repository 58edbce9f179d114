"""Sam answers Maya's comment under his entry, and Maya answers back: a short thread.

Maya sees Sam's unread replies on her dashboard (after urgent entries) and on his page;
opening the entry reads them. Sam sees Maya's replies as he sees new comments.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, Kind
from care.selectors import roster_row_or_404, roster_rows
from journal import selectors, services
from journal.models import REPLY_MAX_CHARS, Comment, Side
from tests.factories.accounts import PatientFactory
from tests.factories.journal import CommentFactory, EntryFactory, ReplyFactory

ANSWER = "It came back on Sunday, softer."


@pytest.fixture
def comment(shared_entry, therapist):
    return CommentFactory(entry=shared_entry, author=therapist, body="How is the lightness?")


def reply_url(entry):
    return reverse("journal:entry_reply", args=[entry.public_id])


# --- The service -----------------------------------------------------------------------------


def test_sam_replies_to_mayas_comment(patient, shared_entry, comment):
    reply = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    assert (reply.author_side, reply.in_reply_to, reply.author) == (
        Side.PATIENT,
        comment,
        patient,
    )
    assert reply.seen_by_patient_at is not None and reply.read_by_care_team_at is None
    assert list(selectors.thread(patient, shared_entry)) == [comment, reply]


def test_maya_answers_back_and_sam_sees_it_as_new(patient, therapist, shared_entry, comment):
    reply = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    back = services.reply_on_entry(entry=shared_entry, author=therapist, body="Good to hear.")
    assert (back.author_side, back.in_reply_to) == (Side.CARE_TEAM, reply)
    assert list(Comment.objects.visible_to(patient).unseen_by_patient()) == [comment, back]


def test_a_comment_maya_sends_after_a_reply_answers_it(patient, therapist, shared_entry, comment):
    reply = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    later = services.comment_on_entry(entry=shared_entry, author=therapist, body="And sleep?")
    assert later.in_reply_to == reply


def test_sam_cannot_start_a_thread_on_his_own(patient, shared_entry):
    with pytest.raises(ValidationError) as refused:
        services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    assert "once your care team has commented" in str(refused.value)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [("  ", "Write a few words"), ("x" * (REPLY_MAX_CHARS + 1), "2,000 characters at most")],
)
def test_an_empty_or_huge_reply_is_refused_kindly(patient, shared_entry, comment, body, says):
    with pytest.raises(ValidationError) as refused:
        services.reply_on_entry(entry=shared_entry, author=patient, body=body)
    assert says in str(refused.value)
    assert Comment.objects.count() == 1


def test_a_double_submit_keeps_one_reply(patient, shared_entry, comment):
    first = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    second = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    assert first.pk == second.pk
    assert Comment.objects.from_patient().count() == 1


def test_opening_the_entry_marks_replies_read_for_the_care_team(therapist, shared_entry, comment):
    reply = ReplyFactory(in_reply_to=comment)
    assert services.mark_replies_read(entry=shared_entry, reader=therapist) == {reply.pk}
    assert services.mark_replies_read(entry=shared_entry, reader=therapist) == set()


# --- For the reminders -----------------------------------------------------------------------


def test_unseen_words_list_what_waits_for_each_reader_without_the_words(
    patient, therapist, shared_entry, comment
):
    since = timezone.now() - timedelta(hours=1)
    reply = services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    back = services.reply_on_entry(entry=shared_entry, author=therapist, body="Thank you.")
    found = selectors.unseen_care_team_words(since=since)
    assert [(w.comment_id, w.for_patient, w.is_reply) for w in found] == [
        (comment.public_id, True, False),
        (reply.public_id, False, True),
        (back.public_id, True, True),
    ]
    assert {w.entry_id for w in found} == {shared_entry.public_id}
    assert {w.patient_id for w in found} == {patient.pk}
    assert not any(ANSWER in repr(w) for w in found)

    services.mark_comments_seen(patient=patient, entry=shared_entry)
    services.mark_replies_read(entry=shared_entry, reader=therapist)
    assert selectors.unseen_care_team_words(since=since) == []
    assert selectors.unseen_care_team_words(since=timezone.now() + timedelta(minutes=1)) == []


def test_a_reply_on_an_entry_made_private_again_waits_for_no_one(patient, shared_entry, comment):
    services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    type(shared_entry).objects.filter(pk=shared_entry.pk).update(is_shared=False)
    found = selectors.unseen_care_team_words(since=timezone.now() - timedelta(hours=1))
    assert [w.for_patient for w in found] == [True]


# --- The patient's page ------------------------------------------------------------------------


def test_sam_replies_on_his_entry_page_and_sees_you_in_the_thread(
    client_for, patient, shared_entry, comment
):
    client = client_for(patient)
    page = client.get(shared_entry.get_absolute_url()).content.decode()
    assert "Send reply" in page
    response = client.post(reply_url(shared_entry), {"body": ANSWER})
    assert response.status_code == 303
    page = client.get(shared_entry.get_absolute_url()).content.decode()
    assert ANSWER in page and "<strong>You</strong>" in page
    assert "Maya Okafor" in page


def test_sam_replies_through_htmx_and_gets_the_thread_back(
    client_for, patient, shared_entry, comment, htmx
):
    response = client_for(patient).post(reply_url(shared_entry), {"body": ANSWER}, **htmx)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="thread"') and ANSWER in text


def test_a_refused_reply_keeps_sams_words_on_the_page(client_for, patient, shared_entry, comment):
    huge = "y" * (REPLY_MAX_CHARS + 10)
    response = client_for(patient).post(reply_url(shared_entry), {"body": huge})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Nothing you wrote is lost" in text and huge in text
    assert not Comment.objects.from_patient().exists()


def test_html_in_a_reply_is_kept_and_shown_as_text(
    client_for, patient, therapist, shared_entry, comment
):
    client_for(patient).post(reply_url(shared_entry), {"body": "<b>bold</b> & <script>x</script>"})
    page = client_for(therapist).get(reverse("journal:entry_review", args=[shared_entry.public_id]))
    text = page.content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in text and "<script>x" not in text


def test_without_a_comment_sam_sees_no_reply_box_and_a_post_changes_nothing(
    client_for, patient, shared_entry
):
    client = client_for(patient)
    assert "Send reply" not in client.get(shared_entry.get_absolute_url()).content.decode()
    assert client.post(reply_url(shared_entry), {"body": ANSWER}).status_code == 303
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_patient", 404), ("therapist", 403), ("other_therapist", 403), ("clinic_admin", 403)],
)
def test_only_sam_replies_on_his_entry_page(
    request, client_for, shared_entry, comment, who, status
):
    response = client_for(request.getfixturevalue(who)).post(
        reply_url(shared_entry), {"body": ANSWER}
    )
    assert response.status_code == status
    assert Comment.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in_to_reply(client, shared_entry, comment):
    assert client.post(reply_url(shared_entry), {"body": ANSWER}).status_code == 302
    assert Comment.objects.count() == 1


def test_sam_sees_mayas_reply_on_his_home_as_he_sees_comments(
    client_for, patient, therapist, shared_entry, comment
):
    services.mark_comments_seen(patient=patient, entry=shared_entry)
    services.reply_on_entry(entry=shared_entry, author=patient, body=ANSWER)
    services.reply_on_entry(entry=shared_entry, author=therapist, body="Glad to read it.")
    home = client_for(patient).get(reverse("care:patient_home")).content.decode()
    assert "answered you on your entry" in home


# --- The therapist's dashboard and review page -----------------------------------------------


def test_maya_sees_unread_replies_after_urgent_and_before_the_rest(
    client_for, patient, therapist, shared_entry, comment
):
    quiet = PatientFactory(first_name="Aaron", last_name="Able", care_team=[therapist])
    EntryFactory(patient=quiet, shared=True)  # awaiting review, but no reply
    urgent = PatientFactory(first_name="Zed", last_name="Zane", care_team=[therapist])
    EntryFactory(patient=urgent, shared=True, body="I want to kill myself")
    services.mark_reviewed(entry=shared_entry, by=therapist)
    ReplyFactory(in_reply_to=comment)

    rows = list(roster_rows(therapist))
    assert [row.pk for row in rows] == [urgent.pk, patient.pk, quiet.pk]
    assert rows[1].unread_reply_count == 1
    page = client_for(therapist).get(reverse("care:roster")).content.decode()
    assert "1 new reply" in page


def test_opening_the_entry_reads_the_reply_and_clears_the_badge(
    client_for, patient, therapist, shared_entry, comment
):
    ReplyFactory(in_reply_to=comment, body=ANSWER)
    client = client_for(therapist)
    patient_page = client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    assert "1 new reply" in patient_page
    review = client.get(reverse("journal:entry_review", args=[shared_entry.public_id]))
    text = review.content.decode()
    assert ANSWER in text and "New reply" in text and "Sam Rivera</strong> replied" in text
    assert roster_row_or_404(therapist, patient.public_id).unread_reply_count == 0


def test_maya_answers_sam_from_the_review_page(
    client_for, patient, therapist, shared_entry, comment
):
    reply = ReplyFactory(in_reply_to=comment)
    response = client_for(therapist).post(
        reverse("journal:entry_comment", args=[shared_entry.public_id]), {"body": "Thank you"}
    )
    assert response.status_code == 303
    assert Comment.objects.from_care_team().latest("created_at").in_reply_to == reply


def test_another_therapist_never_sees_sams_replies(
    client_for, patient, other_therapist, shared_entry, comment
):
    ReplyFactory(in_reply_to=comment, body=ANSWER)
    client = client_for(other_therapist)
    assert (
        client.get(reverse("journal:entry_review", args=[shared_entry.public_id])).status_code
        == 404
    )
    assert ANSWER not in client.get(reverse("care:roster")).content.decode()


# --- The API -----------------------------------------------------------------------------------


def thread_url(entry):
    return f"/api/v1/journal/entries/{entry.public_id}/thread/"


def test_sam_reads_and_answers_the_thread_through_the_api(api_as, patient, shared_entry, comment):
    client = api_as(patient)
    posted = client.post(thread_url(shared_entry), {"body": ANSWER}, format="json")
    assert posted.status_code == 201
    assert posted.json()["author_side"] == "patient"
    assert posted.json()["in_reply_to"] == str(comment.public_id)
    listed = client.get(thread_url(shared_entry)).json()["results"]
    assert [m["author_side"] for m in listed] == ["care_team", "patient"]
    marked = client.post(thread_url(shared_entry) + "read/", format="json")
    assert marked.json() == {"marked": 1}
    assert client.post(thread_url(shared_entry) + "read/", format="json").json() == {"marked": 0}


def test_maya_reads_the_thread_it_is_an_opening_then_marks_it_read(
    api_as, patient, therapist, shared_entry, comment
):
    ReplyFactory(in_reply_to=comment, body=ANSWER)
    client = api_as(therapist)
    listed = client.get(thread_url(shared_entry))
    assert ANSWER in listed.content.decode()
    assert AuditEvent.objects.filter(kind=Kind.ENTRY_VIEWED).count() == 1
    assert client.post(thread_url(shared_entry) + "read/", format="json").json() == {"marked": 1}
    back = client.post(thread_url(shared_entry), {"body": "Thank you"}, format="json")
    assert back.status_code == 201 and back.json()["author_side"] == "care_team"


def test_sam_cannot_start_a_thread_through_the_api(api_as, patient, shared_entry):
    response = api_as(patient).post(thread_url(shared_entry), {"body": ANSWER}, format="json")
    assert response.status_code == 400
    assert "once your care team has commented" in response.content.decode()


@pytest.mark.parametrize("who", ["other_patient", "other_therapist", "clinic_admin"])
def test_nobody_else_reads_or_writes_sams_thread(request, api_as, shared_entry, comment, who):
    ReplyFactory(in_reply_to=comment, body=ANSWER)
    client = api_as(request.getfixturevalue(who))
    assert client.get(thread_url(shared_entry)).status_code == 404
    assert client.post(thread_url(shared_entry), {"body": "x"}, format="json").status_code == 404
    assert client.post(thread_url(shared_entry) + "read/", format="json").status_code == 404
    assert Comment.objects.count() == 2


def test_anonymous_api_callers_get_401_for_the_thread(api_as, shared_entry, comment):
    assert api_as(None).get(thread_url(shared_entry)).status_code == 401

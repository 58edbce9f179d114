"""A patient answers a measure one question per screen, stops, resumes and sends it."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from measures.models import MeasureAlert, MeasureResponse
from tests.factories.measures import answered, measure, schedule

pytestmark = pytest.mark.django_db

CRISIS = "Call 988"


@pytest.fixture
def sam(client_for, patient):
    return client_for(patient)


def start(client, code):
    chosen = measure(code)
    response = client.post(reverse("measures:intro", args=[chosen.public_id]))
    assert response.status_code == 303
    return MeasureResponse.objects.get(measure=chosen, submitted_at__isnull=True), response


def answer(client, draft, position, value):
    return client.post(
        reverse("measures:question", args=[draft.public_id, position]), {"value": value}
    )


def test_a_due_measure_shows_on_the_patients_home_with_a_link(sam, patient):
    schedule(patient, "phq9")
    page = sam.get(reverse("care:patient_home"))
    assert "A short questionnaire is waiting" in page.content.decode()
    assert reverse("measures:intro", args=[measure("phq9").public_id]) in page.content.decode()


def test_the_phq9_intro_says_before_starting_that_item_9_is_shown_to_the_care_team(sam):
    page = sam.get(reverse("measures:intro", args=[measure("phq9").public_id]))
    text = page.content.decode()
    assert "Before you start:" in text
    assert "your care team is shown that answer when you send your answers" in text
    assert "9 short questions" in text and "Spitzer" in text


def test_one_question_per_screen_with_progress_back_link_and_big_options(sam):
    draft, response = start(sam, "gad7")
    assert response["Location"] == reverse("measures:question", args=[draft.public_id, 1])
    page = sam.get(response["Location"])
    text = page.content.decode()
    assert "Question 1 of 7" in text
    assert "Feeling nervous, anxious or on edge" in text
    assert text.count('class="answer-option"') == 4
    assert reverse("measures:intro", args=[measure("gad7").public_id]) in text  # back
    second = answer(sam, draft, 1, 2)
    assert second.status_code == 303
    page = sam.get(second["Location"])
    assert "Question 2 of 7" in page.content.decode()
    assert reverse("measures:question", args=[draft.public_id, 1]) in page.content.decode()


def test_stopping_and_coming_back_resumes_at_the_first_unanswered_question(sam, patient):
    draft, _ = start(sam, "phq9")
    for position in (1, 2, 3):
        answer(sam, draft, position, 1)
    draft.refresh_from_db()
    assert draft.answers == {"1": 1, "2": 1, "3": 1}
    intro = sam.get(reverse("measures:intro", args=[measure("phq9").public_id]))
    assert "You have answered 3 of 9 questions" in intro.content.decode()
    again, response = start(sam, "phq9")
    assert again.pk == draft.pk
    assert response["Location"] == reverse("measures:question", args=[draft.public_id, 4])
    # The answer given before is chosen when the patient goes back.
    page = sam.get(reverse("measures:question", args=[draft.public_id, 2]))
    assert 'value="1" checked' in page.content.decode() or "checked" in page.content.decode()


def test_the_patient_reviews_changes_an_answer_and_sends_once(sam, patient):
    draft, _ = start(sam, "gad7")
    for position in range(1, 8):
        last = answer(sam, draft, position, 1)
    assert last["Location"] == reverse("measures:review", args=[draft.public_id])
    review = sam.get(last["Location"])
    assert "Send my answers to my care team" in review.content.decode()
    answer(sam, draft, 4, 3)
    sent = sam.post(reverse("measures:submit", args=[draft.public_id]))
    assert sent.status_code == 303
    assert sent["Location"] == reverse("measures:response", args=[draft.public_id])
    again = sam.post(reverse("measures:submit", args=[draft.public_id]))
    assert again.status_code == 303
    draft.refresh_from_db()
    assert draft.total_score == 9 and draft.band == "Mild"
    assert AuditEvent.objects.filter(kind=Kind.MEASURE_SUBMITTED, patient=patient).count() == 1
    done = sam.get(sent["Location"])
    assert "Thank you" in done.content.decode() and "9</strong> of 21" in done.content.decode()


def test_sending_before_answering_everything_is_refused_kindly_and_loses_nothing(sam):
    draft, _ = start(sam, "gad7")
    answer(sam, draft, 1, 2)
    refused = sam.post(reverse("measures:submit", args=[draft.public_id]))
    assert refused.status_code == 422
    assert "Please answer every question" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft and draft.answers == {"1": 2}


@pytest.mark.parametrize("value", ["4", "-1", "three", "", "<script>alert(1)</script>", "9" * 500])
def test_an_answer_off_the_scale_is_refused_kindly(sam, value):
    draft, _ = start(sam, "phq9")
    answer(sam, draft, 1, 2)
    refused = answer(sam, draft, 1, value)
    assert refused.status_code == 422
    assert "Please choose one of the answers." in refused.content.decode()
    assert "<script>alert(1)</script>" not in refused.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {"1": 2}


def test_a_question_past_the_last_is_not_found(sam):
    draft, _ = start(sam, "gad7")
    assert sam.get(reverse("measures:question", args=[draft.public_id, 8])).status_code == 404
    assert sam.get(reverse("measures:question", args=[draft.public_id, 0])).status_code == 404


def test_answering_from_a_stale_tab_after_sending_changes_nothing_and_says_why(sam, patient):
    sent = answered(patient, "gad7", [0] * 7)
    response = answer(sam, sent, 3, 3)
    assert response.status_code == 302 or response.status_code == 303
    assert response["Location"] == reverse("measures:response", args=[sent.public_id])
    page = sam.get(response["Location"])
    assert "You already sent these answers" in page.content.decode()
    sent.refresh_from_db()
    assert sent.answers["3"] == 0 and sent.total_score == 0


# --- PHQ-9 item 9 -------------------------------------------------------------------------


def test_an_item_9_answer_above_not_at_all_shows_help_at_once_and_alerts_on_sending(sam, patient):
    draft, _ = start(sam, "phq9")
    for position in range(1, 9):
        page = sam.get(reverse("measures:question", args=[draft.public_id, position]))
        assert CRISIS not in page.content.decode()
        answer(sam, draft, position, 0)
    after_9 = answer(sam, draft, 9, 2)
    review = sam.get(after_9["Location"])
    text = review.content.decode()
    assert CRISIS in text and "tel:988" in text and "911" in text
    assert "When you send your answers, your care team is shown" in text
    # Not yet: the draft is the patient's own until it is sent.
    assert not MeasureAlert.objects.exists()
    sent = sam.post(reverse("measures:submit", args=[draft.public_id]))
    alert = MeasureAlert.objects.get(patient=patient)
    assert alert.items == [9] and alert.is_open
    done = sam.get(sent["Location"])
    assert CRISIS in done.content.decode()
    assert "Your care team has been shown" in done.content.decode()


def test_going_back_to_item_9_and_answering_not_at_all_raises_nothing(sam, patient):
    draft, _ = start(sam, "phq9")
    for position in range(1, 10):
        answer(sam, draft, position, 1 if position == 9 else 0)
    answer(sam, draft, 9, 0)
    review = sam.get(reverse("measures:review", args=[draft.public_id]))
    assert CRISIS not in review.content.decode()
    sam.post(reverse("measures:submit", args=[draft.public_id]))
    assert not MeasureAlert.objects.exists()


def test_an_abandoned_draft_with_item_9_above_0_raises_no_alert(sam, patient):
    draft, _ = start(sam, "phq9")
    answer(sam, draft, 9, 3)
    assert not MeasureAlert.objects.exists()


def test_the_scores_chart_is_drawn_with_the_same_numbers_in_spanish(sam, patient):
    """SVG reads "34.5": a Spanish "34,5" would put every marker in the corner."""
    from datetime import timedelta

    from django.utils import timezone

    patient.language = "es"
    patient.save(update_fields=["language"])
    now = timezone.now()
    for days, phq, gad in ((30, [2] * 8 + [0], [2] * 7), (15, [1] * 8 + [0], [1] * 7)):
        answered(patient, "phq9", phq, submitted_at=now - timedelta(days=days, hours=5))
        answered(patient, "gad7", gad, submitted_at=now - timedelta(days=days, hours=4))
    page = sam.get(reverse("measures:mine")).content.decode()
    start = page.index('<svg class="chart"')
    drawing = page[start : page.index("</svg>", start)]
    assert "<circle" in drawing and "<rect" in drawing
    # A line's points are pairs joined by a comma, "34.0,176.0": no other number has one.
    numbers = re.sub(r'(points|viewBox)="[^"]*"', "", drawing)
    assert not re.search(r'="[^"]*\d,\d[^"]*"', numbers), numbers

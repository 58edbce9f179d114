"""A patient reads the consent one section at a time, in order, on their phone."""

from django.urls import reverse

from consent.models import Acknowledgement, Consent, QuizAttempt


def first_question_section(version):
    return next(s for s in version.ordered_sections() if s.has_question)


def test_overview_says_how_long_it_takes_and_that_they_can_stop(client, patient, consent_version):
    client.force_login(patient)
    page = client.get(reverse("consent:overview")).content.decode()
    assert "11 short sections" in page
    assert "minutes to read" in page
    assert "We keep your place" in page
    assert "Start reading" in page


def test_patient_starts_and_sees_step_one_of_eleven(client, patient, consent_version):
    client.force_login(patient)
    response = client.post(reverse("consent:start"))
    assert response.status_code == 303
    assert response["Location"] == reverse("consent:step", args=[1])
    page = client.get(response["Location"]).content.decode()
    assert "Step 1 of 11" in page
    assert "What ketamine and KAP are" in page


def test_a_double_tap_on_start_makes_one_consent(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    client.post(reverse("consent:start"))
    assert Consent.objects.filter(patient=patient).count() == 1


def test_acknowledging_records_when_and_for_how_long(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    client.get(reverse("consent:step", args=[1]))
    response = client.post(reverse("consent:acknowledge", args=[1]), {"confirmed": "on"})
    assert response.status_code == 303
    assert response["Location"] == reverse("consent:step", args=[2])
    acknowledgement = Acknowledgement.objects.get(consent__patient=patient, section__position=1)
    assert acknowledgement.acknowledged_at >= acknowledgement.opened_at
    assert acknowledgement.seconds_open >= 0


def test_continue_without_ticking_the_box_is_refused_kindly(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    response = client.post(reverse("consent:acknowledge", args=[1]))
    assert response.status_code == 422
    assert "Tick the box to say you have read and understand" in response.content.decode()
    assert not Acknowledgement.objects.filter(acknowledged_at__isnull=False).exists()


def test_skipping_ahead_by_url_leads_back_to_the_next_section(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    response = client.get(reverse("consent:step", args=[5]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("consent:step", args=[1])
    assert "Please read the sections in order" in response.content.decode()
    assert not Acknowledgement.objects.filter(section__position=5).exists()


def test_a_forged_acknowledgement_of_a_later_section_is_refused(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    response = client.post(
        reverse("consent:acknowledge", args=[4]), {"confirmed": "on"}, follow=True
    )
    assert "Please read the sections in order" in response.content.decode()
    assert not Acknowledgement.objects.filter(section__position=4).exists()


def test_a_forged_answer_to_a_later_question_is_refused(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    later = first_question_section(consent_version)
    client.post(reverse("consent:answer", args=[later.position]), {"choice": 1})
    assert not QuizAttempt.objects.exists()


def test_a_wrong_answer_shows_the_explanation_and_asks_again(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    section = first_question_section(consent_version)
    read_sections(client, consent_version, upto=section.position - 1)
    wrong = next(n for n, _ in section.numbered_choices if n != section.correct_choice)

    response = client.post(reverse("consent:answer", args=[section.position]), {"choice": wrong})
    page = client.get(response["Location"]).content.decode()
    assert "Not quite." in page
    assert section.question_explanation.split(".")[0] in page
    assert "Check my answer" in page
    assert "Answer the question above to continue" in page

    # Skipping the question is refused by the server too.
    refused = client.post(
        reverse("consent:acknowledge", args=[section.position]), {"confirmed": "on"}
    )
    assert refused.status_code == 422
    assert "answer the question" in refused.content.decode()

    client.post(
        reverse("consent:answer", args=[section.position]), {"choice": section.correct_choice}
    )
    page = client.get(reverse("consent:step", args=[section.position])).content.decode()
    assert "That's right" in page
    attempts = QuizAttempt.objects.filter(consent__patient=patient, section=section)
    assert [a.is_correct for a in attempts] == [False, True]


def test_an_answer_that_is_not_a_choice_is_refused(client, patient, consent_version, read_sections):
    client.force_login(patient)
    section = first_question_section(consent_version)
    read_sections(client, consent_version, upto=section.position - 1)
    for bad in ("", "seven", "99", "<script>"):
        response = client.post(reverse("consent:answer", args=[section.position]), {"choice": bad})
        assert response.status_code == 422
        assert "Choose one of the answers" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_htmx_gets_the_next_section_as_a_fragment(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    response = client.get(reverse("consent:step", args=[1]), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="consent-step"')
    assert "<html" not in body
    assert response["HX-Push-Url"] == reverse("consent:step", args=[1])
    assert "HX-Request" in response["Vary"]


def test_a_double_submit_acknowledges_once(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    url = reverse("consent:acknowledge", args=[1])
    client.post(url, {"confirmed": "on"})
    first = Acknowledgement.objects.get(section__position=1).acknowledged_at
    assert client.post(url, {"confirmed": "on"}).status_code == 303
    assert Acknowledgement.objects.get(section__position=1).acknowledged_at == first


def test_patient_stops_and_comes_back_where_they_left_off(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version, upto=3)
    page = client.get(reverse("consent:overview")).content.decode()
    assert "Continue where you left off (step 4 of 11)" in page
    home = client.get(reverse("care:patient_home")).content.decode()
    assert "You have read 3 of 11 sections" in home


def test_review_lists_every_section_with_its_time(client, patient, consent_version, read_sections):
    client.force_login(patient)
    read_sections(client, consent_version)
    page = client.get(reverse("consent:review")).content.decode()
    assert page.count("Acknowledged ") == 11
    assert "Go to signature" in page


def test_the_last_acknowledgement_by_htmx_loads_the_review_as_a_whole_page(
    client, patient, consent_version, read_sections
):
    # htmx swaps each step in place. The review is a page of its own: swapped into the
    # step, its header and footer showed twice. The browser is told to load it instead.
    client.force_login(patient)
    read_sections(client, consent_version, upto=10)
    response = client.post(
        reverse("consent:acknowledge", args=[11]),
        {"confirmed": "on"},
        headers={"HX-Request": "true", "HX-Target": "consent-step"},
        follow=True,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("consent:review")
    assert response.content == b""
    # Without htmx the same page is simply the review.
    assert "Go to signature" in client.get(reverse("consent:review")).content.decode()


def test_review_before_reading_everything_leads_back(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    read_sections(client, consent_version, upto=2)
    response = client.get(reverse("consent:review"))
    assert response["Location"] == reverse("consent:step", args=[3])


def test_patient_asks_a_question_and_sees_the_answer_on_that_section(
    client, patient, therapist, consent_version
):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    response = client.post(
        reverse("consent:ask", args=[1]), {"text": "Can I drive <b>home</b> after?"}
    )
    assert response.status_code == 303
    page = client.get(reverse("consent:step", args=[1])).content.decode()
    assert "Can I drive &lt;b&gt;home&lt;/b&gt; after?" in page
    assert "Waiting for an answer" in page

    client.force_login(therapist)
    record = client.get(reverse("care:patient", args=[patient.public_id]))
    assert "Can I drive &lt;b&gt;home&lt;/b&gt; after?" in record.content.decode()
    question = patient.consents.get().questions.get()
    client.post(
        reverse("care:answer_consent_question", args=[question.public_id]),
        {"answer": "No. Someone needs to drive you."},
    )

    client.force_login(patient)
    page = client.get(reverse("consent:step", args=[1])).content.decode()
    assert "Maya Okafor answered" in page
    assert "No. Someone needs to drive you." in page


def test_an_empty_or_huge_question_is_refused_and_kept(client, patient, consent_version):
    client.force_login(patient)
    client.post(reverse("consent:start"))
    empty = client.post(reverse("consent:ask", args=[1]), {"text": "   "})
    assert empty.status_code == 422
    assert "Write your question first" in empty.content.decode()
    huge = client.post(reverse("consent:ask", args=[1]), {"text": "why " * 600})
    assert huge.status_code == 422
    assert "under 2000 characters" in huge.content.decode()
    assert "why why why" in huge.content.decode()  # the patient's words stay in the box

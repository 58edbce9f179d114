"""Changes that respect the patient's time: material changes are read again, wording is news.

The clinic marks each changed section of a new version material or cosmetic, with a
reason, before it can publish. A patient who signed an older version reads only the
materially changed sections, then signs the whole new version; a wording-only version
leaves their signature valid and is shown once as "What's new".
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent, Kind
from consent import seals, services
from consent.models import (
    CarriedOverSection,
    ConsentSection,
    ConsentVersion,
    ImmutableRecordError,
    SectionChange,
    WhatsNewSeen,
)
from consent.presenters import status_label
from consent.selectors import ConsentStatus, consent_status, verify_signed_records
from tests.factories.accounts import TEST_PASSWORD
from tests.factories.consent import (
    publish_version_two,
    read_in_order,
    sign_request,
    signed_consent,
)

REWORDED = "risk-dissociation"
REASON = "We added how staff help if dissociation feels like too much."


def sign(patient):
    return services.sign_active_consent(
        patient=patient,
        typed_name=patient.get_full_name(),
        confirms_meaning=True,
        password=TEST_PASSWORD,
        request=sign_request(),
    )


def reword(draft, slug, words="\n\nOne more sentence, to be clear."):
    section = draft.sections.get(slug=slug)
    section.body += words
    section.save()
    return section


def publish_mixed_version_two(consent_version):
    """Version 2: one section changes what it says, another only its wording."""
    draft = services.draft_next_version(based_on=consent_version)
    reword(draft, REWORDED)
    reword(draft, "your-choice", " ")
    services.mark_section_change(version=draft, slug=REWORDED, kind="material", reason=REASON)
    services.mark_section_change(
        version=draft, slug="your-choice", kind="cosmetic", reason="A clearer sentence."
    )
    services.publish_version(version=draft)
    return draft


# --- The clinic marks each change before it publishes -------------------------------------


def test_publishing_is_refused_until_each_changed_section_is_marked(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    reworded = reword(draft, REWORDED)
    with pytest.raises(ValidationError) as refused:
        services.publish_version(version=draft)
    assert f'"{reworded.title}"' in refused.value.messages[0]
    assert "mark it material or cosmetic" in refused.value.messages[0]
    assert not ConsentVersion.objects.get(pk=draft.pk).is_published

    services.mark_section_change(version=draft, slug=REWORDED, kind="cosmetic", reason=REASON)
    services.publish_version(version=draft)
    assert ConsentVersion.objects.current() == draft


def test_a_new_section_is_always_material_and_a_removed_one_must_be_marked(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    removed = draft.sections.get(slug="your-choice")
    removed.delete()
    ConsentSection.objects.create(
        version=draft, position=99, slug="aftercare", title="Aftercare", body="Rest after."
    )
    services.mark_section_change(version=draft, slug="aftercare", kind="cosmetic", reason="New.")
    with pytest.raises(ValidationError) as refused:
        services.publish_version(version=draft)
    problems = " ".join(refused.value.messages)
    assert '"Aftercare" (aftercare) is new, so it is material' in problems
    assert "(your-choice) was removed since version 1" in problems

    services.mark_section_change(version=draft, slug="aftercare", kind="material", reason="New.")
    services.mark_section_change(
        version=draft, slug="your-choice", kind="material", reason="Now in the introduction."
    )
    services.publish_version(version=draft)
    assert draft.sections.get(slug="aftercare").position == draft.sections.count()


def test_a_mark_on_a_section_that_did_not_change_is_refused(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    services.mark_section_change(version=draft, slug="what-is-kap", kind="cosmetic", reason="x")
    with pytest.raises(ValidationError, match='The mark for "what-is-kap" matches no section'):
        services.publish_version(version=draft)


@pytest.mark.parametrize(
    ("kind", "reason", "field"),
    [("material", "", "reason"), ("material", "x" * 301, "reason"), ("minor", "Why", "kind")],
)
def test_a_mark_needs_a_kind_and_a_short_reason(consent_version, kind, reason, field):
    draft = services.draft_next_version(based_on=consent_version)
    with pytest.raises(ValidationError) as refused:
        services.mark_section_change(version=draft, slug=REWORDED, kind=kind, reason=reason)
    assert field in refused.value.message_dict
    assert not SectionChange.objects.exists()


def test_a_reason_with_hidden_characters_is_refused_at_publishing(consent_version):
    draft = services.draft_next_version(based_on=consent_version)
    reword(draft, REWORDED)
    services.mark_section_change(
        version=draft, slug=REWORDED, kind="cosmetic", reason="Clearer\u200b words"
    )
    with pytest.raises(ValidationError, match="its reason"):
        services.publish_version(version=draft)


def test_marks_of_a_published_version_never_change(consent_version):
    version_two = publish_version_two(consent_version)
    mark = version_two.section_changes.get()
    with pytest.raises(ValidationError, match="published"):
        services.mark_section_change(version=version_two, slug=REWORDED, kind="cosmetic", reason="")
    mark.kind = "cosmetic"
    with pytest.raises(ImmutableRecordError):
        mark.save()
    with pytest.raises(ImmutableRecordError):
        mark.delete()
    assert SectionChange.objects.get(pk=mark.pk).kind == "material"


def test_clinic_admin_sees_why_publishing_is_refused_and_marks_in_the_admin(
    client, clinic_admin, consent_version
):
    draft = services.draft_next_version(based_on=consent_version)
    reword(draft, REWORDED)
    client.force_login(clinic_admin)
    changelist = reverse("admin:consent_consentversion_changelist")
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "was not published" in response.content.decode()
    assert "mark it material or cosmetic" in response.content.decode()
    page = client.get(reverse("admin:consent_consentversion_change", args=[draft.pk]))
    assert f"{REWORDED} (reworded): NOT MARKED YET" in page.content.decode()

    SectionChange.objects.create(version=draft, slug=REWORDED, kind="material", reason=REASON)
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert ConsentVersion.objects.get(pk=draft.pk).is_published


# --- A material change: only the changed sections, then the whole new version is signed ----


def test_a_patient_who_signed_reads_only_the_materially_changed_sections(patient, consent_version):
    first = signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    assert consent_status(patient).kind == ConsentStatus.OUTDATED

    consent = services.start_consent(patient=patient)
    assert consent.renews == first.signature
    assert [s.slug for s in consent.sections_to_read()] == [REWORDED]
    carried = CarriedOverSection.objects.filter(consent=consent)
    assert carried.count() == version_two.sections.count() - 1
    assert consent_status(patient).progress == (0, 1)

    read_in_order(consent)
    signature = sign(patient)

    # The signature covers the whole new version, read now or carried over.
    assert signature.consent.version == version_two
    assert signature.signed_text == version_two.canonical_text()
    assert signature.fingerprint == version_two.fingerprint()
    assert [a.section.slug for a in consent.acknowledgements.all()] == [REWORDED]
    assert seals.check(signature).is_intact
    report = verify_signed_records()
    assert report.checked == 2 and report.is_intact
    assert consent_status(patient).kind == ConsentStatus.SIGNED


def test_the_seal_covers_which_sections_were_carried_over(patient, consent_version, settings):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    signature = sign(patient)
    consent = signature.consent
    with_carried = seals.canonical_record(
        signature,
        acknowledgements=consent.acknowledgements.all(),
        attempts=consent.quiz_attempts.all(),
        carried_over=consent.carried_over.all(),
    )
    without = seals.canonical_record(
        signature,
        acknowledgements=consent.acknowledgements.all(),
        attempts=consent.quiz_attempts.all(),
    )
    assert '"carried_over"' in with_carried and str(consent.renews.public_id) in with_carried
    secret = settings.SIGNATURE_KEYS[signature.seal_key_id]
    assert seals._hmac(secret, with_carried) == signature.seal
    assert seals._hmac(secret, without) != signature.seal


def test_a_carried_over_section_is_not_read_or_answered_again(patient, consent_version):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    carried = consent.version.sections.exclude(slug=REWORDED).filter(question_prompt__gt="")[0]
    with pytest.raises(ValidationError, match="do not need to read it again"):
        services.open_section(consent=consent, section=carried)
    with pytest.raises(ValidationError, match="do not need to read it again"):
        services.answer_question(consent=consent, section=carried, choice=1)
    assert not consent.acknowledgements.exists()
    assert not consent.quiz_attempts.exists()


def test_a_patient_who_never_signed_reads_every_section(patient, consent_version):
    version_two = publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    assert consent.renews is None
    assert len(consent.sections_to_read()) == version_two.sections.count()


def test_a_patient_who_withdrew_reads_every_section_again(patient, consent_version):
    signed_consent(patient, consent_version)
    services.withdraw_consent(patient=patient)
    version_two = publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    assert consent.renews is None
    assert len(consent.sections_to_read()) == version_two.sections.count()


def test_a_mixed_version_rereads_the_material_and_lists_the_cosmetic(
    client, patient, consent_version
):
    signed_consent(patient, consent_version)
    publish_mixed_version_two(consent_version)
    client.force_login(patient)
    page = client.get(reverse("consent:overview")).content.decode()
    assert "Something new to read" in page
    assert REASON in page
    assert "Also new, wording only" in page and "A clearer sentence." in page
    client.post(reverse("consent:start"))
    consent = patient.consents.first()
    assert [s.slug for s in consent.sections_to_read()] == [REWORDED]


def test_a_cosmetic_then_a_material_version_sends_the_patient_back(patient, consent_version):
    signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version, kind="cosmetic")
    assert consent_status(patient).kind == ConsentStatus.SIGNED
    draft = services.draft_next_version(based_on=version_two)
    reword(draft, "your-choice")
    services.mark_section_change(version=draft, slug="your-choice", kind="material", reason="r")
    services.publish_version(version=draft)
    status = consent_status(patient)
    assert status.kind == ConsentStatus.OUTDATED
    # Only the material one is read again; the cosmetic one of version 2 is only listed.
    assert status.changes.material_slugs == {"your-choice"}
    assert {n.slug for n in status.changes.cosmetic_notes} == {REWORDED}


def test_a_version_published_before_marks_existed_counts_as_material(patient, consent_version):
    signed_consent(patient, consent_version)
    draft = services.draft_next_version(based_on=consent_version)
    reword(draft, REWORDED)
    # As an older release published it: no marks.
    ConsentVersion.objects.filter(pk=draft.pk).update(
        status="published", published_at=consent_version.published_at
    )
    assert consent_status(patient).kind == ConsentStatus.OUTDATED


def test_the_renewal_through_the_web_shows_only_the_changed_section(
    client, patient, consent_version, read_sections
):
    client.force_login(patient)
    signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    changed = version_two.sections.get(slug=REWORDED)
    response = client.post(reverse("consent:start"))
    assert response["Location"] == reverse("consent:step", args=[changed.position])
    page = client.get(response["Location"]).content.decode()
    assert "Step 1 of 1" in page
    # A carried-over section leads on to the one to read.
    response = client.get(reverse("consent:step", args=[1]))
    assert response["Location"] == reverse("consent:step", args=[changed.position])
    if changed.has_question:
        client.post(
            reverse("consent:answer", args=[changed.position]), {"choice": changed.correct_choice}
        )
    client.post(reverse("consent:acknowledge", args=[changed.position]), {"confirmed": "on"})
    review = client.get(reverse("consent:review")).content.decode()
    assert "Carried over from your last signature" in review
    response = client.post(
        reverse("consent:sign"),
        {"typed_name": "Sam Rivera", "confirms_meaning": "on", "password": TEST_PASSWORD},
    )
    assert response.status_code == 303
    assert patient.consents.signed().count() == 2
    assert consent_status(patient).kind == ConsentStatus.SIGNED


# --- A cosmetic-only version: the signature stays, the news is shown once ---------------


def test_a_cosmetic_version_leaves_the_signature_valid(
    client_for, patient, therapist, consent_version
):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version, kind="cosmetic")
    status = consent_status(patient)
    assert status.kind == ConsentStatus.SIGNED
    label = "Consent signed (version 1, wording updated in version 2)"
    assert status_label(status) == label
    client = client_for(therapist)
    assert label in client.get(reverse("care:roster")).content.decode()
    assert label in client.get(reverse("care:patient", args=[patient.public_id])).content.decode()
    [row] = client.get(reverse("api:patients")).json()["results"]
    assert row["consent"]["kind"] == "signed"
    assert row["consent"]["wording_updated_in"] == 2
    assert row["consent"]["label"] == label


def test_what_is_new_is_shown_once_and_recorded(client, patient, consent_version):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version, kind="cosmetic")
    client.force_login(patient)
    home = client.get(reverse("care:patient_home"))
    assert home.status_code == 200  # not sent back to consent
    assert "What's new in your consent" in home.content.decode()
    page = client.get(reverse("consent:whats_new")).content.decode()
    assert REASON in page and "Your signature stays valid" in page

    for _ in range(2):  # a double tap records it once
        response = client.post(reverse("consent:whats_new"))
        assert response["Location"] == reverse("consent:overview")
    seen = WhatsNewSeen.objects.get(patient=patient)
    assert seen.version.number == 2
    [event] = AuditEvent.objects.filter(kind=Kind.WHATS_NEW_SEEN)
    assert (event.actor, event.patient) == (patient, patient)
    assert event.detail == {"version": 2, "signed_version": 1, "sections": 1}
    assert (
        "What's new in your consent"
        not in client.get(reverse("care:patient_home")).content.decode()
    )
    overview = client.get(reverse("consent:overview")).content.decode()
    assert "See what's new" not in overview
    assert "wording was updated in version 2" in overview


def test_there_is_no_news_for_a_patient_who_signed_the_current_version(
    client, patient, consent_version
):
    signed_consent(patient, consent_version)
    client.force_login(patient)
    assert client.get(reverse("consent:whats_new"))["Location"] == reverse("consent:overview")
    client.post(reverse("consent:whats_new"))
    assert not WhatsNewSeen.objects.exists()
    with pytest.raises(ValidationError, match="nothing new"):
        services.note_whats_new_seen(patient=patient)


# --- Who may see what -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_patient", "therapist", "other_therapist", "clinic_admin"])
def test_nobody_else_sees_or_records_the_patients_news(
    request, client_for, patient, consent_version, who
):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version, kind="cosmetic")
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("consent:whats_new"))
    assert REASON not in response.content.decode()
    if who == "other_patient":
        assert response.status_code == 303  # nothing new for them
    else:
        assert response.status_code == 403
    client.post(reverse("consent:whats_new"))
    assert not WhatsNewSeen.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, consent_version):
    response = client.get(reverse("consent:whats_new"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- The API ----------------------------------------------------------------------------


def test_the_api_tells_what_is_required_and_renews_through_changed_sections(
    api_as, patient, consent_version
):
    api = api_as(patient)
    assert api.get("/api/v1/consent/").json()["status"]["required"] == "full"
    signed_consent(patient, consent_version)
    version_two = publish_version_two(consent_version)
    changed = version_two.sections.get(slug=REWORDED)
    status = api.get("/api/v1/consent/").json()["status"]
    assert status["required"] == "changed_sections"
    assert status["sections_to_read"] == [changed.position]
    assert status["changes"] == [
        {
            "slug": REWORDED,
            "title": changed.title,
            "change": "reworded",
            "kind": "material",
            "reasons": [REASON],
        }
    ]
    api.post("/api/v1/consent/start/")
    if changed.has_question:
        api.post(
            f"/api/v1/consent/sections/{changed.position}/answer/",
            {"choice": changed.correct_choice},
            format="json",
        )
    response = api.post(
        f"/api/v1/consent/sections/{changed.position}/acknowledge/",
        {"confirmed": True},
        format="json",
    )
    assert response.json()["step_number"] == 1 and response.json()["step_count"] == 1
    refused = api.get("/api/v1/consent/sections/1/")
    assert refused.status_code == 400
    response = api.post(
        "/api/v1/consent/sign/",
        {"typed_name": "Sam Rivera", "confirms_meaning": True, "password": TEST_PASSWORD},
        format="json",
    )
    assert response.status_code == 201
    record = response.json()
    assert record["renews"] is not None
    assert len(record["carried_over"]) == version_two.sections.count() - 1
    assert changed.position not in record["carried_over"]
    assert api.get("/api/v1/consent/").json()["status"]["required"] == "nothing"


def test_the_api_shows_and_acknowledges_what_is_new(api_as, patient, consent_version):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version, kind="cosmetic")
    api = api_as(patient)
    status = api.get("/api/v1/consent/").json()["status"]
    assert status["required"] == "whats_new"
    assert status["kind"] == "signed" and status["wording_updated_in"] == 2
    news = api.get("/api/v1/consent/whats-new/").json()
    assert news["version"] == 2 and news["seen_at"] is None
    assert news["changes"][0]["kind"] == "cosmetic"
    response = api.post("/api/v1/consent/whats-new/seen/")
    assert response.status_code == 201 and response.json()["seen_at"]
    assert api.get("/api/v1/consent/").json()["status"]["required"] == "nothing"


@pytest.mark.parametrize("who", ["other_patient", "therapist", "clinic_admin", None])
def test_the_api_news_is_the_patients_own(request, api_as, patient, consent_version, who):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version, kind="cosmetic")
    api = api_as(request.getfixturevalue(who) if who else None)
    response = api.get("/api/v1/consent/whats-new/")
    seen = api.post("/api/v1/consent/whats-new/seen/")
    if who is None:
        assert (response.status_code, seen.status_code) == (401, 401)
    elif who == "other_patient":
        assert response.json()["changes"] == [] and seen.status_code == 400
    else:
        assert (response.status_code, seen.status_code) == (403, 403)
    assert REASON not in response.content.decode()
    assert not WhatsNewSeen.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE consent_sectionchange SET kind = 'cosmetic'",
        "DELETE FROM consent_sectionchange",
        "DELETE FROM consent_carriedoversection",
        "UPDATE consent_carriedoversection SET carried_at = NOW()",
        "DELETE FROM consent_whatsnewseen",
    ],
)
def test_postgresql_refuses_to_rewrite_marks_and_renewals(patient, consent_version, sql):
    signed_consent(patient, consent_version)
    publish_version_two(consent_version)
    consent = services.start_consent(patient=patient)
    read_in_order(consent)
    sign(patient)
    WhatsNewSeen.objects.create(patient=patient, version=consent_version)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert SectionChange.objects.get().kind == "material"

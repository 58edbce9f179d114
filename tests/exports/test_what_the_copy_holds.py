"""Sam downloads his own copy: everything of his is in it, in every format, and nothing else.

Built through the service, as the web page and the API both do; tests/exports/test_download.py
checks those front ends.
"""

import csv
import io
import json
import zipfile
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent, Kind
from exports import formats, selectors, services
from exports.serializers import FORMAT_NAME, FORMAT_VERSION
from tests.exports.conftest import (
    GRACES_WORDS,
    MAYAS_ANSWER,
    MAYAS_CLINICAL_NOTE,
    MAYAS_COMMENT,
    SAMS_DRAFT_WORDS,
    SAMS_FIRST_WORDS,
    SAMS_PRIVATE_WORDS,
    SAMS_QUESTION,
    SAMS_SHARED_WORDS,
)
from tests.factories.journal import CommentFactory, EntryFactory, IntentionFactory
from tests.factories.measures import answered

pytestmark = pytest.mark.django_db


def export(patient, file_format):
    return services.export_records(patient=patient, file_format=file_format)


def json_export(patient):
    return json.loads(export(patient, "json").content.decode("utf-8"))


def csv_files(patient):
    archive = zipfile.ZipFile(io.BytesIO(export(patient, "csv").content))
    return archive, {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def parsed(text):
    return list(csv.DictReader(io.StringIO(text)))


def is_iso_with_offset(value):
    moment = datetime.fromisoformat(value)
    return moment.tzinfo is not None and moment.utcoffset() is not None


# --- JSON: complete, and documented ---------------------------------------------------------


def test_the_json_says_what_it_is_and_when_it_was_made(sams_records, patient):
    before = timezone.now()
    data = json_export(patient)

    assert data["format"] == FORMAT_NAME
    assert data["format_version"] == FORMAT_VERSION == 1
    assert before <= datetime.fromisoformat(data["exported_at"]) <= timezone.now()
    assert is_iso_with_offset(data["exported_at"])
    assert data["time_zone"] == "America/New_York"


def test_the_json_holds_sams_profile_and_care_team(sams_records, patient, therapist):
    data = json_export(patient)

    assert data["profile"] == {
        "public_id": str(patient.public_id),
        "first_name": "Sam",
        "last_name": "Rivera",
        "email": patient.email,
        "account_created_at": timezone.localtime(patient.date_joined).isoformat(),
    }
    assert data["care_team"] == [{"name": "Maya Okafor", "role": "Therapist"}]


def test_the_json_holds_his_sessions(sams_records, patient):
    (session,) = json_export(patient)["sessions"]

    assert session["public_id"] == str(sams_records.session.public_id)
    assert session["route"] == "iv_infusion"
    assert session["route_label"] == "IV infusion"
    assert session["dose_mg"] == 35.0
    assert session["notes"] == "Tolerated well."
    assert session["recorded_by"] == "Maya Okafor"
    assert is_iso_with_offset(session["occurred_at"])


def test_the_json_holds_every_entry_shared_private_and_draft_with_all_fields(sams_records, patient):
    entries = {entry["public_id"]: entry for entry in json_export(patient)["entries"]}

    assert set(entries) == {
        str(sams_records.shared_entry.public_id),
        str(sams_records.private_entry.public_id),
        str(sams_records.draft.public_id),
    }
    shared = entries[str(sams_records.shared_entry.public_id)]
    assert shared["state"] == "submitted"
    assert shared["session"] == str(sams_records.session.public_id)
    assert shared["body"] == SAMS_SHARED_WORDS
    assert shared["insights"] == "Letting go is allowed."
    assert (shared["mood"], shared["anxiety"]) == (7, 3)
    assert shared["experiences"] == ["vivid_imagery", "nausea"]
    assert shared["experiences_other"] == "A hum in my ears"
    assert shared["is_shared"] is True and shared["is_for_discussion"] is True
    assert shared["reviewed_by"] == "Maya Okafor"
    assert is_iso_with_offset(shared["reviewed_at"])
    assert [c["body"] for c in shared["comments"]] == [MAYAS_COMMENT]
    assert shared["comments"][0]["author"] == "Maya Okafor"
    assert [r["reader"] for r in shared["read_by"]] == ["Maya Okafor"]
    assert shared["earlier_versions"] == []
    for name in ("stood_out", "emotions", "body_sensations", "intention"):
        assert shared[name] == ""

    private = entries[str(sams_records.private_entry.public_id)]
    assert (private["body"], private["is_shared"], private["mood"]) == (
        SAMS_PRIVATE_WORDS,
        False,
        10,
    )
    assert is_iso_with_offset(private["edited_at"])
    (earlier,) = private["earlier_versions"]
    assert (earlier["body"], earlier["mood"], earlier["is_shared"]) == (SAMS_FIRST_WORDS, 10, False)
    assert earlier["saved_at"] == private["submitted_at"]
    assert earlier["replaced_at"] == private["edited_at"]
    draft = entries[str(sams_records.draft.public_id)]
    assert (draft["state"], draft["body"], draft["submitted_at"]) == (
        "draft",
        SAMS_DRAFT_WORDS,
        None,
    )


def test_the_json_holds_each_consent_pass_with_every_step(sams_records, patient):
    first, second = json_export(patient)["consents"]

    assert first["public_id"] == str(sams_records.first_consent.public_id)
    assert (first["version_number"], first["status"]) == (1, "withdrawn")
    sections = sams_records.first_consent.version.ordered_sections()
    assert [a["section_position"] for a in first["acknowledgements"]] == [
        s.position for s in sections
    ]
    assert all(is_iso_with_offset(a["acknowledged_at"]) for a in first["acknowledgements"])
    assert all(isinstance(a["seconds_open"], int) for a in first["acknowledgements"])
    wrong, right = first["quiz_answers"][:2]
    assert (wrong["is_correct"], right["is_correct"]) == (False, True)
    assert wrong["section_slug"] == right["section_slug"]
    assert wrong["choice_text"] and wrong["question"]

    signature = first["signature"]
    stored = sams_records.first_consent.signature
    assert signature["typed_name"] == "Sam Rivera"
    assert signature["signer_email"] == patient.email
    assert signature["identity_confirmed_by"] == stored.identity_confirmed_by == "password"
    assert (signature["seal"], signature["seal_key_id"]) == (stored.seal, stored.seal_key_id)
    assert signature["meaning"] == stored.meaning
    assert signature["fingerprint"] == stored.fingerprint
    assert signature["signed_text"] == stored.signed_text
    assert signature["text_is_intact"] is True
    assert signature["ip_address"] == stored.ip_address == "203.0.113.7"
    assert is_iso_with_offset(signature["signed_at"])
    assert first["withdrawal"]["reason"] == "I need more time to decide."
    assert is_iso_with_offset(first["withdrawal"]["withdrawn_at"])

    (question,) = first["questions"]
    assert (question["text"], question["answer"], question["answered_by"]) == (
        SAMS_QUESTION,
        MAYAS_ANSWER,
        "Maya Okafor",
    )

    assert second["status"] == "in_progress"
    assert second["signature"] is None and second["withdrawal"] is None
    assert len(second["acknowledgements"]) == 1


def test_the_copy_leaves_out_the_clinical_notes_and_grace(sams_records, patient, other_patient):
    for file_format in ("json", "csv"):
        content = export(patient, file_format).content
        if file_format == "csv":
            archive = zipfile.ZipFile(io.BytesIO(content))
            content = b"".join(archive.read(name) for name in archive.namelist())
        text = content.decode("utf-8")
        assert MAYAS_CLINICAL_NOTE not in text, file_format
        assert GRACES_WORDS not in text, file_format
        assert str(other_patient.public_id) not in text, file_format
        assert other_patient.email not in text, file_format
    html = formats.pdf_html(selectors.records_of(patient))
    assert MAYAS_CLINICAL_NOTE not in html
    assert GRACES_WORDS not in html


def test_grace_gets_only_her_own_records(sams_records, other_patient):
    data = json_export(other_patient)

    assert [entry["body"] for entry in data["entries"]] == [GRACES_WORDS]
    assert SAMS_SHARED_WORDS not in json.dumps(data)
    assert data["care_team"] == [{"name": "Jonas Berg", "role": "Therapist"}]


def strict_json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: nullable spelled out, no field undocumented."""
    if isinstance(node, list):
        return [strict_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: strict_json_schema(value) for key, value in node.items()}
    if "properties" in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def test_the_json_is_exactly_what_the_api_schema_documents(sams_records, patient):
    import jsonschema
    from drf_spectacular.generators import SchemaGenerator

    components = SchemaGenerator().get_schema(request=None, public=True)["components"]
    schema = {
        "$ref": "#/components/schemas/PatientExport",
        "components": strict_json_schema(components),
    }

    # OpenAPI 3.0 schemas are JSON Schema draft 4 (exclusiveMaximum is a boolean there).
    jsonschema.Draft4Validator(schema).validate(json_export(patient))


# --- CSV: typed, one file per kind ------------------------------------------------------------


def test_the_zip_holds_a_readme_and_one_csv_per_kind(sams_records, patient):
    archive, files = csv_files(patient)

    assert archive.namelist() == [
        "README.txt",
        "profile.csv",
        "care_team.csv",
        "sessions.csv",
        "entries.csv",
        "entry_versions.csv",
        "comments.csv",
        "entry_reads.csv",
        "consents.csv",
        "acknowledgements.csv",
        "quiz_answers.csv",
        "signatures.csv",
        "withdrawals.csv",
        "questions.csv",
        "intentions.csv",
        "questionnaires.csv",
        "questionnaire_answers.csv",
    ]
    for table in formats.TABLES:
        assert table.filename in files["README.txt"]
    assert "psychotherapy notes" in files["README.txt"]


def test_every_csv_file_has_a_plain_header_row(sams_records, patient):
    _, files = csv_files(patient)

    for table in formats.TABLES:
        text = files[table.filename]
        assert not text.startswith("\ufeff"), table.filename
        assert next(csv.reader(io.StringIO(text))) == table.columns


def test_numbers_stay_numbers_and_text_stays_text(sams_records, patient):
    _, files = csv_files(patient)
    entries = parsed(files["entries.csv"])
    shared = next(e for e in entries if e["public_id"] == str(sams_records.shared_entry.public_id))
    private = next(
        e for e in entries if e["public_id"] == str(sams_records.private_entry.public_id)
    )

    # Whole numbers are written as whole numbers, never "7.0".
    assert (shared["mood"], shared["anxiety"], private["mood"]) == ("7", "3", "10")
    assert parsed(files["sessions.csv"])[0]["dose_mg"] == "35.0"
    assert shared["experiences"] == "vivid_imagery;nausea"
    assert (shared["is_shared"], private["is_shared"]) == ("true", "false")
    # Unquoted means number: read with QUOTE_NONNUMERIC, numbers come back as numbers
    # and everything else as text.
    typed = list(csv.DictReader(io.StringIO(files["entries.csv"]), quoting=csv.QUOTE_NONNUMERIC))
    typed_shared = next(e for e in typed if e["public_id"] == shared["public_id"])
    assert typed_shared["mood"] == 7 and isinstance(typed_shared["mood"], float)
    assert typed_shared["body"] == SAMS_SHARED_WORDS
    assert isinstance(typed_shared["is_shared"], str)
    acknowledgements = csv.DictReader(
        io.StringIO(files["acknowledgements.csv"]), quoting=csv.QUOTE_NONNUMERIC
    )
    assert all(isinstance(row["section_position"], float) for row in acknowledgements)


def test_csv_times_are_iso_8601_with_their_offset(sams_records, patient):
    _, files = csv_files(patient)

    shared = next(
        e
        for e in parsed(files["entries.csv"])
        if e["public_id"] == str(sams_records.shared_entry.public_id)
    )
    submitted = datetime.fromisoformat(shared["submitted_at"])
    assert submitted == sams_records.shared_entry.submitted_at
    assert submitted.utcoffset() is not None
    for row in parsed(files["acknowledgements.csv"]):
        assert is_iso_with_offset(row["opened_at"]) and is_iso_with_offset(row["acknowledged_at"])
    (signature,) = parsed(files["signatures.csv"])
    assert is_iso_with_offset(signature["signed_at"])


def test_csv_rows_point_to_their_entry_or_consent(sams_records, patient):
    _, files = csv_files(patient)

    (comment,) = parsed(files["comments.csv"])
    assert comment["entry"] == str(sams_records.shared_entry.public_id)
    assert comment["body"] == MAYAS_COMMENT
    (question,) = parsed(files["questions.csv"])
    assert question["consent"] == str(sams_records.first_consent.public_id)
    assert (question["text"], question["answer"]) == (SAMS_QUESTION, MAYAS_ANSWER)
    (withdrawal,) = parsed(files["withdrawals.csv"])
    assert withdrawal["consent"] == str(sams_records.first_consent.public_id)
    (earlier,) = parsed(files["entry_versions.csv"])
    assert earlier["entry"] == str(sams_records.private_entry.public_id)
    assert earlier["body"] == SAMS_FIRST_WORDS
    quiz = parsed(files["quiz_answers.csv"])
    assert [row["is_correct"] for row in quiz[:2]] == ["false", "true"]


def test_a_text_that_looks_like_a_formula_is_kept_as_text_in_the_csv(patient):
    EntryFactory(patient=patient, body='=HYPERLINK("http://evil.example","click")', mood=4)
    _, files = csv_files(patient)

    (entry,) = parsed(files["entries.csv"])
    assert entry["body"] == '\'=HYPERLINK("http://evil.example","click")'
    assert entry["mood"] == "4"
    # The JSON keeps the text exactly as written.
    assert json_export(patient)["entries"][0]["body"].startswith("=HYPERLINK")


# --- PDF: the journal and the consent records, to read --------------------------------------


def test_the_pdf_is_a_pdf_of_his_journal_and_consent(sams_records, patient):
    pdf = export(patient, "pdf")
    html = formats.pdf_html(selectors.records_of(patient))

    assert pdf.content_type == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # Several pages of text, not an empty shell (pypdf is not installed to read it back).
    assert len(pdf.content) > 20_000
    for words in (
        SAMS_SHARED_WORDS,
        SAMS_PRIVATE_WORDS,
        SAMS_FIRST_WORDS,
        SAMS_DRAFT_WORDS,
        MAYAS_COMMENT,
    ):
        assert words in html
    assert SAMS_QUESTION in html and MAYAS_ANSWER in html
    signature = sams_records.first_consent.signature
    assert signature.fingerprint in html and "Sam Rivera" in html
    assert "I need more time to decide." in html


def test_html_in_an_entry_is_shown_as_text_in_the_pdf(patient):
    EntryFactory(patient=patient, body='<script>alert("x")</script><img src="http://x.example/">')

    html = formats.pdf_html(selectors.records_of(patient))

    assert "<script>alert" not in html and '<img src="http://x.example/">' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert export(patient, "pdf").content.startswith(b"%PDF")


# --- Who may, and what is recorded --------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["json", "csv", "pdf"])
def test_each_export_is_an_audit_event_without_a_word_of_the_records(
    sams_records, patient, file_format
):
    made = export(patient, file_format)

    event = AuditEvent.objects.in_order().last()
    assert event.kind == Kind.EXPORTED
    assert (event.actor, event.patient) == (patient, patient)
    assert event.detail == {"format": file_format}
    stored = event.canonical()
    for words in (SAMS_SHARED_WORDS, SAMS_PRIVATE_WORDS, SAMS_QUESTION, made.filename):
        assert words not in stored


def test_the_file_name_carries_the_day_it_was_made(patient):
    today = timezone.localdate().isoformat()

    assert export(patient, "json").filename == f"my-records-{today}.json"
    assert export(patient, "csv").filename == f"my-records-{today}-csv.zip"
    assert export(patient, "pdf").filename == f"my-records-{today}.pdf"


@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_staff_have_no_copy_to_take(request, role):
    with pytest.raises(PermissionDenied):
        export(request.getfixturevalue(role), "json")
    assert not AuditEvent.objects.filter(kind=Kind.EXPORTED).exists()


def test_an_unknown_format_is_refused_and_not_recorded(patient):
    with pytest.raises(ValidationError) as refused:
        export(patient, "xlsx")
    assert "PDF, CSV or JSON" in refused.value.message_dict["format"][0]
    assert not AuditEvent.objects.filter(kind=Kind.EXPORTED).exists()


def test_a_long_journal_is_read_in_the_same_number_of_queries(
    patient, therapist, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EntryFactory(patient=patient)
    with CaptureQueriesContext(connection) as few:
        selectors.records_of(patient)
    for _ in range(15):
        CommentFactory(entry=EntryFactory(patient=patient, shared=True), author=therapist)

    with django_assert_num_queries(len(few)):
        selectors.records_of(patient)


# --- Before a session, and questionnaires ---------------------------------------------------


KEPT_INTENTION = "To stay with the fear of falling, and breathe."
WAITING_INTENTION = "I want to ask my father's voice what it needs."


@pytest.fixture
def sams_intentions_and_answers(sams_records, patient, other_patient):
    session = patient.administration_sessions.get()
    IntentionFactory(patient=patient, session=session, body=KEPT_INTENTION)
    IntentionFactory(patient=patient, body=WAITING_INTENTION, is_shared=False)
    IntentionFactory(patient=other_patient, body=GRACES_WORDS)
    answered(patient, "phq9", [0, 1, 2, 3, 0, 1, 2, 3, 0])
    answered(patient, "gad7", [1, 1], draft=True)
    answered(other_patient, "phq9", [3] * 9)
    return session


def test_the_json_holds_his_intentions_kept_and_waiting_private_or_shared(
    sams_intentions_and_answers, patient
):
    intentions = json_export(patient)["intentions"]

    assert [(i["body"], i["is_shared"]) for i in intentions] == [
        (KEPT_INTENTION, True),
        (WAITING_INTENTION, False),
    ]
    assert intentions[0]["session"] == str(sams_intentions_and_answers.public_id)
    assert intentions[1]["session"] is None  # waiting for his next session


def test_the_json_holds_every_questionnaire_he_answered_word_for_word(
    sams_intentions_and_answers, patient
):
    phq9, gad7 = json_export(patient)["measure_responses"]

    assert (phq9["measure"], phq9["total_score"], phq9["max_score"]) == ("PHQ-9", 12, 27)
    assert phq9["band"] == "Moderate"
    assert phq9["answers"][3] == {
        "position": 4,
        "question": "Feeling tired or having little energy",
        "value": 3,
        "answer": "Nearly every day",
    }
    assert len(phq9["answers"]) == 9
    # A questionnaire he has not sent yet is his too: kept, and marked as not sent.
    assert gad7["submitted_at"] is None and gad7["total_score"] is None
    assert [a["value"] for a in gad7["answers"]] == [1, 1]


def test_no_one_elses_intentions_or_answers_are_in_his_copy(sams_intentions_and_answers, patient):
    files = csv_files(patient)[1]
    everything = json.dumps(json_export(patient)) + "".join(files.values())

    assert GRACES_WORDS not in everything
    assert len(parsed(files["questionnaires.csv"])) == 2
    assert len(parsed(files["questionnaire_answers.csv"])) == 11
    assert [row["body"] for row in parsed(files["intentions.csv"])] == [
        KEPT_INTENTION,
        WAITING_INTENTION,
    ]


def test_the_pdf_shows_his_intentions_and_each_answer_in_words(
    sams_intentions_and_answers, patient
):
    html = formats.pdf_html(selectors.records_of(patient))

    assert KEPT_INTENTION in html and escape(WAITING_INTENTION) in html
    assert "For your next session" in html and "(not shared)" in html
    assert "Score 12 of 27: Moderate." in html
    assert "Feeling tired or having little energy</td><td>Nearly every day" in html
    assert "not sent yet" in html  # his unfinished GAD-7

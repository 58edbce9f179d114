"""How each format of the patient's copy is written, from one `PatientRecords`.

JSON is the complete record (exports.serializers gives its shape). The CSV files are the
same data laid flat, one file per kind, written from that same JSON shape so the two can
never disagree. The PDF is for reading and printing: the journal and the consent records.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from consent.pdf import html_to_pdf
from exports.serializers import FORMAT_VERSION, PatientExportSerializer
from journal.models import CONTENT_FIELDS

# --- JSON -----------------------------------------------------------------------------------


def export_data(records):
    """The whole export as Python data: the JSON file, before it is written out."""
    return PatientExportSerializer(records).data


def as_json(records):
    text = json.dumps(export_data(records), cls=JSONEncoder, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


# --- CSV --------------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (and a formula can
# fetch a web address or run a command). Text cells starting so get a leading apostrophe,
# which spreadsheets read as "this is text"; the JSON file keeps the text exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ENTRY_TEXT_COLUMNS = list(CONTENT_FIELDS)


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, its columns, and what its rows are (for the README)."""

    filename: str
    columns: list
    description: str


TABLES = [
    Table(
        "profile.csv",
        ["public_id", "first_name", "last_name", "email", "account_created_at"],
        "Your account: one row.",
    ),
    Table("care_team.csv", ["name", "role"], "The therapists caring for you."),
    Table(
        "sessions.csv",
        [
            "public_id",
            "occurred_at",
            "route",
            "route_label",
            "dose_mg",
            "notes",
            "recorded_by",
            "recorded_at",
        ],
        "Your administration sessions, as your therapist recorded them.",
    ),
    Table(
        "entries.csv",
        [
            "public_id",
            "state",
            "session",
            "created_at",
            "updated_at",
            "submitted_at",
            "edited_at",
            *ENTRY_TEXT_COLUMNS,
            "is_shared",
            "shared_at",
            "is_for_discussion",
            "discussed_at",
            "reviewed_at",
            "reviewed_by",
            "has_crisis_language",
        ],
        "Your journal entries and drafts, shared or private. `session` is a public_id "
        "from sessions.csv.",
    ),
    Table(
        "entry_versions.csv",
        [
            "entry",
            "public_id",
            "saved_at",
            "replaced_at",
            "session",
            *ENTRY_TEXT_COLUMNS,
            "is_shared",
            "is_for_discussion",
        ],
        "What an entry said before each time you edited it. `entry` is a public_id from "
        "entries.csv.",
    ),
    Table(
        "comments.csv",
        ["entry", "public_id", "author", "author_side", "written_at", "body", "seen_at"],
        "Your therapists' comments on your shared entries, and your replies.",
    ),
    Table(
        "entry_reads.csv",
        ["entry", "reader", "read_at"],
        "Who on your care team opened which shared entry, and when.",
    ),
    Table(
        "consents.csv",
        ["public_id", "version_number", "version_title", "started_at", "status"],
        "Each time you went through a consent version.",
    ),
    Table(
        "acknowledgements.csv",
        [
            "consent",
            "section_position",
            "section_slug",
            "section_title",
            "opened_at",
            "acknowledged_at",
            "seconds_open",
        ],
        "When you opened and acknowledged each section. `consent` is a public_id from "
        "consents.csv.",
    ),
    Table(
        "quiz_answers.csv",
        [
            "consent",
            "section_position",
            "section_slug",
            "question",
            "choice",
            "choice_text",
            "is_correct",
            "answered_at",
        ],
        "Every answer you gave to a section's question, right or wrong.",
    ),
    Table(
        "signatures.csv",
        [
            "consent",
            "public_id",
            "typed_name",
            "signer_email",
            "signed_at",
            "meaning",
            "identity_confirmed_by",
            "identity_confirmed_at",
            "fingerprint",
            "text_is_intact",
            "signed_text",
            "ip_address",
            "user_agent",
            "seal",
            "seal_key_id",
            "sealed_at",
            "sealed_when",
        ],
        "Your signatures, with the exact text you signed and its SHA-256 fingerprint.",
    ),
    Table(
        "withdrawals.csv",
        ["consent", "withdrawn_at", "reason"],
        "Each time you withdrew a signed consent.",
    ),
    Table(
        "questions.csv",
        [
            "consent",
            "public_id",
            "section_position",
            "section_title",
            "text",
            "asked_at",
            "answer",
            "answered_by",
            "answered_at",
        ],
        "Your questions to your care team about the consent, with their answers.",
    ),
    Table(
        "intentions.csv",
        ["public_id", "session", "body", "is_shared", "written_at", "updated_at"],
        "What you wanted to bring into each session. `session` is a public_id from "
        "sessions.csv, empty while it waits for the next one.",
    ),
    Table(
        "questionnaires.csv",
        [
            "public_id",
            "measure",
            "version",
            "started_at",
            "submitted_at",
            "total_score",
            "max_score",
            "band",
        ],
        "Each questionnaire you answered (PHQ-9, GAD-7, PCL-5...), sent or not yet sent.",
    ),
    Table(
        "questionnaire_answers.csv",
        ["questionnaire", "position", "question", "value", "answer"],
        "Your answer to each question. `questionnaire` is a public_id from questionnaires.csv.",
    ),
]


def table_rows(data):
    """Each CSV file's rows, from the export's JSON shape: {filename: [row, ...]}."""
    entries, consents = data["entries"], data["consents"]

    def children(parents, key, parent_column):
        return [
            {parent_column: parent["public_id"], **child}
            for parent in parents
            for child in parent[key]
        ]

    return {
        "profile.csv": [data["profile"]],
        "care_team.csv": data["care_team"],
        "sessions.csv": data["sessions"],
        "entries.csv": entries,
        "entry_versions.csv": children(entries, "earlier_versions", "entry"),
        "comments.csv": children(entries, "comments", "entry"),
        "entry_reads.csv": children(entries, "read_by", "entry"),
        "consents.csv": consents,
        "acknowledgements.csv": children(consents, "acknowledgements", "consent"),
        "quiz_answers.csv": children(consents, "quiz_answers", "consent"),
        "signatures.csv": [
            {"consent": consent["public_id"], **consent["signature"]}
            for consent in consents
            if consent["signature"]
        ],
        "withdrawals.csv": [
            {"consent": consent["public_id"], **consent["withdrawal"]}
            for consent in consents
            if consent["withdrawal"]
        ],
        "questions.csv": children(consents, "questions", "consent"),
        "intentions.csv": data["intentions"],
        "questionnaires.csv": data["measure_responses"],
        "questionnaire_answers.csv": children(
            data["measure_responses"], "answers", "questionnaire"
        ),
    }


def csv_cell(value):
    """One value as the CSV writer should see it: numbers stay numbers, the rest is text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_file(table, rows):
    buffer = io.StringIO()
    # Text is always quoted and numbers never are, so a program reading the file (or a
    # spreadsheet told to) keeps 7 a number and "7" typed in a text a text.
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in table.columns])
    return buffer.getvalue().encode("utf-8")


def csv_readme(records):
    lines = [
        "Your records from the KAP companion, as CSV files",
        "",
        f"Made {timezone.localtime(records.exported_at).isoformat()} (format version "
        f"{FORMAT_VERSION}).",
        "",
        "Each file is one kind of record, one row per record, with a header row of column",
        "names. The files are UTF-8, comma-separated, with Windows line endings (CRLF).",
        "",
        "- Text is always in double quotes; numbers (mood, anxiety, dose, positions) never",
        "  are. Whole numbers are written without a decimal point.",
        "- Yes/no columns hold true or false.",
        "- Times are ISO 8601 in the clinic's time zone with their offset from UTC, for",
        "  example 2025-03-04T19:30:00-05:00. An empty cell means there is none.",
        "- experiences lists what you ticked, separated by semicolons.",
        "- A text that begins with = + - or @ has an apostrophe (') added in front, so a",
        "  spreadsheet shows it as text instead of running it as a formula. The JSON",
        "  copy keeps every text exactly as written.",
        "- Rows in one file point to another by public_id: entry, consent and session",
        "  columns hold the public_id of the row they belong to.",
        "",
        "The files:",
        "",
    ]
    for table in TABLES:
        lines.append(f"{table.filename}: {table.description}")
    lines += [
        "",
        "Your therapists' private clinical notes are not included: they are the care",
        "team's own working notes (psychotherapy notes), kept apart from your record.",
        "",
        "Every column is described in the documentation of the export format",
        "(docs/export-format.md in the KAP companion's source).",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def as_csv_zip(records):
    rows = table_rows(export_data(records))
    local = timezone.localtime(records.exported_at)
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    buffer = io.BytesIO()
    files = [("README.txt", csv_readme(records))]
    files += [(table.filename, csv_file(table, rows[table.filename])) for table in TABLES]
    with zipfile.ZipFile(buffer, "w") as archive:
        for filename, content in files:
            info = zipfile.ZipInfo(filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # readable by its owner only, once unpacked
            archive.writestr(info, content)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------


def pdf_html(records):
    """The page WeasyPrint turns into the PDF (escaped like every template)."""
    return render_to_string("exports/records_pdf.html", {"records": records})


def as_pdf(records):
    return html_to_pdf(pdf_html(records))

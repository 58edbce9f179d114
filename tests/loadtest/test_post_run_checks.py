"""After a load test, the checker compares what the simulated people did with the database.

It must pass a clean run and catch each way words can go wrong: an entry stored twice by
a double tap, a draft whose words were lost, a text that changed, an entry nobody wrote,
and a server error. (The load test itself takes minutes and runs with `make loadtest`.)
"""

import csv
import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from journal.models import Entry
from loadtest import check
from tests.factories.journal import CommentFactory, EntryFactory

pytestmark = pytest.mark.django_db

SUBMITTED = "[load test] I walked to the river and noticed the colours more."
DRAFT = "[load test] Afterwards I slept well for the first time in weeks."
COMMENT = "[load test] Thank you, let us talk about the river."


@pytest.fixture
def run_started_at():
    return (timezone.now() - timedelta(minutes=3)).isoformat()


@pytest.fixture
def clean_run(patient, therapist, run_started_at):
    """A patient submitted one entry, left one draft, and their therapist commented."""
    entry = EntryFactory(patient=patient, body=SUBMITTED, shared=True)
    draft = EntryFactory(patient=patient, body=DRAFT, draft=True)
    CommentFactory(entry=entry, author=therapist, body=COMMENT)
    return {
        "started_at": run_started_at,
        "entries": [
            {
                "key": str(entry.public_id),
                "patient": patient.email,
                "text": SUBMITTED,
                "confirmed": True,
                "via": "api",
                "submits": 2,
            }
        ],
        "drafts": [
            {"key": str(draft.public_id), "patient": patient.email, "text": DRAFT, "pending": None}
        ],
        "comments": [
            {
                "therapist": therapist.email,
                "entry": str(entry.public_id),
                "text": COMMENT,
                "confirmed": True,
            }
        ],
    }


def kinds(problems):
    return sorted(problem.kind for problem in problems)


def test_a_clean_run_passes(clean_run):
    assert check.check_record(clean_run) == []


def test_a_double_tap_that_stored_the_entry_twice_is_found(clean_run, patient):
    EntryFactory(patient=patient, body=SUBMITTED)

    problems = check.check_record(clean_run)

    # Stored a second time, under a key nobody submitted.
    assert kinds(problems) == ["duplicated", "unexpected"]
    assert "stored 2 times" in str(problems[0])


def test_a_lost_draft_is_found(clean_run, patient):
    never_stored = str(uuid.uuid4())
    clean_run["drafts"].append(
        {"key": never_stored, "patient": patient.email, "text": DRAFT, "pending": None}
    )

    problems = check.check_record(clean_run)

    assert kinds(problems) == ["lost"]
    assert never_stored in str(problems[0])


def test_a_draft_that_lost_its_last_autosave_is_found(clean_run):
    clean_run["drafts"][0]["text"] = DRAFT + " And then I woke up calm."

    assert kinds(check.check_record(clean_run)) == ["changed"]


def test_a_draft_still_saving_when_the_test_stopped_may_hold_either_text(clean_run):
    clean_run["drafts"][0]["text"] = "[load test] The first words."
    clean_run["drafts"][0]["pending"] = DRAFT

    assert check.check_record(clean_run) == []


def test_an_entry_whose_text_changed_is_found(clean_run):
    clean_run["entries"][0]["text"] = SUBMITTED + " (as sent)"

    assert kinds(check.check_record(clean_run)) == ["changed"]


def test_a_submitted_entry_that_is_missing_is_found(clean_run, patient):
    clean_run["entries"].append(
        {
            "key": str(uuid.uuid4()),
            "patient": patient.email,
            "text": "[load test] Never arrived.",
            "confirmed": True,
            "via": "web",
            "submits": 1,
        }
    )

    assert kinds(check.check_record(clean_run)) == ["lost"]


def test_a_submit_still_in_flight_at_the_end_may_be_missing(clean_run, patient):
    clean_run["entries"].append(
        {
            "key": str(uuid.uuid4()),
            "patient": patient.email,
            "text": "[load test] Sent as the test stopped.",
            "confirmed": False,
            "via": "web",
            "submits": 1,
        }
    )

    assert check.check_record(clean_run) == []


def test_an_entry_stored_under_another_patient_is_not_theirs(clean_run, other_patient):
    clean_run["entries"][0]["patient"] = other_patient.email

    assert "lost" in kinds(check.check_record(clean_run))


def test_entries_written_before_the_run_are_not_unexpected(clean_run, patient):
    earlier = EntryFactory(patient=patient, body="Before the load test.")
    earlier.created_at = timezone.now() - timedelta(days=2)
    earlier.save()

    assert check.check_record(clean_run) == []


def test_a_comment_stored_twice_is_found(clean_run, therapist):
    entry = Entry.objects.get(body=SUBMITTED)
    CommentFactory(entry=entry, author=therapist, body=COMMENT)

    assert kinds(check.check_record(clean_run)) == ["duplicated"]


# --- The whole report: requests, failures, server errors ---------------------------------


def write_run(folder, record, *, failures=0, access_log=""):
    (folder / "record.json").write_text(json.dumps(record))
    columns = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%"]
    with open(folder / "locust_stats.csv", "w", newline="") as stats:
        writer = csv.DictWriter(stats, fieldnames=columns)
        writer.writeheader()
        writer.writerow(
            dict(
                zip(
                    columns,
                    [
                        "PUT",
                        "/api/v1/journal/drafts/[key]/",
                        "40",
                        str(failures),
                        "2.0",
                        "15",
                        "90",
                        "140",
                    ],
                    strict=True,
                )
            )
        )
        writer.writerow(
            dict(
                zip(
                    columns,
                    ["", "Aggregated", "40", str(failures), "2.0", "15", "90", "140"],
                    strict=True,
                )
            )
        )
    (folder / "access.log").write_text(access_log)


def test_the_report_passes_a_clean_run_and_shows_latencies(clean_run, tmp_path, capsys):
    write_run(tmp_path, clean_run, access_log="200 PUT /api/v1/journal/drafts/x/ 12ms\n")

    assert check.main(["--out", str(tmp_path)]) == 0

    printed = capsys.readouterr().out
    assert "| PUT /api/v1/journal/drafts/[key]/ | 40 | 0 | 15 | 90 | 140 |" in printed
    assert "Checks passed" in printed
    assert (tmp_path / "summary.md").read_text().strip() == printed.strip()


def test_the_report_fails_on_a_server_error(clean_run, tmp_path, capsys):
    write_run(tmp_path, clean_run, access_log="200 GET /journal/ 5ms\n500 GET /home/ 9ms\n")

    assert check.main(["--out", str(tmp_path)]) == 1
    assert "server: 1 responses were 5xx" in capsys.readouterr().out


def test_the_report_fails_on_a_failed_request(clean_run, tmp_path, capsys):
    write_run(tmp_path, clean_run, failures=3)

    assert check.main(["--out", str(tmp_path)]) == 1
    assert "failed: 3 requests failed" in capsys.readouterr().out

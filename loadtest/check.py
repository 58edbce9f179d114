"""After the load test: did the database keep every word, once? And how fast was it?

    python loadtest/check.py --out loadtest/out

reads what the simulated people noted (`record.json`, written by the locustfile), the
database, locust's statistics (`locust_stats.csv`) and gunicorn's access log, prints a
short summary, writes it to `summary.md`, and exits 1 if any check fails:

- every entry a patient submitted is stored once under its draft key, as theirs, with
  the text they sent, however many times they tapped submit;
- no entry appeared that nobody submitted (a double tap making a second entry);
- every draft left unfinished holds the last text its autosave confirmed;
- every comment a therapist sent is stored once;
- no request failed, and the server answered no 5xx.
"""

import argparse
import csv
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATENCY_COLUMNS = ("50%", "95%", "99%")


@dataclass(frozen=True)
class Problem:
    kind: str  # "duplicated", "lost", "changed", "unexpected", "server"
    detail: str

    def __str__(self):
        return f"{self.kind}: {self.detail}"


# --- The database against the record ------------------------------------------------------


def check_record(record):
    """Every problem found comparing what the simulated people noted with the database."""
    return [
        *_check_entries(record),
        *_check_unexpected_entries(record),
        *_check_drafts(record),
        *_check_comments(record),
    ]


def _stored(key):
    from journal.models import Entry

    return list(Entry.objects.filter(public_id=key).select_related("patient"))


def _check_entries(record):
    from journal.models import Entry

    problems = []
    for noted in record["entries"]:
        key, text = noted["key"], noted["text"]
        stored = [entry for entry in _stored(key) if entry.patient.email == noted["patient"]]
        submitted = [entry for entry in stored if not entry.is_draft]
        if not noted["confirmed"] and not submitted:
            continue  # in flight when the test stopped: not stored is an answer too
        if not submitted:
            problems.append(Problem("lost", f"entry {key} was submitted but is not stored"))
            continue
        entry = submitted[0]
        if entry.body != text:
            problems.append(Problem("changed", f"entry {key} holds other text than was sent"))
        # The key is unique, so a double submit that went wrong shows as a second row with
        # the same words under another key.
        twins = Entry.objects.filter(patient=entry.patient, body=text).exclude(pk=entry.pk)
        if twins.exists():
            problems.append(
                Problem("duplicated", f"entry {key} is stored {twins.count() + 1} times")
            )
    return problems


def _check_unexpected_entries(record):
    """Entries of the simulated patients, submitted during the run, that nobody noted."""
    from journal.models import Entry

    patients = {noted["patient"] for noted in record["entries"] + record["drafts"]}
    noted_keys = {noted["key"] for noted in record["entries"]}
    during_run = Entry.objects.submitted().filter(
        patient__email__in=patients, created_at__gte=record["started_at"]
    )
    return [
        Problem("unexpected", f"entry {entry.public_id} was stored but never submitted")
        for entry in during_run.exclude(public_id__in=noted_keys)
    ]


def _check_drafts(record):
    problems = []
    for noted in record["drafts"]:
        key = noted["key"]
        if noted["text"] is None:
            continue  # its first autosave was still in flight: nothing was promised yet
        stored = [entry for entry in _stored(key) if entry.patient.email == noted["patient"]]
        if not stored:
            problems.append(Problem("lost", f"draft {key} is not stored"))
        elif stored[0].body not in (noted["text"], noted.get("pending")):
            problems.append(Problem("changed", f"draft {key} lost its last autosaved text"))
    return problems


def _check_comments(record):
    from journal.models import Comment

    problems = []
    for noted in record["comments"]:
        count = Comment.objects.filter(
            entry__public_id=noted["entry"], author__email=noted["therapist"], body=noted["text"]
        ).count()
        if count > 1:
            problems.append(Problem("duplicated", f"a comment on {noted['entry']} is stored twice"))
        elif count == 0 and noted["confirmed"]:
            problems.append(Problem("lost", f"a comment on {noted['entry']} is not stored"))
    return problems


# --- Requests, failures, latencies ---------------------------------------------------------


def read_stats(path):
    """locust's per-request rows and its Aggregated row, from `<prefix>_stats.csv`."""
    with open(path, newline="") as stats:
        rows = list(csv.DictReader(stats))
    named = [row for row in rows if row["Name"] != "Aggregated"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return named, total


def server_errors(access_log):
    """Responses with a 5xx status in gunicorn's access log (its first field is the status)."""
    if not Path(access_log).exists():
        return []
    lines = Path(access_log).read_text().splitlines()
    return [line for line in lines if re.match(r"5\d\d ", line)]


def summarize(*, named, total, problems, errors_5xx, record):
    entries = record["entries"]
    confirmed = [entry for entry in entries if entry["confirmed"]]
    double = [entry for entry in confirmed if entry["submits"] > 1]
    drafts = [draft for draft in record["drafts"] if draft["text"] is not None]
    lines = [
        f"Requests: {total['Request Count']}, failures: {total['Failure Count']}, "
        f"server errors (5xx): {len(errors_5xx)}, "
        f"throughput: {float(total['Requests/s']):.1f} requests/s.",
        f"Entries submitted: {len(confirmed)} ({len(double)} by a double tap, "
        f"{len(entries) - len(confirmed)} in flight at the end); "
        f"drafts left unfinished: {len(drafts)}; "
        f"comments: {sum(comment['confirmed'] for comment in record['comments'])}.",
        "",
        "| request | count | failures | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [*sorted(named, key=lambda row: (row["Name"], row["Type"])), total]:
        label = "all requests" if row is total else f"{row['Type']} {row['Name']}"
        latencies = " | ".join(row[column] for column in LATENCY_COLUMNS)
        lines.append(f"| {label} | {row['Request Count']} | {row['Failure Count']} | {latencies} |")
    lines.append("")
    if problems:
        lines.append(f"Checks FAILED ({len(problems)}):")
        lines += [f"- {problem}" for problem in problems[:50]]
    else:
        lines.append(
            "Checks passed: every submitted entry is stored exactly once with its text, "
            "every unfinished draft holds its last autosaved text, every comment is stored "
            "once, no request failed, no server error."
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the run's output folder")
    options = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import json

    record = json.loads((options.out / "record.json").read_text())
    named, total = read_stats(options.out / "locust_stats.csv")
    errors_5xx = server_errors(options.out / "access.log")
    problems = check_record(record)
    if int(total["Failure Count"]):
        problems.append(Problem("failed", f"{total['Failure Count']} requests failed"))
    if errors_5xx:
        problems.append(Problem("server", f"{len(errors_5xx)} responses were 5xx"))
    if not int(total["Request Count"]):
        problems.append(Problem("failed", "no request was made"))
    summary = summarize(
        named=named, total=total, problems=problems, errors_5xx=errors_5xx, record=record
    )
    (options.out / "summary.md").write_text(summary + "\n")
    print(summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

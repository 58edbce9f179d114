"""Write docs/benchmark.md from one run: machine, versions, data, wrk table, EXPLAIN, Lighthouse."""

import json
import os
import platform
from pathlib import Path

import django
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from accounts.models import CareTeamMembership, Role, User
from bench import explain
from consent.models import Acknowledgement, Signature
from journal.models import AdministrationSession, Comment, Entry, EntryRead, Intention, Side
from measures.models import MeasureAlert, MeasureResponse

# The targets, against the bare view measured in the same run.
FLOOR_RATIO, FLOOR_P99_MS = 0.05, 100
AIM_RATIO, AIM_P99_MS = 0.10, 50
# First load of a page, compressed (Lighthouse's total byte weight), and its requests.
BUDGET_BYTES, BUDGET_REQUESTS = 60 * 1024, 5
LIGHTHOUSE_PAGES = {
    "login": "the login page",
    "step": "a consent step",
    "timeline": "the patient's journal",
    "dashboard": "the therapist dashboard",
}


LOAD_TEST_HEADING = "## Load test (`make loadtest`)"


class Command(BaseCommand):
    help = "Write the benchmark's report (docs/benchmark.md) from a run's results folder."

    def add_arguments(self, parser):
        parser.add_argument("--results", type=Path, required=True)
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, **options):
        results = options["results"]
        sessions = json.loads((results / "sessions.json").read_text())
        wrk = json.loads((results / "wrk.json").read_text())
        explained = self._explain(sessions)
        parts = [
            _header(wrk),
            _data_sizes(),
            _load_table(wrk),
            _writes(sessions["run_id"]),
            _lighthouse(results),
            _explain_section(explained),
            "## Why some pages fall short\n\n_To be written by the lead after each run._\n",
        ]
        # The section on the last load test (`make loadtest`) outlives a benchmark run.
        out = options["out"]
        previous = out.read_text() if out.exists() else ""
        if LOAD_TEST_HEADING in previous:
            parts.append(previous[previous.index(LOAD_TEST_HEADING) :])
        out.write_text("\n".join(parts))
        self.stdout.write(f"Wrote {options['out']}.")
        for page in explained:
            if not page.uses_indexes:
                self.stdout.write(
                    self.style.WARNING(f"EXPLAIN: {page.label} scans a large table in full.")
                )

    def _explain(self, sessions):
        patient, therapist = sessions["patient"]["sessionid"], sessions["therapist"]["sessionid"]
        viewed = sessions["patient_public_id"]
        return [
            explain.explain_page("the patient's journal (timeline)", "/journal/", patient),
            explain.explain_page(
                "GET /api/v1/journal/entries/", "/api/v1/journal/entries/", patient
            ),
            explain.explain_page(
                "a patient's journal seen by the therapist", f"/patients/{viewed}/", therapist
            ),
            explain.explain_page(
                "the therapist dashboard (patients page)", "/patients/", therapist
            ),
            explain.explain_page("GET /api/v1/patients/", "/api/v1/patients/", therapist),
        ]


def _header(wrk):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        "# Benchmark\n\n"
        "Made by `make bench` (bench/run); the tables below are the latest run. Rerun it to "
        "measure a change: the database stays filled, so only the load runs again.\n\n"
        f"- **Run:** {timezone.localtime():%Y-%m-%d %H:%M %Z}\n"
        f"- **Machine:** {os.cpu_count()} cores ({platform.machine()}, {platform.system()})\n"
        f"- **Versions:** Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {postgres}\n"
        "- **Server:** gunicorn, 2 sync workers, production settings (DEBUG off, "
        "`cached_db` sessions in Redis, persistent connections), on 127.0.0.1; clients send "
        "`X-Forwarded-Proto: https` as the clinic's proxy does.\n"
        f"- **Load:** wrk, {wrk['threads']} threads, {wrk['connections']} connections, "
        f"{wrk['seconds']} s per page, one page after another.\n"
        f"- **Machine load** (1-minute average) when the load began: "
        f"{wrk.get('load_before', float('nan')):.1f}; above 0.5 or so, something else was "
        "running and every number is lower than the machine can do.\n"
    )


def _data_sizes():
    rows = [
        ("therapists", User.objects.filter(role=Role.THERAPIST).count()),
        ("patients", User.objects.filter(role=Role.PATIENT).count()),
        ("care-team memberships", CareTeamMembership.objects.count()),
        ("administration sessions", AdministrationSession.objects.count()),
        ("submitted entries", Entry.objects.submitted().count()),
        ("drafts", Entry.objects.drafts().count()),
        ("comments by the care team", Comment.objects.filter(author_side=Side.CARE_TEAM).count()),
        ("replies by patients", Comment.objects.filter(author_side=Side.PATIENT).count()),
        ("reads of entries", EntryRead.objects.count()),
        ("intentions", Intention.objects.count()),
        ("signed consents", Signature.objects.count()),
        ("questionnaire answers", MeasureResponse.objects.submitted().count()),
        ("questionnaire alerts", MeasureAlert.objects.count()),
    ]
    lines = ["## Data\n", "| rows | count |", "| --- | ---: |"]
    lines += [f"| {name} | {count:,} |" for name, count in rows]
    lines.append(
        "\nThe patient measured has 100 submitted entries; the therapist has 40 patients. "
        "Writer patients made by earlier runs are counted too.\n"
    )
    return "\n".join(lines)


def _mark(ratio, p99):
    if ratio >= AIM_RATIO and p99 < AIM_P99_MS:
        return "aim met"
    if ratio >= FLOOR_RATIO and p99 < FLOOR_P99_MS:
        return "pass"
    return "**short**"


def _load_table(wrk):
    pages = wrk["pages"]
    bare = next(p["rps"] for p in pages if p["key"] == "ok")
    lines = [
        "## Pages under load\n",
        f"Targets: at least {FLOOR_RATIO:.0%} of the bare view's throughput and p99 under "
        f"{FLOOR_P99_MS} ms (pass); aim for {AIM_RATIO:.0%} and {AIM_P99_MS} ms (aim met).\n",
        "| page | req/s | p50 ms | p99 ms | of bare | mark |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in pages:
        if page["failed"]:
            lines.append(f"| {page['label']} | | | | | **failed:** {page['failed']} |")
            continue
        ratio = page["rps"] / bare if bare else 0
        mark = "(the floor)" if page["key"] == "ok" else _mark(ratio, page["p99_ms"])
        lines.append(
            f"| {page['label']} | {page['rps']:,.0f} | {page['p50_ms']:.1f} | "
            f"{page['p99_ms']:.1f} | {ratio:.1%} | {mark} |"
        )
    lines.append(
        "\nEvery answer counted had the status expected (200, or 303 after a form post); "
        "a single other status fails the page. Writes are made by fresh writer patients "
        "(bench/load.lua), so the pages measured stay the same size from run to run.\n"
    )
    return "\n".join(lines)


def _writes(run_id):
    writers = User.objects.filter(email__startswith=f"writer-{run_id}-")
    entries = Entry.objects.filter(patient__in=writers)
    acknowledged = Acknowledgement.objects.filter(
        consent__patient__in=writers, acknowledged_at__isnull=False
    )
    return (
        "## What the writes stored\n\n"
        f"This run's {writers.count()} writer patients: {entries.submitted().count():,} "
        f"entries submitted, {entries.drafts().count():,} drafts autosaved, "
        f"{acknowledged.count():,} consent sections acknowledged.\n"
    )


def _lighthouse(results):
    lines = [
        "## Lighthouse (mobile)\n",
        f"Budget for a first load: at most {BUDGET_BYTES // 1024} KB compressed and "
        f"{BUDGET_REQUESTS} requests. KB is Lighthouse's total transfer with the page "
        "itself counted gzipped, as the clinic's proxy sends it (gunicorn alone does not "
        "compress HTML; static files are precompressed by WhiteNoise).\n",
    ]
    skipped = results / "lighthouse-skipped.txt"
    if skipped.exists():
        lines.append(f"Not run: {skipped.read_text().strip()}\n")
        return "\n".join(lines)
    lines += [
        "| page | performance | accessibility | best practices | LCP s | KB | requests | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, label in LIGHTHOUSE_PAGES.items():
        report = results / f"lighthouse-{key}.json"
        if not report.exists():
            lines.append(f"| {label} | | | | | | | **no report** |")
            continue
        found = json.loads(report.read_text())
        if found.get("runtimeError"):
            lines.append(f"| {label} | | | | | | | **{found['runtimeError'].get('code')}** |")
            continue
        scores = {k: round((c.get("score") or 0) * 100) for k, c in found["categories"].items()}
        audits = found["audits"]
        items = audits["network-requests"]["details"]["items"]
        weight = audits["total-byte-weight"]["numericValue"]
        requests = len(items)
        html = results / f"html-{key}.json"
        if html.exists():
            # The page itself as a compressing proxy would send it (gunicorn does not).
            gzip_bytes = json.loads(html.read_text())["gzip_bytes"]
            weight = weight - items[0].get("transferSize", 0) + gzip_bytes
        lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
        within = weight <= BUDGET_BYTES and requests <= BUDGET_REQUESTS
        lines.append(
            f"| {label} | {scores.get('performance')} | {scores.get('accessibility')} | "
            f"{scores.get('best-practices')} | {lcp:.2f} | {weight / 1024:.1f} | {requests} | "
            f"{'within' if within else '**over**'} |"
        )
    return "\n".join(lines) + "\n"


def _explain_section(explained):
    lines = [
        "## EXPLAIN of the main lists\n",
        "Each page was requested once in-process as the person measured; every SELECT it ran "
        f"on a table of {explain.LARGE_TABLE_ROWS:,} rows or more was run again under "
        "`EXPLAIN (ANALYZE, BUFFERS)`. A sequential scan of such a table means a missing "
        "index.\n",
    ]
    for page in explained:
        verdict = "every large table through an index" if page.uses_indexes else "**seq scan**"
        lines.append(
            f"### {page.label} (`{page.path}`)\n\n{page.query_count} queries in all; {verdict}.\n"
        )
        lines += ["| query | access paths | ms |", "| --- | --- | ---: |"]
        for query in page.queries:
            paths = "; ".join(
                f"{node} {('using ' + index + ' ') if index and table else ''}"
                f"{('on ' + table) if table else ('on ' + index)}"
                for node, index, table in query.scans
            )
            sql = query.short_sql.replace("|", "\\|")
            lines.append(f"| `{sql}` | {paths} | {query.milliseconds:.2f} |")
        lines.append("")
    return "\n".join(lines)

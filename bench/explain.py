"""EXPLAIN the queries the main lists really run, captured from the pages themselves.

Each page is requested in-process through Django's test client, as the person the
benchmark logs in as, and every SELECT it sends is captured (the SQL the selectors'
querysets compile to, with its parameters) and run again under
`EXPLAIN (ANALYZE, BUFFERS)`. A sequential scan of a large table is a missing index.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SCAN = re.compile(
    r"(?P<node>Seq Scan|Parallel Seq Scan|Index Scan Backward|Index Scan|Index Only Scan|"
    r"Bitmap Heap Scan)(?: using (?P<index>\S+))? on (?P<table>\S+)"
)
BITMAP_INDEX = re.compile(r"Bitmap Index Scan on (?P<index>\S+)")
# Tables above this many rows must be reached through an index.
LARGE_TABLE_ROWS = 10_000


@dataclass
class Query:
    sql: str
    scans: list  # (node, index or "", table)
    milliseconds: float
    seq_scanned_large: list = field(default_factory=list)

    @property
    def short_sql(self):
        text = " ".join(self.sql.split())
        return text if len(text) <= 160 else text[:157] + "..."


@dataclass
class ExplainedPage:
    label: str
    path: str
    query_count: int
    queries: list  # of Query, only those that touch a large table

    @property
    def uses_indexes(self):
        return not any(q.seq_scanned_large for q in self.queries)


def large_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
            [LARGE_TABLE_ROWS],
        )
        return {row[0] for row in cursor.fetchall()}


def _explain(sql, big):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scans = [(m["node"], m["index"] or "", m["table"]) for m in SCAN.finditer(plan)]
    scans += [("Bitmap Index Scan", m["index"], "") for m in BITMAP_INDEX.finditer(plan)]
    timing = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return Query(
        sql=sql,
        scans=scans,
        milliseconds=float(timing.group(1)) if timing else 0.0,
        seq_scanned_large=[t for node, _, t in scans if "Seq Scan" in node and t in big],
    )


def explain_page(label, path, session_key):
    """Every SELECT the page runs that reads a large table, explained."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}, not the page")
    big = large_tables()
    queries = []
    for executed in captured.captured_queries:
        sql = executed["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        if not any(re.search(rf'"{table}"', sql) for table in big):
            continue
        queries.append(_explain(sql, big))
    return ExplainedPage(label, path, len(captured.captured_queries), queries)

"""Load each key page with wrk and keep req/s, p50 and p99 (run by bench/run).

Before a page is loaded, one request checks that it is the real page for the right person
(the status, and words only that page shows). Under load, bench/load.lua counts every
answer with another status; one is enough to mark the page failed.

Usage: python bench/measure.py RESULTS_DIR   (reads sessions.json there, writes wrk.json)
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORT = int(os.environ.get("BENCH_PORT", "8801"))
BASE = f"http://127.0.0.1:{PORT}"
# The app sees what it would see behind the clinic's TLS proxy (SECURE_PROXY_SSL_HEADER).
ORIGIN = f"https://127.0.0.1:{PORT}"
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


@dataclass
class Page:
    key: str
    label: str
    path: str
    who: str  # "anonymous", "patient", "therapist", "reader" (a patient mid-consent), "writers"
    shows: tuple = ()  # words the real page holds, checked once before the load
    write: str = ""
    expect: int = 200


@dataclass
class Result:
    key: str
    label: str
    path: str
    who: str
    write: str
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    unexpected: int = 0
    first_unexpected: int = 0
    socket_errors: int = 0
    failed: str = ""


def pages(found):
    entry, patient = found["patient_entry"], found["patient_public_id"]
    return [
        Page("ok", 'a bare view returning "ok"', "/bench/ok/", "anonymous", ("ok",)),
        Page("login", "the login page", "/accounts/login/", "anonymous", ("<title>Log in",)),
        Page(
            "home",
            "the patient's home",
            "/home/",
            "patient",
            ("<title>Home", found["patient_first_name"]),
        ),
        Page("consent", "the consent overview", "/consent/", "patient", ("<title>Your consent",)),
        Page("step", "a consent step", "/consent/step/1/", "reader", ("· Consent · ",)),
        Page(
            "timeline",
            "the patient's journal (timeline)",
            "/journal/",
            "patient",
            ("<title>Your journal",),
        ),
        Page("entry", "an entry", f"/journal/entries/{entry}/", "patient", ("<title>Your entry",)),
        Page(
            "api_entries",
            "GET /api/v1/journal/entries/ (patient)",
            "/api/v1/journal/entries/",
            "patient",
            ('"results"', entry),
        ),
        Page(
            "dashboard",
            "the therapist dashboard (patients page)",
            "/patients/",
            "therapist",
            ("<title>Your patients", found["patient_full_name"]),
        ),
        Page(
            "patient_journal",
            "a patient's journal seen by the therapist",
            f"/patients/{patient}/",
            "therapist",
            (found["patient_full_name"],),
        ),
        Page(
            "roster_api",
            "the patient list, GET /api/v1/patients/",
            "/api/v1/patients/",
            "therapist",
            (f'"count":{found["therapist_patients"]}',),
        ),
        Page(
            "acknowledge",
            "acknowledging a consent section (POST)",
            "/consent/step/N/acknowledge/",
            "writers",
            write="acknowledge",
            expect=303,
        ),
        Page(
            "submit",
            "saving an entry (POST, new draft key each)",
            "/journal/write/",
            "writers",
            write="submit",
            expect=303,
        ),
        Page(
            "autosave",
            "an htmx autosave of a draft (POST)",
            "/journal/write/",
            "writers",
            write="autosave",
            expect=200,
        ),
    ]


def cookie_of(login):
    return f"sessionid={login['sessionid']}; csrftoken={login['csrftoken']}"


def check_once(page, cookie):
    """The real page, as that person: status 200 and the words it must show."""
    # Always http://127.0.0.1 (BASE), never a scheme from outside.
    request = urllib.request.Request(  # noqa: S310
        BASE + page.path, headers={"X-Forwarded-Proto": "https"}
    )
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        # Redirects are not followed: a 302 to the login page must fail here.
        opener = urllib.request.build_opener(NoRedirect)
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return f"status {error.code} instead of 200"
    if status != 200:
        return f"status {status} instead of 200"
    missing = [words for words in page.shows if words not in body]
    if missing:
        return f"the page lacks {missing!r}: not the page expected for this person"
    return ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_wrk(page, cookie, writers_file, sections):
    env = {
        **os.environ,
        "BENCH_PATH": page.path,
        "BENCH_EXPECT": str(page.expect),
        "BENCH_COOKIE": cookie,
        "BENCH_WRITE": page.write,
        "BENCH_WRITERS": str(writers_file),
        "BENCH_THREADS": str(THREADS),
        "BENCH_ORIGIN": ORIGIN,
        "BENCH_SECTIONS": str(sections),
    }
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "load.lua"),
        BASE + "/",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line.removeprefix("BENCH_RESULT "))
    raise RuntimeError(f"wrk gave no result: {done.stdout}\n{done.stderr}")


def main(results_dir):
    results_dir = Path(results_dir)
    found = json.loads((results_dir / "sessions.json").read_text())
    reader, *writers = found["writers"]
    writers_file = results_dir / "writers.txt"
    writers_file.write_text("".join(f"{w['sessionid']} {w['csrftoken']}\n" for w in writers))
    cookies = {
        "anonymous": "",
        "patient": cookie_of(found["patient"]),
        "therapist": cookie_of(found["therapist"]),
        "reader": cookie_of(reader),
        "writers": "",
    }
    results = []
    # Another busy process on the machine lowers every number: keep the load seen.
    load_before = os.getloadavg()[0]
    print(f"wrk: {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s per page")
    print(f"{'page':<46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7}")
    bare = None
    for page in pages(found):
        result = Result(page.key, page.label, page.path, page.who, page.write)
        problem = "" if page.write else check_once(page, cookies[page.who])
        if problem:
            result.failed = problem
        else:
            measured = run_wrk(page, cookies[page.who], writers_file, found["sections"])
            seconds = measured["duration_us"] / 1e6
            result.requests = measured["requests"]
            result.rps = measured["requests"] / seconds if seconds else 0.0
            result.p50_ms = measured["p50_us"] / 1000
            result.p99_ms = measured["p99_us"] / 1000
            result.unexpected = measured["unexpected"]
            result.first_unexpected = measured["first_unexpected"]
            result.socket_errors = measured["socket_errors"]
            if result.unexpected or result.socket_errors:
                result.failed = (
                    f"{result.unexpected} answers were not {page.expect} (first: "
                    f"{result.first_unexpected}), {result.socket_errors} socket errors"
                )
        if page.key == "ok":
            bare = result.rps
        ratio = f"{result.rps / bare:.1%}" if bare and not result.failed else ""
        line = (
            f"{page.label[:46]:<46} {result.rps:>8.0f} {result.p50_ms:>8.1f} "
            f"{result.p99_ms:>8.1f} {ratio:>7}"
        )
        print(line + (f"  FAILED: {result.failed}" if result.failed else ""), flush=True)
        results.append(result)
    (results_dir / "wrk.json").write_text(
        json.dumps(
            {
                "load_before": load_before,
                "seconds": SECONDS,
                "threads": THREADS,
                "connections": CONNECTIONS,
                "pages": [asdict(r) for r in results],
            },
            indent=2,
        )
    )
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

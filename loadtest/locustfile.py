"""Simulated patients and therapists for `loadtest/run` (locust, headless).

Patients log in through the web form and get an API token, write drafts that save
themselves (the htmx autosave of the writing page, and `PUT /api/v1/journal/drafts/`),
submit them (some twice at once, as a double tap does), share and read. Therapists log in
with their code, open the dashboard and patient pages, read shared entries, mark them
reviewed and comment.

Every patient notes, on this side of the wire, each entry it submitted and the last text
each unfinished draft saved; therapists note their comments. The notes go to the JSON
file `loadtest/check.py` compares with the database after the run.

The client stands in for the clinic's TLS proxy: it sends `X-Forwarded-Proto: https`
(the app's SECURE_PROXY_SSL_HEADER) and, with TRUSTED_PROXY_COUNT=1, each simulated person
its own address in `X-Forwarded-For`, so per-address limits count per person as they
would for phones on a clinic's server.
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task

PEOPLE = json.loads(Path(os.environ.get("LOAD_PEOPLE", "loadtest/out/people.json")).read_text())
RECORD_PATH = Path(os.environ.get("LOAD_RECORD", "loadtest/out/record.json"))
RUN_ID = uuid.uuid4().hex[:8]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

PHRASES = [
    "The music carried me somewhere wide and quiet.",
    "I kept seeing my grandmother's kitchen, warm and bright.",
    "My hands felt heavy, then light, then not mine at all.",
    "Afterwards I slept well for the first time in weeks.",
    "I want to talk about the fear that came up near the end.",
    "There was a moment of real peace, and I want to remember it.",
    "Today the heaviness came back a little, but softer.",
    "I walked to the river and noticed the colours more.",
]

# What each person writes and does next: variety, not security.
rng = random.Random()  # noqa: S311


def _people(role):
    return itertools.cycle([person for person in PEOPLE["people"] if person["role"] == role])


PATIENTS, THERAPISTS = _people("patient"), _people("therapist")
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))


# --- What the simulated people did, as they saw it ----------------------------------------


class Record:
    """Entries submitted, drafts left, comments made: only what the server confirmed.

    An action still in flight when the test stopped is kept as `pending`: the checker
    accepts it either stored or not, but never twice.
    """

    def __init__(self):
        self.started_at = datetime.now(UTC).isoformat()
        self.entries = {}  # draft key -> {"patient", "text", "confirmed", "via", "submits"}
        self.drafts = {}  # draft key -> {"patient", "text", "pending"}
        self.comments = []  # {"therapist", "entry", "text", "confirmed"}

    def autosaving(self, patient, key, text):
        draft = self.drafts.setdefault(key, {"patient": patient, "text": None, "pending": None})
        draft["pending"] = text

    def autosaved(self, key, text):
        draft = self.drafts[key]
        draft["text"], draft["pending"] = text, None

    def submitting(self, patient, key, text, via, submits):
        self.entries[key] = {
            "patient": patient,
            "text": text,
            "confirmed": False,
            "via": via,
            "submits": submits,
        }

    def submitted(self, key):
        self.entries[key]["confirmed"] = True
        # Submitted: no longer a draft to look for.
        self.drafts.pop(key, None)

    def as_json(self):
        return {
            "started_at": self.started_at,
            "entries": [{"key": key, **entry} for key, entry in self.entries.items()],
            "drafts": [
                {"key": key, **draft}
                for key, draft in self.drafts.items()
                if key not in self.entries  # an unconfirmed submit is checked as an entry
            ],
            "comments": self.comments,
        }


RECORD = Record()


@events.test_stop.add_listener
def write_record(**_kwargs):
    RECORD_PATH.write_text(json.dumps(RECORD.as_json(), indent=1))


# --- Plumbing shared by both kinds of people ---------------------------------------------


def totp_code(secret, at=None):
    """The code an authenticator app shows now (RFC 6238: SHA-1, 30 s, 6 digits)."""
    counter = int((at or time.time()) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _local(location):
    """A redirect's target as a path on this server (the app may write it absolute)."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _one_of(pattern, text):
    found = re.findall(pattern, text)
    return rng.choice(found) if found else None


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def on_start(self):
        self.person = self.claim()
        self.email = self.person["email"]
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": next(ADDRESSES),
                "User-Agent": "KAP load test (locust)",
            }
        )
        self.origin = "https://" + urlsplit(self.host).netloc
        self.log_in()

    # Requests: each checks the answer it expects, so anything else is a failure.

    def expect(self, method, path, statuses, *, name=None, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        # The app's cookies are Secure; the proxy would carry them over TLS, and this
        # loopback hop stands for it, so the client sends them over plain HTTP too.
        for cookie in self.client.cookies:
            cookie.secure = False
        if method != "GET":
            kwargs.setdefault("headers", {}).setdefault("Origin", self.origin)
        with self.client.request(
            method, path, name=name or path, catch_response=True, **kwargs
        ) as response:
            if response.status_code in statuses:
                response.success()
            else:
                response.failure(f"{response.status_code}, expected {sorted(statuses)}")
        return response if response.status_code in statuses else None

    def page(self, path, *, name=None):
        """GET a page the way a browser does, following redirects on this server."""
        response = self.expect("GET", path, {200, 302, 303}, name=name)
        for _ in range(3):
            if response is None or response.status_code == 200:
                return response
            response = self.expect("GET", _local(response.headers["Location"]), {200, 302, 303})
        return None

    def form_post(self, path, fields, statuses=(303,), *, name=None, htmx=False):
        token = self.client.cookies.get("csrftoken", "")
        headers = {"X-CSRFToken": token}
        if htmx:
            headers.update({"HX-Request": "true", "HX-Current-URL": self.origin + path})
        return self.expect(
            "POST",
            path,
            set(statuses),
            name=name,
            data={"csrfmiddlewaretoken": token, **fields},
            headers=headers,
        )

    def web_log_in(self):
        login = self.page("/accounts/login/")
        if login is None:
            return None
        return self.form_post(
            "/accounts/login/",
            {"login": self.email, "password": PEOPLE["password"]},
            statuses=(302, 303),
        )


# --- Patients ----------------------------------------------------------------------------


class Patient(Person):
    weight = 4

    def claim(self):
        return next(PATIENTS)

    def log_in(self):
        self.token = None
        self.mine = []  # keys of entries this person submitted, and whether shared
        if self.web_log_in() is not None:
            self.page("/", name="/ (home)")
        answer = self.expect(
            "POST",
            "/api/v1/auth/token/",
            {200},
            json={
                "email": self.email,
                "password": PEOPLE["password"],
                "device_name": "Load test phone",
            },
        )
        if answer is not None:
            self.token = answer.json()["token"]

    def on_stop(self):
        if self.token:
            self.api("DELETE", "/api/v1/auth/token/", {204})

    def api(self, method, path, statuses, *, name=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.expect(method, path, statuses, name=name, headers=headers, **kwargs)

    def words(self, key, via):
        return f"[load {RUN_ID}] {self.email} {via} {key[:8]}: {rng.choice(PHRASES)}"

    # Writing on the web page: the htmx autosave, then the form's own submit.

    @task(3)
    def write_on_the_web(self):
        page = self.page("/journal/write/")
        key = page and re.search(r'name="draft_key" value="([0-9a-f-]{36})"', page.text)
        if not key:
            return
        key = key.group(1)
        fields = {"draft_key": key, "session": "", "is_shared": rng.choice(["True", "False"])}
        text = self.words(key, "web")
        for _ in range(rng.randint(1, 4)):
            text += " " + rng.choice(PHRASES)
            RECORD.autosaving(self.email, key, text)
            saved = self.form_post(
                "/journal/write/",
                {**fields, "body": text, "intent": "autosave"},
                statuses=(200,),
                name="/journal/write/ (htmx autosave)",
                htmx=True,
            )
            if saved is None:
                return
            RECORD.autosaved(key, text)
            gevent.sleep(rng.uniform(0.5, 2))
        if rng.random() < 0.25:
            return  # left for later: the draft must keep its last words
        taps = 2 if rng.random() < 0.3 else 1
        RECORD.submitting(self.email, key, text, "web", taps)
        answers = self.at_once(
            taps,
            lambda: self.form_post(
                "/journal/write/",
                {**fields, "body": text, "intent": "submit"},
                name="/journal/write/ (submit)" if taps == 1 else "/journal/write/ (double tap)",
            ),
        )
        entries = {_local(answer.headers["Location"]) for answer in answers if answer}
        if len(answers) == taps and all(answers) and entries == {f"/journal/entries/{key}/"}:
            RECORD.submitted(key)
            self.mine.append(key)
            self.page(f"/journal/entries/{key}/", name="/journal/entries/[id]/")

    # Writing in the app: PUT drafts, then POST submit.

    @task(3)
    def write_in_the_app(self):
        if not self.token:
            return
        key = str(uuid.uuid4())
        text = self.words(key, "api")
        for _ in range(rng.randint(1, 4)):
            text += " " + rng.choice(PHRASES)
            RECORD.autosaving(self.email, key, text)
            saved = self.api(
                "PUT",
                f"/api/v1/journal/drafts/{key}/",
                {200},
                name="/api/v1/journal/drafts/[key]/",
                json={"body": text},
            )
            if saved is None:
                return
            RECORD.autosaved(key, text)
            gevent.sleep(rng.uniform(0.5, 2))
        if rng.random() < 0.25:
            return
        taps = 2 if rng.random() < 0.3 else 1
        RECORD.submitting(self.email, key, text, "api", taps)
        answers = self.at_once(
            taps,
            lambda: self.api(
                "POST",
                f"/api/v1/journal/drafts/{key}/submit/",
                {201},
                name="/api/v1/journal/drafts/[key]/submit/"
                + (" (double tap)" if taps == 2 else ""),
                json={"body": text},
            ),
        )
        stored_as = {answer.json()["public_id"] for answer in answers if answer}
        if len(answers) == taps and all(answers) and stored_as == {key}:
            RECORD.submitted(key)
            self.mine.append(key)

    def at_once(self, times, send):
        """Send the same request `times` times at the same moment, as a double tap does."""
        if times == 1:
            return [send()]
        greenlets = [gevent.spawn(send) for _ in range(times)]
        gevent.joinall(greenlets)
        return [greenlet.value for greenlet in greenlets]

    @task(1)
    def share_an_entry(self):
        if not self.mine:
            return
        key = rng.choice(self.mine)
        if rng.random() < 0.5 and self.token:
            self.api(
                "POST",
                f"/api/v1/journal/entries/{key}/share/",
                {200},
                name="/api/v1/journal/entries/[id]/share/",
            )
        else:
            self.page(f"/journal/entries/{key}/", name="/journal/entries/[id]/")
            self.form_post(
                f"/journal/entries/{key}/share/", {}, name="/journal/entries/[id]/share/"
            )

    @task(2)
    def read_the_timeline(self):
        timeline = self.page("/journal/")
        key = timeline and _one_of(rf"/journal/entries/({UUID})/", timeline.text)
        if key:
            self.page(f"/journal/entries/{key}/", name="/journal/entries/[id]/")

    @task(2)
    def read_in_the_app(self):
        if not self.token:
            return
        path, pages, keys = "/api/v1/journal/entries/", 0, []
        while path and pages < 3:
            listed = self.api("GET", path, {200}, name="/api/v1/journal/entries/ (a page)")
            if listed is None:
                return
            body = listed.json()
            keys += [entry["public_id"] for entry in body["results"]]
            # Follow the server's own `next` link, however it pages.
            path = _local(body["next"]) if body.get("next") else None
            pages += 1
        if keys:
            key = rng.choice(keys)
            self.api(
                "GET",
                f"/api/v1/journal/entries/{key}/",
                {200},
                name="/api/v1/journal/entries/[id]/",
            )

    @task(1)
    def open_home(self):
        self.page("/home/")


# --- Therapists --------------------------------------------------------------------------


class Therapist(Person):
    # Exactly one simulated user per therapist: each logs in once with a code, and a
    # second login in the same 30 seconds would be refused as a replayed code.
    fixed_count = sum(person["role"] == "therapist" for person in PEOPLE["people"])

    def claim(self):
        return next(THERAPISTS)

    def log_in(self):
        self.patients = []
        answer = self.web_log_in()
        if answer is None:
            return
        second_step = _local(answer.headers["Location"])
        if self.page(second_step, name="/accounts/2fa/authenticate/") is None:
            return
        code = totp_code(self.person["totp_secret"])
        if self.form_post(
            second_step, {"code": code}, statuses=(302, 303), name="/accounts/2fa/authenticate/"
        ):
            self.open_dashboard()

    @task(3)
    def open_dashboard(self):
        roster = self.page("/patients/", name="/patients/ (dashboard)")
        if roster is not None:
            self.patients = sorted(set(re.findall(rf'href="/patients/({UUID})/"', roster.text)))

    @task(2)
    def open_a_patient(self):
        if self.patients:
            self.page(f"/patients/{rng.choice(self.patients)}/", name="/patients/[id]/")

    @task(4)
    def review_and_comment(self):
        if not self.patients:
            return
        patient = rng.choice(self.patients)
        listed = self.expect(
            "GET",
            f"/api/v1/patients/{patient}/entries/",
            {200},
            name="/api/v1/patients/[id]/entries/",
        )
        if listed is None or not listed.json()["results"]:
            return
        entries = listed.json()["results"]
        waiting = [entry for entry in entries if entry["reviewed_at"] is None]
        key = rng.choice(waiting or entries)["public_id"]
        if self.page(f"/journal/review/{key}/", name="/journal/review/[id]/") is None:
            return
        gevent.sleep(rng.uniform(1, 3))  # reading
        self.form_post(
            f"/journal/review/{key}/reviewed/", {}, name="/journal/review/[id]/reviewed/"
        )
        if rng.random() < 0.6:
            text = f"[load {RUN_ID}] {self.email}: thank you, {rng.choice(PHRASES).lower()}"
            comment = {"therapist": self.email, "entry": key, "text": text, "confirmed": False}
            RECORD.comments.append(comment)
            if self.form_post(
                f"/journal/review/{key}/comments/",
                {"body": text},
                name="/journal/review/[id]/comments/",
            ):
                comment["confirmed"] = True

"""The signed copy's PDF renderer fetches nothing: a URL in the page never reaches a server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from consent.pdf import html_to_pdf
from tests.factories.consent import signed_consent


class CountingHandler(BaseHTTPRequestHandler):
    """Answers anything with a tiny stylesheet, and notes that someone asked."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        body = b"body { color: red; }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listening_server():
    """A web server on this machine that records every request it receives."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def page_pointing_at(base):
    return f"""<!DOCTYPE html><html><head>
    <link rel="stylesheet" href="{base}/style.css">
    <style>@import url("{base}/imported.css"); @font-face {{ font-family: X;
      src: url("{base}/font.woff"); }} h1 {{ background: url("{base}/background.png"); }}</style>
    </head><body><h1>Signed consent</h1><img src="{base}/pixel.png" alt="">
    <img src="file:///etc/passwd" alt=""><iframe src="{base}/frame"></iframe></body></html>"""


def test_the_pdf_renders_without_fetching_any_url(listening_server):
    base = f"http://127.0.0.1:{listening_server.server_address[1]}"

    pdf = html_to_pdf(page_pointing_at(base), base_url=base + "/")

    assert pdf.startswith(b"%PDF")
    assert listening_server.requests == []


def test_the_server_would_have_answered_a_fetch(listening_server):
    # The control: the server is reachable, so the test above proves a refusal.
    from urllib.request import urlopen

    base = f"http://127.0.0.1:{listening_server.server_address[1]}"
    with urlopen(base + "/style.css", timeout=5) as response:  # noqa: S310 (local test server)
        assert response.status == 200
    assert listening_server.requests == ["/style.css"]


def test_the_patients_signed_copy_still_downloads(client, patient, consent_version):
    consent = signed_consent(patient, consent_version)
    client.force_login(patient)

    response = client.get(reverse("consent:copy_pdf", args=[consent.public_id]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")

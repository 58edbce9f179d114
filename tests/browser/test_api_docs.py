"""The API reference is served from our own static files and works under our strict CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_reference_renders_without_a_cdn(live_server, page, screenshot):
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_text("KAP companion API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/consent/sign/").first).to_be_visible()
    screenshot("api-docs")
    assert outside == []
    assert blocked == []

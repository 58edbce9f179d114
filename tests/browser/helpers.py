"""Logging in as a person would on a phone: email, password, and for staff a code."""

import time

from allauth.mfa import app_settings as mfa_settings
from playwright.sync_api import expect

from accounts.management.commands.demo_code import current_demo_code


def log_in(page, live_server, email, password):
    """Log in through the real form. Demo staff type the code from their authenticator."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    code_field = page.get_by_placeholder("Code")
    logged_in = page.get_by_role("button", name="Log out")
    expect(code_field.or_(logged_in)).to_be_visible()
    if code_field.is_visible():
        # allauth takes only the current period's code (MFA_TOTP_TOLERANCE is 0): a code
        # read in its last seconds may expire before the click reaches the server, as a
        # person would see theirs turn over. Wait for a fresh one, as they would.
        period = mfa_settings.TOTP_PERIOD
        left = period - time.time() % period
        if left < 5:
            time.sleep(left + 0.2)
        code_field.fill(current_demo_code(email))
        page.get_by_role("button", name="Sign In").click()
    expect(logged_in).to_be_visible()

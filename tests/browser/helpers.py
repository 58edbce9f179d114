"""Logging in as a person would on a phone: email, password, and for staff a code."""

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
        code_field.fill(current_demo_code(email))
        page.get_by_role("button", name="Sign In").click()
    expect(logged_in).to_be_visible()

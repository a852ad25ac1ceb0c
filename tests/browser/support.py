"""Steps the browser journeys share."""

import re
import uuid

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def unique_email(who: str) -> str:
    """The served app lives for the whole session: every journey signs up anew."""
    return f"{who}.{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page: Page, email: str, company: str = "Acme Recruitment") -> None:
    page.goto("/account/signup")
    page.get_by_label("Company name").fill(company)
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to ITManagerJobs, Ada Lovelace")


def sign_in(page: Page, email: str, password: str = PASSWORD, path: str = "/account/signin"
            ) -> None:
    page.goto(path)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, body
    return match.group(0)

"""Accounts in a real browser: sign up, out and in; a forgotten password; staff setting
their password and opening the console."""

import re

from playwright.sync_api import Page, expect

from tests.browser.support import (
    PASSWORD,
    link_in,
    sign_in,
    sign_out,
    sign_up,
    unique_email,
)


def test_sign_up_sign_out_and_sign_in_again(page: Page):
    email = unique_email("ada")
    sign_up(page, email)
    expect(page).to_have_url(re.compile(r"/employer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Recruitment")
    sign_out(page)
    expect(page).to_have_url(re.compile(r"/account/signin$"))

    sign_in(page, email, "a wrong password")
    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an account."
    )
    sign_in(page, email)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("API keys")


def test_a_page_asked_for_before_signing_in_opens_after_it(page: Page):
    email = unique_email("ada")
    sign_up(page, email)
    sign_out(page)
    page.goto("/employer/")
    expect(page).to_have_url(re.compile(r"/account/signin\?next=%2Femployer%2F$"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/employer/$"))


def test_a_forgotten_password_is_replaced_through_the_emailed_link(page: Page, served_portal):
    email = unique_email("ada")
    sign_up(page, email)
    sign_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("a link to choose a new password")

    (sent,) = [m for m in served_portal.notifier.sent if m.to == email]
    page.goto(link_in(sent.body))
    page.get_by_label("New password").fill("a fresh passphrase")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("status")).to_have_text("Your password is set. Sign in with it now.")
    sign_in(page, email, "a fresh passphrase")
    expect(page).to_have_url(re.compile(r"/employer/$"))

    page.goto(link_in(sent.body))
    page.get_by_label("New password").fill("yet another phrase")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("alert")).to_contain_text("This link is invalid, already used")


def test_staff_set_their_password_and_open_the_console(page: Page, served_portal):
    email = unique_email("grace")
    _, token = served_portal.services.portal_accounts.add_staff(email)
    page.goto(f"/account/password/reset?token={token}")
    page.get_by_label("New password").fill("staff passphrase")
    page.get_by_role("button", name="Set password").click()
    expect(page).to_have_url(re.compile(r"/platform/signin$"))
    sign_in(page, email, "staff passphrase", path="/platform/signin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform console")


def test_an_employer_user_gets_a_403_page_in_the_console(page: Page):
    sign_up(page, unique_email("ada"))
    response = page.goto("/platform/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_text("The platform console is for ITManagerJobs staff only.")
           ).to_be_visible()

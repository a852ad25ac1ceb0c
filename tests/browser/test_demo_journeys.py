"""The demo as a newcomer meets it (``scripts/serve-demo``): with no SMTP server, the
invitation an admin sends is read on the demo's mail page and followed to the end."""

from playwright.sync_api import Page, expect

from itmj_cli import demo
from tests.browser.support import PASSWORD, sign_in, sign_out, unique_email


def test_an_invitation_is_followed_from_the_demo_mail_page_to_a_signed_in_recruiter(
    page: Page, served_portal
):
    seeded = demo.seed(served_portal.services)
    recruiter_email = unique_email("rita")

    sign_in(page, seeded.admin.email, seeded.admin.password)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.goto("/employer/team")
    page.get_by_label("Their email").fill(recruiter_email)
    page.get_by_label("Role", exact=True).select_option("Recruiter")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"on its way to {recruiter_email}")
    sign_out(page)

    page.goto("/demo/mail")
    mail = page.get_by_role("article", name=f"Email to {recruiter_email}")
    expect(mail).to_contain_text(recruiter_email)
    mail.get_by_role("link").first.click()

    page.get_by_label("Your name").fill("Rita Recruiter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Join the team").click()
    expect(page.get_by_role("status")).to_have_text("Welcome, Rita Recruiter. You are signed in.")
    who = page.locator(".who")
    expect(who).to_contain_text("Rita Recruiter")
    expect(who).to_contain_text(demo.EMPLOYER_NAME)
    expect(who).to_contain_text("Recruiter")


def test_the_demo_mail_page_is_reachable_without_signing_in(page: Page):
    page.goto("/demo/mail")
    expect(page.get_by_role("heading", name="Demo mail")).to_be_visible()

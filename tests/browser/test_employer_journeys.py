"""The employer portal and the console in a real browser: buying credits (in demo mode they
are granted at once; otherwise staff confirm them in the console), a webhook's test event
reaching a receiver that verifies its signature, and a recruiter's move of an application
reaching it as ``application.status_changed``.

With ``ITMJ_SCREENSHOTS`` naming a directory, the journeys save a picture of each main page
there (the README shows those of ``docs/screenshots``).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from itmj_adapters.settings import Mode
from tests.browser.conftest import ServedPortal, serving
from tests.browser.support import PASSWORD, link_in, sign_in, sign_out, sign_up, unique_email
from tests.browser.verifying_receiver import VerifyingReceiver
from tests.use_cases.test_webhooks import active_job, candidate


def screenshot(page: Page, name: str) -> None:
    folder = os.environ.get("ITMJ_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def employer_of(served: ServedPortal, email: str) -> int:
    with served.services.uow(read_only=True) as uow:
        user = uow.users.find_by_email(email)
    assert user is not None
    return user.employer_id


def balance(page: Page, kind: str):
    return page.locator(f'dd[data-kind="{kind}"]')


def test_in_demo_mode_a_bought_bundle_is_in_the_balance_at_once(page: Page):
    sign_up(page, unique_email("ada"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Credits").click()
    expect(balance(page, "CvSearch")).to_have_text("0")
    page.get_by_role("button", name="Buy 100 CvSearch credits for £450.00").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(
        r"Order #\d+ is confirmed: 100 CvSearch credits are added to your balance\."
    ))
    expect(balance(page, "CvSearch")).to_have_text("100")
    expect(page.get_by_role("row", name=re.compile(r"CvSearch \+100 Bundle order #\d+"))
           ).to_be_visible()
    screenshot(page, "employer-credits")

    page.get_by_role("link", name="Overview").click()
    expect(balance(page, "CvSearch")).to_have_text("100")
    expect(page.get_by_role("table")).to_contain_text("Bundle order #")
    screenshot(page, "employer-overview")


def test_a_test_event_reaches_a_receiver_that_verifies_its_signature(page: Page):
    sign_up(page, unique_email("ada"))
    with VerifyingReceiver() as receiver:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("application.status_changed").check()
        page.get_by_role("button", name="Add subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Subscription added")
        receiver.secret = page.locator("#webhook-secret").inner_text().strip()
        assert receiver.secret.startswith("whsec_")
        page.get_by_role("link", name="Continue to the subscription").click()
        expect(page.get_by_text(receiver.secret)).to_have_count(0)

        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_role("status")).to_contain_text("A webhook.test event is sent")
        [checked] = receiver.wait_for(1)
    assert (checked.event, checked.verified) == ("webhook.test", True)
    assert checked.body["event"] == "webhook.test"
    row = page.get_by_role("row", name=re.compile(checked.delivery_id))
    expect(row).to_contain_text("delivered")
    expect(row).to_contain_text("HTTP 204")
    screenshot(page, "employer-webhook-delivery-log")
    page.get_by_role("link", name="← Webhooks").click()
    expect(page.get_by_role("table")).to_contain_text(receiver.url)
    screenshot(page, "employer-webhooks")


def test_reloading_a_webhook_secret_page_neither_shows_it_again_nor_repeats_the_action(
    page: Page, served_portal: ServedPortal
):
    email = unique_email("ada")
    sign_up(page, email)
    shown_once = "The signing secret was shown once, when it was issued"
    with VerifyingReceiver() as receiver:
        page.goto("/employer/webhooks")
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("job.expired").check()
        page.get_by_role("button", name="Add subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Subscription added")
        created = page.locator("#webhook-secret").inner_text().strip()
        page.reload()
        expect(page.get_by_role("status")).to_contain_text(shown_once)
        expect(page.get_by_text(created)).to_have_count(0)

        page.get_by_role("button", name="Rotate the secret").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("A new signing secret")
        rotated = page.locator("#webhook-secret").inner_text().strip()
        page.reload()
        expect(page.get_by_role("status")).to_contain_text(shown_once)
        expect(page.get_by_text(rotated)).to_have_count(0)
    [subscription] = served_portal.services.webhooks.list(employer_of(served_portal, email))
    assert (subscription.secret, subscription.previous_secret) == (rotated, created)


def test_a_recruiter_moves_an_application_and_the_partner_receives_it(
    page: Page, served_portal: ServedPortal
):
    admin_email, recruiter_email = unique_email("ada"), unique_email("rita")
    sign_up(page, admin_email)
    employer_id = employer_of(served_portal, admin_email)
    services = served_portal.services
    job = active_job(services, employer_id)
    application = services.applications.submit(job.id, candidate(services, services.clock))
    with VerifyingReceiver() as receiver:
        page.goto("/employer/webhooks")
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("application.status_changed").check()
        page.get_by_role("button", name="Add subscription").click()
        receiver.secret = page.locator("#webhook-secret").inner_text().strip()

        page.goto("/employer/team")
        page.get_by_label("Their email").fill(recruiter_email)
        page.get_by_label("Role", exact=True).select_option("Recruiter")
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_role("status")).to_contain_text(f"on its way to {recruiter_email}")
        screenshot(page, "employer-team")
        (invitation,) = [m for m in served_portal.notifier.sent if m.to == recruiter_email]
        sign_out(page)

        page.goto(link_in(invitation.body))
        page.get_by_label("Your name").fill("Rita Recruiter")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Join the team").click()
        expect(page.get_by_role("status")).to_have_text(
            "Welcome, Rita Recruiter. You are signed in."
        )
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).not_to_contain_text("Webhooks")
        nav.get_by_role("link", name="Jobs").click()
        page.get_by_role("link", name="Service Desk Lead").click()
        page.get_by_role(
            "button", name=f"Move application #{application.id} to Screened"
        ).click()
        expect(page.get_by_role("status")).to_have_text(
            f"Application #{application.id} is now Screened."
        )
        screenshot(page, "employer-job-applications")
        [checked] = receiver.wait_for(1)
    assert (checked.event, checked.verified) == ("application.status_changed", True)
    assert checked.body["data"]["applicationId"] == application.id
    assert (checked.body["data"]["previousStatus"], checked.body["data"]["newStatus"]) == (
        "New", "Screened"
    )
    response = page.goto("/employer/webhooks")
    assert response is not None and response.status == 403


@pytest.fixture(scope="module")
def served_for_review():
    """The app outside demo mode, where credit orders wait for staff."""
    with serving(Mode.DEVELOPMENT) as served:
        yield served


def test_staff_confirm_an_order_in_the_console_and_the_employer_sees_the_credits(
    browser: Browser, served_for_review: ServedPortal
):
    context = browser.new_context(base_url=served_for_review.url)
    page = context.new_page()
    try:
        admin_email, staff_email = unique_email("ada"), unique_email("grace")
        sign_up(page, admin_email)
        page.goto("/employer/credits")
        page.get_by_role("button", name="Buy 20 JobPosting credits for £1,790.00").click()
        expect(page.get_by_role("status")).to_contain_text("Platform staff confirm it")
        expect(balance(page, "JobPosting")).to_have_text("0")
        expect(page.get_by_role("table").first).to_contain_text("Pending")
        sign_out(page)

        _, token = served_for_review.services.portal_accounts.add_staff(staff_email)
        page.goto(f"/account/password/reset?token={token}")
        page.get_by_label("New password").fill(PASSWORD)
        page.get_by_role("button", name="Set password").click()
        sign_in(page, staff_email, path="/platform/signin")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
        screenshot(page, "platform-orders")
        confirm = page.get_by_role("button", name=re.compile(r"Confirm order #\d+"))
        expect(confirm).to_have_count(1)
        confirm.click()
        expect(page.get_by_role("status")).to_have_text(re.compile(
            r"Order #\d+ is confirmed: 20 JobPosting credits are granted\."
        ))
        expect(page.get_by_text("Nothing waits for confirmation.")).to_be_visible()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Employers").click()
        page.get_by_role("button", name="Trust Acme Recruitment").first.click()
        expect(page.get_by_role("status")).to_contain_text("is now a trusted partner")
        screenshot(page, "platform-employers")
        page.get_by_role("link", name="Acme Recruitment").first.click()
        page.get_by_label("CvSearch").check()
        page.get_by_label("From (UTC, inclusive)").fill("2026-01-01")
        page.get_by_label("Until (UTC, exclusive)").fill("2027-01-01")
        page.get_by_role("button", name="Add contract").click()
        expect(page.get_by_role("status")).to_have_text(re.compile(r"Contract #\d+ is added\."))
        screenshot(page, "platform-employer")
        sign_out(page)

        sign_in(page, admin_email)
        expect(balance(page, "JobPosting")).to_have_text("20")
        expect(balance(page, "CvSearch")).to_contain_text("Unlimited")
    finally:
        context.close()

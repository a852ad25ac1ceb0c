"""API keys in a real browser, end to end: a key minted in the portal calls the API over
real HTTP, stops at once when revoked; a CV search key waits for staff, who approve it in
the console; a recruiter cannot reach the keys page."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from itmj_domain.accounts import Role
from itmj_domain.credits import CreditKind
from itmj_domain.principals import Principal, PrincipalKind
from tests.browser.support import PASSWORD, sign_in, sign_out, sign_up, unique_email


def _call(base_url: str, path: str, key: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{base_url}{path}",
                                     headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _employer_id(served_portal, email: str) -> int:
    with served_portal.services.uow(read_only=True) as uow:
        return uow.users.find_by_email(email).employer_id


def _mint(page: Page, name: str, scope: str) -> str:
    page.get_by_role("link", name="API keys").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label(scope).check()
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API key")
    expect(page.get_by_text("This is the only time the key is shown.")).to_be_visible()
    return page.locator("#new-key").inner_text()


def test_a_key_minted_in_the_portal_works_until_revoked(page: Page, served_portal, base_url):
    email = unique_email("ada")
    sign_up(page, email)
    # Credits make a JobPosting key approve itself (SPEC §3); buying a bundle in the portal
    # is what gives them to a real employer.
    served_portal.services.credits.grant(_employer_id(served_portal, email),
                                         CreditKind.JOB_POSTING, 10)
    key = _mint(page, "Bullhorn production", "JobPosting")
    assert re.fullmatch(r"pk_live_[0-9A-Za-z]{43}", key)
    expect(page.get_by_role("button", name="Copy")).to_be_visible()

    assert _call(base_url, "/api/v1/jobs", key) == (
        200, json.dumps({"total": 0, "page": 1, "pageSize": 50, "items": []},
                        separators=(",", ":")).encode(),
    )

    page.get_by_role("link", name="Back to API keys").click()
    expect(page.get_by_text(key)).to_have_count(0)
    row = page.get_by_role("row", name=re.compile("Bullhorn production"))
    expect(row).to_contain_text("Active")
    last_used = row.get_by_role("cell").nth(6)
    expect(last_used).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC$"))
    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke “Bullhorn production”?")
    page.get_by_role("button", name="Revoke key").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(page.get_by_role("row", name=re.compile("Bullhorn production"))).to_contain_text(
        "Revoked"
    )

    assert _call(base_url, "/api/v1/jobs", key) == (401, b"")


def test_a_cv_search_key_works_once_staff_approve_it(page: Page, served_portal, base_url):
    admin_email = unique_email("ada")
    sign_up(page, admin_email)
    key = _mint(page, "Vincere CV search", "CvSearch")
    expect(page.get_by_text("This key waits for review by ITManagerJobs staff")).to_be_visible()
    page.get_by_role("link", name="Back to API keys").click()
    expect(page.get_by_role("row", name=re.compile("Vincere CV search"))).to_contain_text(
        "PendingApproval"
    )
    assert _call(base_url, "/api/v1/countries", key) == (401, b"")
    sign_out(page)

    staff_email = unique_email("grace")
    member, _ = served_portal.services.portal_accounts.add_staff(staff_email)
    served_portal.services.portal_accounts.set_password(
        Principal(PrincipalKind.STAFF, member.id), PASSWORD
    )
    sign_in(page, staff_email, path="/platform/signin")
    page.get_by_role("link", name="Key reviews").click()
    row = page.get_by_role("row", name=re.compile("Vincere CV search"))
    expect(row).to_contain_text(admin_email)
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("its admin has been emailed")
    expect(page.get_by_role("row", name=re.compile("Vincere CV search"))).to_have_count(0)

    status, body = _call(base_url, "/api/v1/countries", key)
    assert status == 200
    assert json.loads(body)
    approvals = [m for m in served_portal.notifier.sent if m.to == admin_email]
    assert [m.subject for m in approvals] == ["Your API key “Vincere CV search” is approved"]


def test_a_recruiter_cannot_open_the_api_keys_page(page: Page, served_portal):
    admin_email, recruiter_email = unique_email("ada"), unique_email("rita")
    sign_up(page, admin_email)
    sign_out(page)
    services = served_portal.services
    recruiter = services.accounts.add_user(_employer_id(served_portal, admin_email),
                                           recruiter_email, Role.RECRUITER, "Rita")
    services.portal_accounts.set_password(Principal(PrincipalKind.USER, recruiter.id), PASSWORD)

    sign_in(page, recruiter_email)
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("API keys")
    response = page.goto("/employer/keys")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_text("Only an employer admin can open this page.")).to_be_visible()


def test_reloading_the_new_key_page_neither_shows_the_key_again_nor_mints_another(
    page: Page, served_portal
):
    email = unique_email("ada")
    sign_up(page, email)
    key = _mint(page, "Reloaded", "JobPosting")
    assert page.url.endswith("/created")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
    expect(page.get_by_role("status")).to_contain_text(
        "The key “Reloaded” was shown once, when it was created, and cannot be shown again."
    )
    expect(page.get_by_text(key)).to_have_count(0)
    page.go_back()
    expect(page.get_by_text(key)).to_have_count(0)
    keys = served_portal.services.accounts.list_keys(_employer_id(served_portal, email))
    assert [k.name for k in keys] == ["Reloaded"]

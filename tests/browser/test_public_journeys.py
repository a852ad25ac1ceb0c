"""The public job pages in a real browser: a partner publishes a PortalApply job through the
API, a candidate applies on its page with a PDF CV, the partner's receiver gets
``application.submitted`` signed as SPEC §10 says, a CV search finds the new candidate by a
word only their CV holds, and the employer sees the application, by name, in the portal.

With ``ITMJ_SCREENSHOTS`` naming a directory, the journey saves the job list, the job page
and its apply form at phone (390 px) and desktop (1280 px) widths.
"""

import json
import os
import re
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from itmj_cli import demo
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.webhooks.subscriptions import EventType
from tests.browser.conftest import ServedPortal
from tests.browser.support import sign_up, unique_email
from tests.browser.test_employer_journeys import employer_of, screenshot
from tests.browser.verifying_receiver import VerifyingReceiver
from tests.documents import pdf_with

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A word no synthetic or demo candidate holds: only the new applicant's CV.
ONLY_IN_THE_CV = "zyxomatic"


def call(served: ServedPortal, key: str, method: str, path: str, body: dict | None = None
         ) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{served.url}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def picture(part: Locator, name: str, whole: bool = True) -> None:
    """``screenshot`` of one part of a page, or (``whole`` False) of what the window shows
    of it: a list of every demo job is long."""
    folder = os.environ.get("ITMJ_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = str(Path(folder) / f"{name}.png")
    if whole:
        part.screenshot(path=path)
    else:
        part.page.screenshot(path=path)


def fits(page: Page, width: int) -> None:
    """Nothing on the page is wider than the window: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_candidate_applies_on_the_job_page_and_everyone_concerned_sees_it(
    page: Page, served_portal: ServedPortal
):
    services = served_portal.services
    # Other employers' jobs around this one, as on a real board (seeding twice is harmless).
    demo.seed(services)
    admin_email = unique_email("ada")
    sign_up(page, admin_email, company="Lovelace Analytics")
    employer_id = employer_of(served_portal, admin_email)
    services.credits.grant(employer_id, CreditKind.JOB_POSTING, 1)
    key = services.accounts.mint_key(employer_id, "ATS", frozenset({Scope.JOB_POSTING}))
    title = f"Head of Analytical Engines {unique_email('job')[4:14]}"
    job = call(served_portal, key.plaintext, "POST", "/api/v1/jobs", {
        "title": title, "description": "Lead the engine room.\nBabbage experience a plus.",
        "city": "London", "country": "United Kingdom", "employmentType": "FullTime",
        "remoteType": "HybridRemote", "applyMethod": "PortalApply", "salaryMin": 90000,
        "salaryMax": 110000, "salaryCurrency": "GBP", "salaryPeriod": "Year",
    })
    call(served_portal, key.plaintext, "POST", f"/api/v1/jobs/{job['id']}/publish")

    with VerifyingReceiver() as receiver:
        created = services.webhooks.subscribe(
            employer_id, receiver.url, frozenset({EventType.APPLICATION_SUBMITTED})
        )
        receiver.secret = created.secret
        for width, size in (("1280", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(size)
            page.goto("/jobs")
            fits(page, size["width"])
            picture(page.locator("body"), f"public-jobs-{width}", whole=False)
            page.get_by_role("link", name=title).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
            expect(page.get_by_text("Lovelace Analytics · London, United Kingdom")).to_be_visible()
            fits(page, size["width"])
            screenshot(page, f"public-job-{width}")

        page.get_by_label("Your name").fill("Grace Hopper")
        page.get_by_label("Email").fill(unique_email("grace"))
        page.get_by_label("Phone").fill("+1 202 555 0100")
        page.get_by_label("Cover note").fill("I taught the engines to speak English.")
        page.get_by_label("Upload it").set_input_files(files=[{
            "name": "grace-hopper-cv.pdf", "mimeType": "application/pdf",
            "buffer": pdf_with("Grace Hopper", f"Compilers, COBOL and {ONLY_IN_THE_CV} work"),
        }])
        apply_form = page.get_by_role("region", name="Apply")
        for width, size in (("390", PHONE), ("1280", DESKTOP)):
            page.set_viewport_size(size)
            fits(page, size["width"])
            picture(apply_form, f"public-apply-form-{width}")
        page.get_by_role("button", name="Send application").click()
        expect(page.get_by_role("status")).to_have_text(
            "Thank you, Grace Hopper: your application is sent."
        )
        [checked] = receiver.wait_for(1)

    assert (checked.event, checked.verified) == ("application.submitted", True)
    data = checked.body["data"]
    assert set(data) >= {"applicationId", "jobPostId", "jobTitle", "candidateId", "appliedAt",
                         "applicationType"}
    assert (data["jobPostId"], data["jobTitle"], data["applicationType"]) == (
        job["id"], title, "PortalApply",
    )

    searcher = services.accounts.create_employer("Babbage Search", trusted_partner=True)
    services.credits.grant(searcher.id, CreditKind.CV_SEARCH, 1)
    cv_key = services.accounts.mint_key(searcher.id, "Sourcing", frozenset({Scope.CV_SEARCH}))
    found = call(served_portal, cv_key.plaintext, "POST", "/api/v1/candidates/search",
                 {"query": ONLY_IN_THE_CV})
    assert [(item["id"], item["fullName"]) for item in found["items"]] == [
        (data["candidateId"], "G*** H***"),
    ]

    page.goto(f"/employer/jobs/{job['id']}")
    row = page.get_by_role("row", name=re.compile(f"#{data['applicationId']} Grace Hopper"))
    expect(row).to_be_visible()
    expect(row).to_contain_text("PortalApply")

"""The portal refuses an internal webhook target when it is entered, not after a delivery:
the development switch is off here, as in production."""

import pytest

from tests.portal.support import FormBrowser, signed_up


@pytest.fixture
def admin(client, portal_services) -> FormBrowser:
    signed_up(portal_services)
    browser = FormBrowser(client)
    assert browser.sign_in("ada@acme.example").status_code == 303
    browser.get("/employer/")
    return browser


@pytest.mark.parametrize(
    "url", ["https://127.1/hook", "https://0x7f000001/", "https://[::ffff:169.254.169.254]/",
            "https://localhost:8443/"],
)
def test_an_internal_target_is_refused_on_the_form(admin, portal_services, url):
    page = admin.post("/employer/webhooks", {"url": url, "events": ["job.expired"]})
    assert page.status_code == 400
    assert "Target not allowed: url must reach only publicly routable addresses." in page.text
    employer = portal_services.portal_accounts.user(1)
    assert portal_services.webhooks.list(employer.employer_id) == []

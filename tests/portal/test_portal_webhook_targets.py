"""The portal refuses an internal webhook target when it is entered, not after a delivery:
the development switch is off here, as in production."""

import pytest

from itmj_domain.webhooks.subscriptions import EventType, Subscription
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


def test_rotating_the_secret_of_an_internal_target_is_refused_with_a_message(
    admin, portal_services
):
    employer_id = portal_services.portal_accounts.user(1).employer_id
    with portal_services.uow() as uow:
        # Registered before the target rules tightened: refused from the next rotation on.
        made = Subscription(uow.subscriptions.next_id(), employer_id, "https://127.1/hook",
                            frozenset({EventType.JOB_EXPIRED}), "whsec_" + "A" * 43 + "=",
                            portal_services.clock.now())
        uow.subscriptions.add(made)
        uow.commit()
    admin.get(f"/employer/webhooks/{made.id}")
    refused = admin.post(f"/employer/webhooks/{made.id}/rotate", {})
    assert (refused.status_code, refused.headers["location"]) == (
        303, f"/employer/webhooks/{made.id}")
    page = admin.get(refused.headers["location"])
    assert "Target not allowed: url must reach only publicly routable addresses." in page.text
    assert portal_services.webhooks.list(employer_id) == [made]
    assert portal_services.portal_sessions.store.get(admin.session_id).handoff is None

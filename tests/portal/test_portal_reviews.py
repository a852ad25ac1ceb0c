"""The console's key review queue."""

import pytest

from itmj_domain.api_keys import KeyStatus, Scope
from tests.portal.support import HERE, PASSWORD, FormBrowser, signed_up

SEARCH = frozenset({Scope.CV_SEARCH})


@pytest.fixture
def staff(client, portal_services) -> FormBrowser:
    _, token = portal_services.portal_accounts.add_staff("grace@platform.example")
    portal_services.portal_accounts.reset_password(token, PASSWORD, HERE)
    visitor = FormBrowser(client)
    assert visitor.sign_in("grace@platform.example",
                           path="/platform/signin").status_code == 303
    return visitor


@pytest.fixture
def pending(portal_services):
    acme = signed_up(portal_services)
    return acme, portal_services.accounts.mint_key(acme.employer.id, "Vincere", SEARCH,
                                                   created_by=acme.admin.id)


def test_the_queue_lists_pending_keys_with_their_employer(staff, pending, portal_services):
    _acme, minted = pending
    page = staff.get("/platform/keys")
    assert "Acme" in page.text
    assert "Vincere" in page.text
    assert f"{minted.key.display_prefix}…" in page.text
    assert "ada@acme.example" in page.text
    assert "1 key waits for review." in staff.get("/platform/").text


def test_approving_activates_the_key_and_emails_its_admin(staff, pending, portal_services,
                                                          notifier):
    _acme, minted = pending
    staff.get("/platform/keys")
    done = staff.post(f"/platform/keys/{minted.key.id}/approve", {})
    assert done.headers["location"] == "/platform/keys"
    assert portal_services.authenticator.authenticate(minted.plaintext) is not None
    (email,) = notifier.sent
    assert email.to == "ada@acme.example"
    assert "Vincere" in email.subject
    page = staff.get("/platform/keys")
    assert "its admin has been emailed" in page.text
    assert "Nothing waits for review." in page.text


def test_rejecting_leaves_the_key_refused(staff, pending, portal_services, notifier):
    acme, minted = pending
    staff.get("/platform/keys")
    staff.post(f"/platform/keys/{minted.key.id}/reject", {})
    (key,) = portal_services.accounts.list_keys(acme.employer.id)
    assert key.status is KeyStatus.REJECTED
    assert portal_services.authenticator.authenticate(minted.plaintext) is None
    assert notifier.sent == []


def test_deciding_twice_changes_nothing_and_says_so(staff, pending, portal_services):
    acme, minted = pending
    staff.get("/platform/keys")
    staff.post(f"/platform/keys/{minted.key.id}/approve", {})
    staff.post(f"/platform/keys/{minted.key.id}/reject", {})
    (key,) = portal_services.accounts.list_keys(acme.employer.id)
    assert key.status is KeyStatus.ACTIVE
    assert "Nothing changed: only a pending key can be rejected" in staff.get(
        "/platform/keys").text


def test_an_unknown_key_is_404(staff):
    staff.get("/platform/keys")
    assert staff.post("/platform/keys/999/approve", {}).status_code == 404


def test_employer_admins_cannot_approve_their_own_keys(client, pending, portal_services):
    acme, minted = pending
    admin = FormBrowser(client)
    admin.sign_in("ada@acme.example")
    admin.get("/employer/")
    assert admin.get("/platform/keys").status_code == 403
    assert admin.post(f"/platform/keys/{minted.key.id}/approve", {}).status_code == 403
    (key,) = portal_services.accounts.list_keys(acme.employer.id)
    assert key.status is KeyStatus.PENDING_APPROVAL

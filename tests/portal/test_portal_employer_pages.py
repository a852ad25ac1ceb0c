"""The employer pages over HTTP (falcon's test client, the real app in development mode):
credits, team, webhooks, jobs; each form does what it says, refuses what it should, and
changes nothing when it refuses."""

import html
import re

import pytest

from itmj_domain.accounts import Role
from itmj_domain.applications import ApplicationStatus
from itmj_domain.credits import CreditKind
from itmj_domain.orders import OrderStatus
from itmj_domain.pagination import PageRequest
from itmj_domain.webhooks.subscriptions import EventType, Subscription
from tests.adapters.receiver import Receiver
from tests.portal.support import (
    HERE,
    PASSWORD,
    FormBrowser,
    add_recruiter,
    loopback_services,
    signed_up,
)
from tests.use_cases.test_webhooks import active_job, candidate, partner_verifies


@pytest.fixture
def portal_services(backend, request, clock, notifier):
    """As the suite's, on every backend, and webhooks may target loopback, where the test
    receivers listen."""
    yield from loopback_services(backend, request, clock, notifier)


@pytest.fixture
def acme(portal_services):
    return signed_up(portal_services)


@pytest.fixture
def admin(client, acme) -> FormBrowser:
    browser = FormBrowser(client)
    assert browser.sign_in("ada@acme.example").status_code == 303
    browser.get("/employer/")  # signing in starts a new session, with its own form token
    return browser


@pytest.fixture
def recruiter(client, portal_services, acme) -> FormBrowser:
    add_recruiter(portal_services, acme.employer.id, "rita@acme.example")
    browser = FormBrowser(client)
    assert browser.sign_in("rita@acme.example").status_code == 303
    browser.get("/employer/")
    return browser


def flashes(page) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', page.text)]


def follow(browser: FormBrowser, result):
    assert result.status_code == 303, result.text
    return browser.get(result.headers["location"])


@pytest.mark.parametrize("path", [
    "/employer/credits", "/employer/team", "/employer/webhooks",
])
def test_a_recruiter_cannot_open_the_admin_pages_but_opens_jobs(recruiter, path):
    assert recruiter.get(path).status_code == 403
    assert recruiter.get("/employer/jobs").status_code == 200


def test_buying_a_bundle_places_an_order_that_staff_confirm(admin, portal_services, acme):
    page = admin.get("/employer/credits")
    assert "Buy 100 CvSearch credits for £450.00" in page.text
    done = follow(admin, admin.post("/employer/credits/orders", {"bundle": "cv-search-100"}))
    [message] = flashes(done)
    assert message.startswith("Order #1 for 100 CvSearch credits is placed.")
    assert ">Pending<" in done.text
    assert portal_services.credits.balance(acme.employer.id).available(CreditKind.CV_SEARCH) == 0

    portal_services.orders.confirm(1)
    confirmed = admin.get("/employer/credits")
    assert 'data-kind="CvSearch">100<' in confirmed.text
    assert "Bundle order #1" in confirmed.text
    assert "Bundle order #1" in admin.get("/employer/").text


def test_an_unknown_bundle_and_a_decided_order_are_refused_with_nothing_changed(
    admin, portal_services, acme
):
    refused = follow(admin, admin.post("/employer/credits/orders", {"bundle": "free-credits"}))
    assert flashes(refused) == ["No bundle 'free-credits' is on offer."]
    follow(admin, admin.post("/employer/credits/orders", {"bundle": "job-posting-5"}))
    cancelled = follow(admin, admin.post("/employer/credits/orders/1/cancel", {}))
    assert flashes(cancelled) == ["Order #1 is cancelled."]
    again = follow(admin, admin.post("/employer/credits/orders/1/cancel", {}))
    assert flashes(again) == [
        "Order 1 is Cancelled: only a Pending order can be cancelled."
    ]
    assert admin.post("/employer/credits/orders/99/cancel", {}).status_code == 404
    assert portal_services.credits.entries(acme.employer.id) == []


def test_an_invitation_link_makes_a_signed_in_member_once(
    admin, client, portal_services, notifier, acme
):
    done = follow(admin, admin.post("/employer/team/invitations",
                                    {"email": "grace@example.com", "role": "Recruiter"}))
    assert "An invitation is on its way to grace@example.com." in flashes(done)[0]
    assert "grace@example.com" in done.text
    [mail] = [m for m in notifier.sent if m.to == "grace@example.com"]
    link = re.search(r"http://\S+", mail.body).group(0)
    path = link.removeprefix("http://falconframework.org")
    assert path.startswith("/account/invitations/inv_")

    invited = FormBrowser(client)
    form = invited.get(path)
    assert "Join Acme" in form.text
    short = invited.post(path, {"name": "Grace Hopper", "password": "short"})
    assert short.status_code == 400
    assert "Password must be at least 10 characters." in short.text
    joined = follow(invited, invited.post(path, {"name": "Grace Hopper", "password": PASSWORD}))
    assert "Welcome, Grace Hopper. You are signed in." in flashes(joined)
    assert invited.get("/employer/team").status_code == 403
    assert invited.get("/employer/jobs").status_code == 200

    gone = FormBrowser(client).get(path)
    assert gone.status_code == 410
    assert "This invitation has already been used." in gone.text
    members = portal_services.team.members(acme.employer.id)
    assert [(m.email, m.role) for m in members] == [
        ("ada@acme.example", Role.EMPLOYER_ADMIN), ("grace@example.com", Role.RECRUITER)
    ]


def _invitation_path(notifier, email: str) -> str:
    [*_, mail] = [m for m in notifier.sent if m.to == email]
    return re.search(r"http://\S+", mail.body).group(0).removeprefix("http://falconframework.org")


def test_open_invitations_are_resent_with_a_new_link_or_withdrawn(
    admin, client, portal_services, notifier, acme
):
    admin.post("/employer/team/invitations", {"email": "grace@example.com", "role": "Recruiter"})
    first_link = _invitation_path(notifier, "grace@example.com")
    [first] = portal_services.team.open_invitations(acme.employer.id)
    team_page = admin.get("/employer/team")
    assert f'action="/employer/team/invitations/{first.id}/resend"' in team_page.text
    assert f'action="/employer/team/invitations/{first.id}/withdraw"' in team_page.text

    resent = follow(admin, admin.post(f"/employer/team/invitations/{first.id}/resend", {}))
    assert flashes(resent) == ["A new invitation is on its way to grace@example.com; the link "
                               "sent before no longer works."]
    second_link = _invitation_path(notifier, "grace@example.com")
    assert second_link != first_link
    gone = FormBrowser(client).get(first_link)
    assert gone.status_code == 410
    assert "This invitation was withdrawn: ask for a new one." in gone.text
    assert FormBrowser(client).get(second_link).status_code == 200

    [second] = portal_services.team.open_invitations(acme.employer.id)
    withdrawn = follow(admin, admin.post(f"/employer/team/invitations/{second.id}/withdraw", {}))
    assert flashes(withdrawn) == ["The invitation to grace@example.com is withdrawn: its link "
                                  "no longer works."]
    assert "Waiting to be accepted" not in withdrawn.text
    assert FormBrowser(client).get(second_link).status_code == 410
    again = follow(admin, admin.post(f"/employer/team/invitations/{second.id}/resend", {}))
    assert flashes(again) == ["This invitation was withdrawn: ask for a new one."]
    assert portal_services.team.open_invitations(acme.employer.id) == []
    assert len([m for m in notifier.sent if m.to == "grace@example.com"]) == 2


def test_invitations_are_withdrawn_only_by_an_admin_of_theirs_with_the_form_token(
    admin, recruiter, portal_services, notifier, acme
):
    admin.post("/employer/team/invitations", {"email": "grace@example.com", "role": "Recruiter"})
    [mine] = portal_services.team.open_invitations(acme.employer.id)
    rival = portal_services.accounts.create_employer("Rival")
    boss = portal_services.accounts.add_user(rival.id, "boss@rival.example",
                                             Role.EMPLOYER_ADMIN)
    theirs = portal_services.team.invite(rival.id, "x@example.com", Role.RECRUITER, boss.id,
                                         lambda token: token)
    for action in ("resend", "withdraw"):
        assert admin.post(f"/employer/team/invitations/{theirs.id}/{action}",
                          {}).status_code == 404
        assert recruiter.post(f"/employer/team/invitations/{mine.id}/{action}",
                              {}).status_code == 403
        assert admin.post(f"/employer/team/invitations/{mine.id}/{action}", {},
                          token="").status_code == 403
    assert admin.post(f"/employer/team/invitations/{mine.id}/dance", {}).status_code == 404
    assert portal_services.team.open_invitations(acme.employer.id) == [mine]
    assert portal_services.team.open_invitations(rival.id) == [theirs]
    assert [m.to for m in notifier.sent if "invited" in m.subject] == [
        "grace@example.com", "x@example.com"
    ]


def test_a_bad_invitation_shows_the_form_again_and_sends_nothing(admin, notifier):
    page = admin.post("/employer/team/invitations", {"email": "nobody", "role": "Recruiter"})
    assert page.status_code == 400
    assert 'id="email-error">Email must be an email address.' in page.text
    taken = admin.post("/employer/team/invitations",
                       {"email": "ADA@acme.example", "role": "Recruiter"})
    assert "already has an account" in taken.text
    assert notifier.sent == []


def test_roles_change_members_go_and_the_last_admin_stays(admin, portal_services, acme):
    add_recruiter(portal_services, acme.employer.id, "rita@acme.example")
    rita = portal_services.portal_accounts.sign_in("rita@acme.example", PASSWORD, "203.0.113.7")
    me = acme.admin.id
    refused = follow(admin, admin.post(f"/employer/team/{me}/role", {"role": "Recruiter"}))
    assert flashes(refused) == [
        "The last EmployerAdmin cannot be removed or made a Recruiter."
    ]
    promoted = follow(admin, admin.post(f"/employer/team/{rita.id}/role",
                                        {"role": "EmployerAdmin"}))
    assert flashes(promoted) == ["rita@acme.example is now EmployerAdmin."]
    confirm = admin.get(f"/employer/team/{rita.id}/remove")
    assert "Remove rita@acme.example?" in confirm.text
    removed = follow(admin, admin.post(f"/employer/team/{rita.id}/remove", {}))
    assert "rita@acme.example" not in removed.text.split("Invite someone")[0]
    assert [m.id for m in portal_services.team.members(acme.employer.id)] == [me]
    assert admin.get("/employer/team/999/remove").status_code == 404


def test_a_webhook_secret_is_shown_once_and_a_test_event_is_logged(admin, portal_services):
    with Receiver(status=200) as receiver:
        created = follow(admin, admin.post("/employer/webhooks", {
            "url": receiver.url + "/hook", "events": ["application.status_changed"],
        }))
        assert created.status_code == 200
        secret = re.search(r'id="webhook-secret">(whsec_[^<]+)<', created.text).group(1)
        page = admin.get("/employer/webhooks/1")
        assert secret not in page.text
        sent = follow(admin, admin.post("/employer/webhooks/1/test", {}))
        delivery_id = receiver.received[0].headers["X-Webhook-Delivery-Id"]
        replayed = follow(admin, admin.post(
            f"/employer/webhooks/1/deliveries/{delivery_id}/redeliver", {}
        ))
    assert flashes(replayed) == [f"Delivery {delivery_id} is sent again, with the same id."]
    assert [r.headers["X-Webhook-Delivery-Id"] for r in receiver.received] == [delivery_id] * 2
    assert flashes(sent)[0].startswith("A webhook.test event is sent")
    received = receiver.received[0]
    assert received.headers["X-Webhook-Event"] == "webhook.test"
    assert partner_verifies(secret, received.headers["X-Webhook-Signature"], received.body,
                            int(portal_services.clock.now().timestamp()))
    assert "HTTP 200" in sent.text
    assert received.headers["X-Webhook-Delivery-Id"] in sent.text


def test_bad_webhook_forms_and_other_employers_subscriptions(admin, portal_services):
    bad = admin.post("/employer/webhooks", {"url": "ftp://x.example", "events": ["job.expired"]})
    assert bad.status_code == 400
    assert "Url must be an https:// URL with a host." in bad.text
    no_events = admin.post("/employer/webhooks", {"url": "https://x.example"})
    assert "A subscription needs at least one event." in no_events.text
    rival = portal_services.accounts.create_employer("Rival")
    with Receiver() as receiver:
        theirs = portal_services.webhooks.subscribe(
            rival.id, receiver.url, frozenset({EventType.JOB_EXPIRED})
        ).subscription
        delivery = portal_services.webhooks.send_test(theirs.id, rival.id)
        for path in (f"/employer/webhooks/{theirs.id}", "/employer/webhooks/999",
                     f"/employer/webhooks/{theirs.id}/delete"):
            assert admin.get(path).status_code == 404
        for action in ("disable", "delete", "rotate", "test", "dance"):
            assert admin.post(f"/employer/webhooks/{theirs.id}/{action}", {}).status_code == 404
        assert admin.post(f"/employer/webhooks/{theirs.id}/deliveries/{delivery.id}/redeliver",
                          {}).status_code == 404
    assert len(receiver.received) == 1
    assert portal_services.webhooks.list(rival.id) == [theirs]


def test_rotating_shows_the_new_secret_once_and_disable_enable_delete(admin, portal_services,
                                                                      acme):
    admin.post("/employer/webhooks", {"url": "https://hooks.example", "events": ["job.expired"]})
    rotated = follow(admin, admin.post("/employer/webhooks/1/rotate", {}))
    new_secret = re.search(r'id="webhook-secret">(whsec_[^<]+)<', rotated.text).group(1)
    [subscription] = portal_services.webhooks.list(acme.employer.id)
    assert subscription.secret == new_secret
    assert "For 24 hours the old secret signs" in rotated.text
    disabled = follow(admin, admin.post("/employer/webhooks/1/disable", {}))
    assert "Disabled" in disabled.text
    refused = follow(admin, admin.post("/employer/webhooks/1/test", {}))
    assert flashes(refused) == ["Enable the subscription before sending it a test event."]
    enabled = follow(admin, admin.post("/employer/webhooks/1/enable", {}))
    assert 'href="/employer/webhooks/1/delete"' in enabled.text
    asked = admin.get("/employer/webhooks/1/delete")
    assert asked.status_code == 200
    assert "Delete this subscription?" in asked.text
    assert 'action="/employer/webhooks/1/delete"' in asked.text
    assert portal_services.webhooks.list(acme.employer.id) != []
    assert admin.get("/employer/webhooks/1/disable").status_code == 404
    gone = follow(admin, admin.post("/employer/webhooks/1/delete", {}))
    assert "No subscriptions yet." in gone.text
    assert admin.get("/employer/webhooks/1/delete").status_code == 404


def test_a_recruiter_moves_an_application_along_the_pipeline(
    recruiter, portal_services, clock, acme
):
    job = active_job(portal_services, acme.employer.id)
    application = portal_services.applications.submit(job.id, candidate(portal_services, clock))
    listing = recruiter.get("/employer/jobs")
    assert "Service Desk Lead" in listing.text
    page = recruiter.get(f"/employer/jobs/{job.id}")
    assert f"Move application #{application.id} to Screened" in page.text
    path = f"/employer/jobs/{job.id}/applications/{application.id}/move"
    moved = follow(recruiter, recruiter.post(path, {"to": "Screened"}))
    assert flashes(moved) == [f"Application #{application.id} is now Screened."]
    skipped = follow(recruiter, recruiter.post(path, {"to": "Hired"}))
    assert flashes(skipped) == ["An application cannot move from Screened to Hired."]
    assert recruiter.post(f"/employer/jobs/{job.id + 1}/applications/{application.id}/move",
                          {"to": "Rejected"}).status_code == 404
    assert portal_services.applications.get(
        acme.employer.id, job.id, application.id
    ).status is ApplicationStatus.SCREENED
    assert portal_services.applications.list_for_job(
        acme.employer.id, job.id, None, PageRequest()
    ).total == 1


def test_staff_confirm_orders_trust_employers_and_add_contracts(client, portal_services, acme):
    _, token = portal_services.portal_accounts.add_staff("grace@platform.example")
    portal_services.portal_accounts.reset_password(token, PASSWORD, HERE)
    staff = FormBrowser(client)
    assert staff.sign_in("grace@platform.example", path="/platform/signin").status_code == 303
    staff.get("/platform/")
    order = portal_services.orders.buy(acme.employer.id, "job-posting-20", acme.admin.id)
    queue = staff.get("/platform/orders")
    assert "Confirm order #1" in queue.text and "Acme" in queue.text
    done = follow(staff, staff.post(f"/platform/orders/{order.id}/confirm", {}))
    assert flashes(done) == ["Order #1 is confirmed: 20 JobPosting credits are granted."]
    again = follow(staff, staff.post(f"/platform/orders/{order.id}/confirm", {}))
    assert flashes(again) == ["Order 1 is Confirmed: only a Pending order can be confirmed."]
    assert portal_services.credits.balance(acme.employer.id).available(
        CreditKind.JOB_POSTING) == 20
    assert [o.status for o in portal_services.orders.for_employer(
        acme.employer.id, PageRequest()).items] == [OrderStatus.CONFIRMED]

    trusted = follow(staff, staff.post(f"/platform/employers/{acme.employer.id}/trusted",
                                       {"trusted": "yes", "back": "/platform/employers"}))
    assert flashes(trusted)[0].startswith("Acme is now a trusted partner")
    assert portal_services.accounts.get_employer(acme.employer.id).trusted_partner

    path = f"/platform/employers/{acme.employer.id}"
    bad = staff.post(path, {"kinds": ["CvSearch"], "valid_from": "2026-02-01",
                            "valid_until": "2026-01-01"})
    assert bad.status_code == 400
    assert "Valid_until must be after valid_from." in bad.text
    added = follow(staff, staff.post(path, {"kinds": ["CvSearch", "CvDownload"],
                                            "valid_from": "2026-01-01",
                                            "valid_until": "2026-12-31"}))
    [contract] = portal_services.credits.contracts(acme.employer.id)
    assert flashes(added) == [f"Contract #{contract.id} is added."]
    assert contract.kinds == frozenset({CreditKind.CV_SEARCH, CreditKind.CV_DOWNLOAD})
    assert "CvDownload, CvSearch" in added.text
    assert staff.get("/platform/employers/999").status_code == 404


def test_employer_users_cannot_open_the_console_pages(admin):
    for path in ("/platform/orders", "/platform/employers", "/platform/employers/1"):
        assert admin.get(path).status_code == 403
    assert admin.post("/platform/orders/1/confirm", {}).status_code == 403


def test_a_secret_issued_before_standard_webhooks_is_told_that_a_rotation_brings_them(
    admin, portal_services, acme
):
    with portal_services.uow() as uow:
        uow.subscriptions.add(Subscription(
            uow.subscriptions.next_id(), acme.employer.id, "https://hooks.example",
            frozenset({EventType.JOB_EXPIRED}), "whsec_" + "kX9-_q" * 7 + "Z",
            portal_services.clock.now(),
        ))
        uow.commit()
    notice = "Rotate the secret to get the Standard Webhooks headers."
    assert notice in admin.get("/employer/webhooks").text
    assert "Rotate the secret to get the standard" in admin.get("/employer/webhooks/1").text
    admin.post("/employer/webhooks/1/rotate", {})
    assert notice not in admin.get("/employer/webhooks").text
    detail = admin.get("/employer/webhooks/1").text
    assert "Standard Webhooks (<code>webhook-signature</code>)" in detail

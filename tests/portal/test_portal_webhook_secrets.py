"""A webhook's signing secret, issued by creating the subscription or rotating its secret, is
shown once, on the page the form redirects to (post/redirect/get): reloading that page shows
it no more and neither creates nor rotates again; the secret is never in a URL, the session
store, the cookie jar or a log line; a form without its CSRF token does nothing."""

import html
import logging
import re

import pytest

from itmj_domain.webhooks.subscriptions import EventType, Subscription
from tests.portal.support import FormBrowser, loopback_services, signed_up

_SECRET = re.compile(r'id="webhook-secret">(whsec_[^<]+)<')
HOOK = "https://hooks.example/in"
SHOWN_ONCE = ("The signing secret was shown once, when it was issued, and cannot be shown "
              "again. If it was not copied, rotate the secret to get a new one.")


@pytest.fixture
def portal_services(backend, request, clock, notifier):
    """On every backend, so that the session's half of the secret goes through each session
    store."""
    yield from loopback_services(backend, request, clock, notifier)


@pytest.fixture
def acme(portal_services):
    return signed_up(portal_services)


@pytest.fixture
def admin(client, acme) -> FormBrowser:
    browser = FormBrowser(client)
    assert browser.sign_in("ada@acme.example").status_code == 303
    browser.get("/employer/webhooks")
    return browser


def _flashes(page) -> list[str]:
    return [html.unescape(m) for m in re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', page.text)]


def _add(admin: FormBrowser, **fields: str | list[str]):
    admin.get("/employer/webhooks")
    return admin.post("/employer/webhooks", {"url": HOOK, "events": ["job.expired"], **fields})


def _subscriptions(services, acme) -> list[Subscription]:
    return list(services.webhooks.list(acme.employer.id))


def test_a_new_subscriptions_secret_is_shown_once_after_a_redirect(admin, portal_services,
                                                                   acme):
    posted = _add(admin)
    [subscription] = _subscriptions(portal_services, acme)
    page = f"/employer/webhooks/{subscription.id}/secret"
    assert (posted.status_code, posted.headers["location"]) == (303, page)
    assert "whsec_" not in posted.text

    shown = admin.get(page)
    assert (shown.status_code, shown.headers["cache-control"]) == (200, "no-store")
    assert "Subscription added" in shown.text
    assert _SECRET.search(shown.text).group(1) == subscription.secret

    again = admin.get(page)
    assert (again.status_code, again.headers["location"]) == (
        303, f"/employer/webhooks/{subscription.id}")
    landed = admin.get(again.headers["location"])
    assert _flashes(landed) == [SHOWN_ONCE]
    assert subscription.secret not in again.text + landed.text
    assert _subscriptions(portal_services, acme) == [subscription]


def test_a_rotated_secret_is_shown_once_and_the_secret_is_rotated_once(admin, portal_services,
                                                                       acme):
    _add(admin)
    [made] = _subscriptions(portal_services, acme)
    admin.get(f"/employer/webhooks/{made.id}")
    posted = admin.post(f"/employer/webhooks/{made.id}/rotate", {})
    page = f"/employer/webhooks/{made.id}/secret"
    assert (posted.status_code, posted.headers["location"]) == (303, page)
    assert "whsec_" not in posted.text
    [rotated] = _subscriptions(portal_services, acme)
    assert (rotated.secret != made.secret, rotated.previous_secret) == (True, made.secret)

    shown = admin.get(page)
    assert "A new signing secret" in shown.text
    assert "For 24 hours the old secret signs" in shown.text
    assert _SECRET.search(shown.text).group(1) == rotated.secret
    again = admin.get(page)
    assert again.status_code == 303
    assert rotated.secret not in admin.get(again.headers["location"]).text
    assert _subscriptions(portal_services, acme) == [rotated]


def test_the_secret_is_in_neither_a_url_the_session_store_the_cookie_nor_a_log_line(
    admin, portal_services, acme, caplog
):
    with caplog.at_level(logging.DEBUG):
        posted = _add(admin)
        [subscription] = _subscriptions(portal_services, acme)
        session = portal_services.portal_sessions.store.get(admin.session_id)
        pad = posted.cookies["itmj_once"]
        shown = admin.get(posted.headers["location"])
    assert session.handoff is not None
    assert (pad.path, pad.http_only, pad.same_site) == (
        f"/employer/webhooks/{subscription.id}/secret", True, "Strict")
    assert 0 < pad.max_age <= 300
    secret = _SECRET.search(shown.text).group(1)
    assert secret not in repr(session) + session.handoff.masked + pad.value
    assert secret not in posted.headers["location"]
    assert secret not in caplog.text
    assert portal_services.portal_sessions.store.get(admin.session_id).handoff is None
    cleared = shown.cookies["itmj_once"]
    assert (cleared.value, cleared.path) == ("", pad.path)


def test_without_the_cookie_or_from_another_session_nothing_is_shown(client, admin,
                                                                    portal_services, acme):
    posted = _add(admin)
    other = FormBrowser(client)
    other.sign_in("ada@acme.example")
    other.others.update(admin.others)
    assert other.get(posted.headers["location"]).status_code == 303
    admin.others.clear()
    refused = admin.get(posted.headers["location"])
    assert refused.status_code == 303
    assert "whsec_" not in refused.text
    assert portal_services.portal_sessions.store.get(admin.session_id).handoff is None


def test_a_secret_rotated_again_since_is_not_shown_as_the_current_one(admin, portal_services,
                                                                      acme):
    posted = _add(admin)
    [subscription] = _subscriptions(portal_services, acme)
    portal_services.webhooks.rotate_secret(subscription.id, acme.employer.id)
    refused = admin.get(posted.headers["location"])
    assert refused.status_code == 303
    assert subscription.secret not in refused.text


def test_without_the_form_token_nothing_is_created_or_rotated(admin, portal_services, acme):
    refused = admin.post("/employer/webhooks", {"url": HOOK, "events": ["job.expired"]},
                         token="")
    assert refused.status_code == 403
    assert _subscriptions(portal_services, acme) == []
    _add(admin)
    [made] = _subscriptions(portal_services, acme)
    refused = admin.post(f"/employer/webhooks/{made.id}/rotate", {}, token="")
    assert refused.status_code == 403
    assert "location" not in refused.headers
    assert _subscriptions(portal_services, acme) == [made]


def test_another_employers_secret_page_is_not_found(admin, portal_services):
    rival = portal_services.accounts.create_employer("Rival")
    theirs = portal_services.webhooks.subscribe(rival.id, HOOK,
                                                frozenset({EventType.JOB_EXPIRED}))
    assert admin.get(f"/employer/webhooks/{theirs.subscription.id}/secret").status_code == 404
    assert admin.post(f"/employer/webhooks/{theirs.subscription.id}/secret",
                      {}).status_code == 405

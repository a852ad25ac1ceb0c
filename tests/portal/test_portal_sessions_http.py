"""Session cookies and expiry as a visitor meets them."""

from datetime import timedelta

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Mode, Settings
from itmj_http.app import create_app
from tests.portal.support import HERE, RESET_PAGE, FormBrowser, signed_up, token_in

SIGN_IN_AGAIN = "/account/signin?next=%2Femployer%2F"


def test_an_idle_session_ends_and_the_next_page_asks_to_sign_in_again(visitor, portal_services,
                                                                         clock):
    signed_up(portal_services)
    visitor.sign_in("ada@acme.example")
    clock.advance(timedelta(minutes=29))
    assert visitor.get("/employer/").status_code == 200
    clock.advance(timedelta(minutes=30))
    expired = visitor.get("/employer/")
    assert expired.status_code == 303
    assert expired.headers["location"] == SIGN_IN_AGAIN


def test_a_busy_session_still_ends_after_twelve_hours(visitor, portal_services, clock):
    signed_up(portal_services)
    visitor.sign_in("ada@acme.example")
    for _ in range(11 * 4 + 3):
        clock.advance(timedelta(minutes=15))
        assert visitor.get("/employer/").status_code == 200
    clock.advance(timedelta(minutes=15))
    assert visitor.get("/employer/").headers["location"] == SIGN_IN_AGAIN


def test_sign_out_ends_the_session_on_the_server(visitor, portal_services):
    signed_up(portal_services)
    visitor.sign_in("ada@acme.example")
    session_id = visitor.session_id
    visitor.get("/employer/")
    signed_out = visitor.post("/account/signout", {})
    assert signed_out.status_code == 303
    # A fresh anonymous session carries the "signed out" message to the next page.
    assert signed_out.cookies["itmj_session"].value not in ("", session_id)
    replayed = FormBrowser(visitor.client)
    replayed.session_id = session_id
    assert replayed.get("/employer/").status_code == 303


def test_a_new_password_ends_every_session_signed_in_with_the_old_one(client, portal_services,
                                                                       notifier):
    signed_up(portal_services)
    elsewhere = FormBrowser(client)
    elsewhere.sign_in("ada@acme.example")
    assert elsewhere.get("/employer/").status_code == 200
    portal_services.portal_accounts.request_password_reset("ada@acme.example", HERE, RESET_PAGE)
    token = token_in(notifier.sent[0].body)
    here = FormBrowser(client)
    here.get(f"/account/password/reset?token={token}")
    here.post("/account/password/reset", {"token": token, "password": "a new passphrase"})
    assert elsewhere.get("/employer/").headers["location"] == SIGN_IN_AGAIN
    assert here.sign_in("ada@acme.example", "a new passphrase").status_code == 303
    assert here.get("/employer/").status_code == 200


def test_the_development_cookie_is_httponly_lax_and_not_secure(visitor):
    page = visitor.get("/account/signin")
    cookie = page.cookies["itmj_session"]
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure
    assert cookie.path == "/"


def test_the_production_cookie_is_secure_and_host_only(clock, notifier):
    built = build_services(Settings(), clock=clock, notifier=notifier,
                           password_hasher=Argon2PasswordHasher.cheap())
    page = TestClient(create_app(built)).simulate_get("/account/signin")
    built.close()
    cookie = page.cookies["__Host-itmj_session"]
    assert cookie.secure
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert "itmj_session" not in page.cookies


@pytest.mark.parametrize("path", ["/account/signin", "/employer/", "/platform/"])
def test_portal_pages_are_not_cached_and_not_framed(visitor, path):
    page = visitor.get(path)
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


@pytest.mark.postgres
def test_a_session_started_by_one_server_process_works_on_another(clean_database, redis_url,
                                                                  clock, notifier):
    """With Redis configured, every process shares the sessions (as they share the
    database): signing in on one and reading a page on another works."""
    settings = Settings(database_url=clean_database, redis_url=redis_url, db_pool_size=2,
                        mode=Mode.DEVELOPMENT)
    first, second = (
        build_services(settings, clock=clock, notifier=notifier,
                       password_hasher=Argon2PasswordHasher.cheap())
        for _ in range(2)
    )
    try:
        signed_up(first)
        visitor = FormBrowser(TestClient(create_app(first)))
        visitor.sign_in("ada@acme.example")
        other_process = FormBrowser(TestClient(create_app(second)))
        other_process.session_id = visitor.session_id
        page = other_process.get("/employer/")
        assert page.status_code == 200
        assert "Ada Lovelace" in page.text
    finally:
        first.close()
        second.close()


def test_the_api_is_untouched_by_the_portal(client):
    result = client.simulate_get("/api/v1/jobs")
    assert result.status_code == 401
    assert result.text == ""
    assert "set-cookie" not in result.headers

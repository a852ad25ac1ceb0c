"""The API keys page: listing, creating (the key shown once, after a redirect, and never
stored), revoking with confirmation."""

import re
from datetime import timedelta

import pytest
from falcon.testing import TestClient

from itmj_adapters.argon2_hasher import Argon2PasswordHasher
from itmj_adapters.composition import build_services
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.credits import CreditKind
from itmj_http.app import create_app
from tests.portal.support import PASSWORD, FormBrowser, add_recruiter, signed_up

_PLAINTEXT = re.compile(r'<code id="new-key">(pk_live_[0-9A-Za-z]+)</code>')


@pytest.fixture
def acme(portal_services):
    return signed_up(portal_services)


@pytest.fixture
def admin(client, acme) -> FormBrowser:
    visitor = FormBrowser(client)
    visitor.sign_in("ada@acme.example")
    visitor.get("/employer/keys")
    return visitor


def _post(visitor: FormBrowser, **fields: str | list[str]):
    visitor.get("/employer/keys")
    return visitor.post("/employer/keys", {"name": "Bullhorn", "scopes": ["JobPosting"],
                                           "expires_on": "", **fields})


def _create(visitor: FormBrowser, **fields: str | list[str]):
    """The form's answer when it is refused, else the page it redirects to."""
    posted = _post(visitor, **fields)
    if posted.status_code != 303:
        return posted
    return visitor.get(posted.headers["location"])


def _keys(services, employer_id: int):
    return list(services.accounts.list_keys(employer_id))


def test_a_new_key_is_shown_once_and_works(admin, portal_services, acme):
    portal_services.credits.grant(acme.employer.id, CreditKind.JOB_POSTING, 5)
    created = _create(admin)
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    plaintext = _PLAINTEXT.search(created.text).group(1)
    assert "This is the only time the key is shown." in created.text
    assert 'data-copy-target="new-key"' in created.text
    key = portal_services.authenticator.authenticate(plaintext)
    assert key is not None
    assert key.employer_id == acme.employer.id
    assert key.created_by == acme.admin.id
    listing = admin.get("/employer/keys")
    assert plaintext not in listing.text
    assert f"{plaintext[:14]}…" in listing.text
    assert "badge-active" in listing.text


def test_a_cv_search_key_waits_for_review_and_the_page_says_so(admin, portal_services, acme):
    created = _create(admin, name="Vincere", scopes=["CvSearch"])
    assert "waits for review by ITManagerJobs staff" in created.text
    (key,) = _keys(portal_services, acme.employer.id)
    assert key.status is KeyStatus.PENDING_APPROVAL
    assert key.scopes == frozenset({Scope.CV_SEARCH})
    assert portal_services.authenticator.authenticate(
        _PLAINTEXT.search(created.text).group(1)) is None


def test_a_webhooks_key_is_minted_from_the_form_and_approved_like_a_job_posting_key(
    admin, portal_services, acme
):
    assert 'value="Webhooks"' in admin.get("/employer/keys").text
    portal_services.credits.grant(acme.employer.id, CreditKind.JOB_POSTING, 1)
    created = _create(admin, name="ATS hooks", scopes=["Webhooks", "JobPosting"])
    (key,) = _keys(portal_services, acme.employer.id)
    assert (key.status, key.scopes) == (KeyStatus.ACTIVE,
                                        frozenset({Scope.WEBHOOKS, Scope.JOB_POSTING}))
    assert "JobPosting, Webhooks" in created.text


def test_an_expiry_date_ends_the_key_at_the_start_of_that_day(admin, portal_services, acme,
                                                             clock):
    _create(admin, expires_on="2026-01-08")
    (key,) = _keys(portal_services, acme.employer.id)
    assert key.expires_at.isoformat() == "2026-01-08T00:00:00+00:00"
    clock.advance(timedelta(days=8))
    admin.sign_in("ada@acme.example")
    assert "badge-expired" in admin.get("/employer/keys").text


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "  "}, "Name must be 1 to 100 characters."),
    ({"scopes": []}, "A key needs at least one scope."),
    ({"scopes": ["Everything"]}, "Choose from JobPosting, CvSearch and Webhooks."),
    ({"expires_on": "2025-12-31"}, "Expiry must be in the future."),
    ({"expires_on": "soon"}, "Expiry must be a date like 2026-12-31."),
])
def test_a_bad_key_form_says_why_and_mints_nothing(admin, portal_services, acme, fields,
                                                   message):
    page = _create(admin, **fields)
    assert page.status_code == 400
    assert message in page.text
    assert _keys(portal_services, acme.employer.id) == []


def test_revoking_asks_first_then_takes_effect_at_once(admin, portal_services, acme):
    portal_services.credits.grant(acme.employer.id, CreditKind.JOB_POSTING, 5)
    plaintext = _PLAINTEXT.search(_create(admin).text).group(1)
    (key,) = _keys(portal_services, acme.employer.id)
    confirm = admin.get(f"/employer/keys/{key.id}/revoke")
    assert "stops working at once" in confirm.text
    assert portal_services.authenticator.authenticate(plaintext) is not None
    done = admin.post(f"/employer/keys/{key.id}/revoke", {})
    assert done.headers["location"] == "/employer/keys"
    assert portal_services.authenticator.authenticate(plaintext) is None
    listing = admin.get("/employer/keys")
    assert "is revoked: requests made with it are refused from now on" in listing.text
    assert "badge-revoked" in listing.text
    assert f"/employer/keys/{key.id}/revoke" not in listing.text


def test_another_employers_key_cannot_be_seen_or_revoked(admin, portal_services):
    other = portal_services.accounts.create_employer("Other", trusted_partner=True)
    theirs = portal_services.accounts.mint_key(other.id, "theirs",
                                               frozenset({Scope.JOB_POSTING}))
    path = f"/employer/keys/{theirs.key.id}/revoke"
    assert admin.get(path).status_code == 404
    assert admin.post(path, {}).status_code == 404
    assert portal_services.authenticator.authenticate(theirs.plaintext) is not None
    assert "theirs" not in admin.get("/employer/keys").text


def test_a_recruiter_can_neither_open_nor_use_the_keys_page(client, portal_services, acme):
    add_recruiter(portal_services, acme.employer.id, "rita@acme.example")
    recruiter = FormBrowser(client)
    recruiter.sign_in("rita@acme.example", PASSWORD)
    page = recruiter.get("/employer/keys")
    assert page.status_code == 403
    assert "Only an employer admin can open this page" in page.text
    recruiter.get("/employer/")
    refused = recruiter.post("/employer/keys", {"name": "sneaky", "scopes": ["JobPosting"]})
    assert refused.status_code == 403
    assert _keys(portal_services, acme.employer.id) == []
    assert "API keys" not in recruiter.get("/employer/").text


def test_creating_a_key_without_the_form_token_mints_nothing(admin, portal_services, acme):
    refused = admin.post("/employer/keys", {"name": "x", "scopes": ["JobPosting"]}, token="")
    assert refused.status_code == 403
    assert _keys(portal_services, acme.employer.id) == []


def test_the_form_redirects_and_the_key_is_shown_once_and_minted_once(
    admin, portal_services, acme
):
    portal_services.credits.grant(acme.employer.id, CreditKind.JOB_POSTING, 5)
    posted = _post(admin)
    assert posted.status_code == 303
    (key,) = _keys(portal_services, acme.employer.id)
    assert posted.headers["location"] == f"/employer/keys/{key.id}/created"
    assert "pk_live_" not in posted.text
    shown = admin.get(posted.headers["location"])
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    plaintext = _PLAINTEXT.search(shown.text).group(1)
    assert portal_services.authenticator.authenticate(plaintext) is not None

    again = admin.get(posted.headers["location"])
    assert again.status_code == 303
    assert again.headers["location"] == "/employer/keys"
    listing = admin.get("/employer/keys")
    assert "was shown once, when it was created, and cannot be shown again" in listing.text
    assert plaintext not in again.text + listing.text
    assert _keys(portal_services, acme.employer.id) == [key]


def test_the_plaintext_is_in_neither_the_session_nor_the_cookie(admin, portal_services,
                                                               acme):
    posted = _post(admin)
    (key,) = _keys(portal_services, acme.employer.id)
    session = portal_services.portal_sessions.store.get(admin.session_id)
    assert session.handoff is not None
    pad = posted.cookies["itmj_once"]
    assert pad.path == "/employer/keys"
    assert pad.http_only
    assert pad.same_site == "Strict"
    assert 0 < pad.max_age <= 300
    plaintext = _PLAINTEXT.search(admin.get(posted.headers["location"]).text).group(1)
    assert plaintext not in repr(session) + session.handoff.masked + pad.value
    assert key.display_prefix not in session.handoff.masked + pad.value
    assert portal_services.portal_sessions.store.get(admin.session_id).handoff is None


def test_without_the_cookie_the_key_is_not_shown_and_its_half_is_dropped(
    client, admin, portal_services, acme
):
    posted = _post(admin)
    admin.others.clear()
    refused = admin.get(posted.headers["location"])
    assert refused.status_code == 303
    assert "pk_live_" not in refused.text
    assert portal_services.portal_sessions.store.get(admin.session_id).handoff is None


def test_another_sessions_cookie_shows_nothing(client, admin, portal_services, acme):
    posted = _post(admin)
    other = FormBrowser(client)
    other.sign_in("ada@acme.example")
    other.others.update(admin.others)
    assert other.get(posted.headers["location"]).status_code == 303
    shown = admin.get(posted.headers["location"])
    assert _PLAINTEXT.search(shown.text)


def test_another_employers_new_key_page_is_not_found(admin, portal_services):
    other = portal_services.accounts.create_employer("Other", trusted_partner=True)
    theirs = portal_services.accounts.mint_key(other.id, "theirs",
                                               frozenset({Scope.JOB_POSTING}))
    assert admin.get(f"/employer/keys/{theirs.key.id}/created").status_code == 404


def test_in_production_the_pad_cookie_is_secure_and_named_so(clock, notifier):
    built = build_services(Settings(), clock=clock, notifier=notifier,
                           password_hasher=Argon2PasswordHasher.cheap())
    acme = signed_up(built)
    built.credits.grant(acme.employer.id, CreditKind.JOB_POSTING, 5)
    visitor = FormBrowser(TestClient(create_app(built)), cookie="__Host-itmj_session")
    visitor.sign_in("ada@acme.example")
    posted = _post(visitor)
    pad = posted.cookies["__Secure-itmj_once"]
    assert (pad.secure, pad.http_only, pad.path) == (True, True, "/employer/keys")
    shown = visitor.get(posted.headers["location"])
    assert _PLAINTEXT.search(shown.text)
    cleared = shown.cookies["__Secure-itmj_once"]
    assert (cleared.value, cleared.expires.year, cleared.secure) == ("", 1970, True)
    built.close()

"""API key authentication and scopes (SPEC §3, §4) at the HTTP edge."""

from datetime import timedelta

import pytest

from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from tests.http.support import JOB_BODY, JOBS, account_state, last_used_at, new_partner

UNKNOWN_KEY = "pk_live_" + "A" * 43
PENDING = 'Bearer error="invalid_token", error_description="key pending approval"'


def assert_refused(result, challenge: str = "Bearer") -> None:
    """The one answer every unusable key gets: 401 and nothing else to learn from, but the
    reason a pending key's holder is given."""
    assert result.status_code == 401
    assert result.content == b""
    assert result.headers["content-length"] == "0"
    assert result.headers["www-authenticate"] == challenge


def test_both_header_styles_are_accepted(client, partner):
    assert client.simulate_get(JOBS, headers={"X-Api-Key": partner.key}).status_code == 200
    assert client.simulate_get(JOBS, headers=partner.bearer).status_code == 200
    lower = {"Authorization": f"bearer {partner.key}"}
    assert client.simulate_get(JOBS, headers=lower).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer pk_live_tooShort"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": f"Token {UNKNOWN_KEY}"},
        {"X-Api-Key": ""},
        {"X-Api-Key": "sk_live_" + "A" * 43},
        {"X-Api-Key": "pk_live_" + "!" * 43},
        {"Authorization": f"Bearer {UNKNOWN_KEY}"},
        {"X-Api-Key": UNKNOWN_KEY},
    ],
    ids=["missing", "empty", "no-token", "short", "basic", "other-scheme", "empty-header",
         "wrong-prefix", "not-base62", "unknown-bearer", "unknown-header"],
)
def test_missing_malformed_and_unknown_keys_get_401(client, headers):
    assert_refused(client.simulate_get(JOBS, headers=headers))


def test_a_key_without_its_scheme_is_refused(client, partner):
    assert_refused(client.simulate_get(JOBS, headers={"Authorization": partner.key}))


def test_two_different_keys_at_once_are_refused(client, partner):
    headers = {**partner.bearer, "X-Api-Key": UNKNOWN_KEY}
    assert_refused(client.simulate_get(JOBS, headers=headers))


def test_a_revoked_key_is_refused_on_the_very_next_request(client, partner, services):
    assert client.simulate_get(JOBS, headers=partner.bearer).status_code == 200
    services.accounts.revoke_key(partner.key_id)
    assert_refused(client.simulate_get(JOBS, headers=partner.bearer))


def test_a_key_is_refused_once_it_expires(client, services, clock):
    partner = new_partner(services, expires_at=clock.now() + timedelta(days=1))
    assert client.simulate_get(JOBS, headers=partner.bearer).status_code == 200
    clock.advance(timedelta(days=1))
    assert_refused(client.simulate_get(JOBS, headers=partner.bearer))


def test_pending_and_rejected_keys_are_refused(client, services):
    employer = services.accounts.create_employer("New Co")
    pending = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.JOB_POSTING}))
    assert_refused(client.simulate_get(JOBS, headers={"X-Api-Key": pending.plaintext}),
                   PENDING)
    services.accounts.reject_key(pending.key.id)
    assert_refused(client.simulate_get(JOBS, headers={"X-Api-Key": pending.plaintext}))


def test_only_the_whole_pending_key_learns_that_it_is_pending(client, services):
    employer = services.accounts.create_employer("New Co")
    pending = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.JOB_POSTING}))
    last = pending.plaintext[-1]
    altered = pending.plaintext[:-1] + ("a" if last != "a" else "b")
    assert_refused(client.simulate_get(JOBS, headers={"Authorization": f"Bearer {altered}"}))
    bearer = {"Authorization": f"Bearer {pending.plaintext}"}
    assert_refused(client.simulate_get(JOBS, headers=bearer), PENDING)


def test_a_pending_key_past_its_expiry_is_refused_like_any_expired_one(client, services, clock):
    employer = services.accounts.create_employer("New Co")
    pending = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.CV_SEARCH}),
                                         expires_at=clock.now() + timedelta(days=1))
    clock.advance(timedelta(days=1))
    assert_refused(client.simulate_get(JOBS, headers={"X-Api-Key": pending.plaintext}))


def test_a_pending_key_once_approved_is_let_in_and_once_revoked_refused_plainly(
    client, services
):
    employer = services.accounts.create_employer("New Co")
    pending = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.JOB_POSTING}))
    headers = {"X-Api-Key": pending.plaintext}
    services.accounts.approve_key(pending.key.id)
    assert client.simulate_get(JOBS, headers=headers).status_code == 200
    services.accounts.revoke_key(pending.key.id)
    assert_refused(client.simulate_get(JOBS, headers=headers))


def test_a_refused_key_changes_nothing(client, services):
    employer = services.accounts.create_employer("New Co")
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 1)
    minted = services.accounts.mint_key(employer.id, "ATS", frozenset({Scope.JOB_POSTING}))
    services.accounts.revoke_key(minted.key.id)
    before = account_state(services, employer.id)
    result = client.simulate_post(JOBS, json=JOB_BODY,
                                  headers={"Authorization": f"Bearer {minted.plaintext}"})
    assert_refused(result)
    assert account_state(services, employer.id) == before


def test_every_job_route_needs_a_key(client, partner):
    for method, path in [("GET", JOBS), ("POST", JOBS), ("GET", f"{JOBS}/1"),
                         ("PUT", f"{JOBS}/1"), ("DELETE", f"{JOBS}/1"),
                         ("POST", f"{JOBS}/1/publish"), ("PATCH", f"{JOBS}/1"),
                         ("GET", f"{JOBS}/not-a-number")]:
        assert_refused(client.simulate_request(method, path))


def test_a_key_without_the_job_posting_scope_is_forbidden(client, services):
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    result = client.simulate_get(JOBS, headers=partner.bearer)
    assert result.status_code == 403
    assert result.json["code"] == "forbidden"
    assert "JobPosting" in result.json["message"]
    assert last_used_at(services, partner) is None


def test_health_and_openapi_need_no_key(client):
    for path in ("/healthz/live", "/healthz/ready", "/swagger/v1/swagger.json"):
        assert client.simulate_get(path).status_code == 200


def test_a_successful_call_records_last_use(client, partner, services, clock):
    assert last_used_at(services, partner) is None
    client.simulate_get(JOBS, headers=partner.bearer)
    assert last_used_at(services, partner) == clock.now()


def test_last_use_is_written_about_once_a_second(client, partner, services, clock):
    start = clock.now()
    client.simulate_get(JOBS, headers=partner.bearer)
    # As the background writer would (on PostgreSQL uses are held and written together).
    services.key_uses.flush()
    clock.advance(timedelta(milliseconds=500))
    client.simulate_get(JOBS, headers=partner.bearer)
    assert last_used_at(services, partner) == start
    clock.advance(timedelta(milliseconds=500))
    client.simulate_get(JOBS, headers=partner.bearer)
    assert last_used_at(services, partner) == start + timedelta(seconds=1)


def test_a_failed_call_does_not_count_as_a_use(client, partner, services):
    assert client.simulate_get(f"{JOBS}/999", headers=partner.bearer).status_code == 404
    assert client.simulate_post(JOBS, json={}, headers=partner.bearer).status_code == 400
    assert client.simulate_patch(JOBS, headers=partner.bearer).status_code == 405
    assert last_used_at(services, partner) is None


def test_a_refused_call_does_not_count_as_a_use(client, services, clock):
    partner = new_partner(services, expires_at=clock.now() + timedelta(days=1))
    clock.advance(timedelta(days=2))
    assert_refused(client.simulate_get(JOBS, headers=partner.bearer))
    assert last_used_at(services, partner) is None

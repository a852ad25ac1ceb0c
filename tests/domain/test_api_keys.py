from datetime import UTC, datetime, timedelta

import attrs
import pytest

from itmj_domain import api_keys
from itmj_domain.api_keys import ApiKey, KeyStatus, Scope
from itmj_domain.errors import InvalidInput, InvalidState
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
JOBS = frozenset({Scope.JOB_POSTING})
SEARCH = frozenset({Scope.CV_SEARCH})
BOTH = JOBS | SEARCH
WEBHOOKS = frozenset({Scope.WEBHOOKS})


def minted(status=KeyStatus.ACTIVE, scopes=JOBS, expires_at=None):
    return api_keys.mint(7, 3, "ATS", scopes, None, NOW, status, expires_at)


def test_plaintext_is_pk_live_and_at_least_32_base62_characters():
    plaintext = minted().plaintext
    body = plaintext.removeprefix("pk_live_")
    assert plaintext.startswith("pk_live_")
    assert len(body) >= 32
    assert set(body) <= set(api_keys.BASE62)


def test_only_the_sha256_and_a_short_prefix_are_kept():
    result = minted()
    assert result.key.key_hash == api_keys.hash_key(result.plaintext)
    assert len(result.key.key_hash) == 64
    assert result.plaintext.startswith(result.key.display_prefix)
    assert len(result.key.display_prefix) < 20
    assert result.plaintext not in repr(result.key)


def test_every_mint_gives_a_new_key():
    assert minted().plaintext != minted().plaintext


@pytest.mark.parametrize(
    ("candidate", "plausible"),
    [
        ("pk_live_" + "a" * 32, True),
        ("pk_live_" + "a" * 31, False),
        ("pk_test_" + "a" * 40, False),
        ("pk_live_" + "a" * 31 + "-", False),
        ("pk_live_" + "a" * 129, False),
        ("", False),
    ],
)
def test_implausible_credentials_are_refused_before_any_lookup(candidate, plausible):
    assert api_keys.looks_like_key(candidate) is plausible


@pytest.mark.parametrize(
    ("scopes", "trusted", "has_credit", "expected"),
    [
        (JOBS, False, True, KeyStatus.ACTIVE),
        (JOBS, False, False, KeyStatus.PENDING_APPROVAL),
        (SEARCH, False, True, KeyStatus.PENDING_APPROVAL),
        (BOTH, False, True, KeyStatus.PENDING_APPROVAL),
        (BOTH, True, False, KeyStatus.ACTIVE),
        (SEARCH, True, False, KeyStatus.ACTIVE),
        (WEBHOOKS, False, True, KeyStatus.ACTIVE),
        (WEBHOOKS | JOBS, False, True, KeyStatus.ACTIVE),
        (WEBHOOKS, False, False, KeyStatus.PENDING_APPROVAL),
        (WEBHOOKS | SEARCH, False, True, KeyStatus.PENDING_APPROVAL),
    ],
)
def test_approval_policy_of_spec_section_3(scopes, trusted, has_credit, expected):
    assert api_keys.initial_status(scopes, trusted, has_credit) is expected


def test_a_key_needs_a_scope_and_a_name():
    with refused(InvalidInput) as no_scope:
        minted(scopes=frozenset())
    assert no_scope.value.field == "scopes"
    for name in ("", "  ", "x" * 101):
        with refused(InvalidInput) as bad_name:
            api_keys.mint(1, 1, name, JOBS, None, NOW, KeyStatus.ACTIVE)
        assert bad_name.value.field == "name"
    assert api_keys.mint(1, 1, "x" * 100, JOBS, None, NOW, KeyStatus.ACTIVE).key.name == "x" * 100


def test_expiry_must_be_after_creation():
    for expiry in (NOW, NOW - timedelta(days=1)):
        with refused(InvalidInput) as raised:
            minted(expires_at=expiry)
        assert raised.value.field == "expires_at"
    later = NOW + timedelta(seconds=1)
    assert minted(expires_at=later).key.expires_at == later


def test_only_an_active_unexpired_key_authenticates():
    key = minted(expires_at=NOW + timedelta(days=1)).key
    assert key.authenticates(NOW)
    assert not key.authenticates(NOW + timedelta(days=1))
    for status in (KeyStatus.PENDING_APPROVAL, KeyStatus.REJECTED, KeyStatus.REVOKED):
        assert not minted(status=status).key.authenticates(NOW)


def test_approve_and_reject_only_pending_keys():
    pending = minted(status=KeyStatus.PENDING_APPROVAL).key
    assert pending.approved_at is None
    approved = pending.approve(NOW + timedelta(hours=1))
    assert approved.status is KeyStatus.ACTIVE
    assert approved.approved_at == NOW + timedelta(hours=1)
    assert pending.reject().status is KeyStatus.REJECTED
    with refused(InvalidState):
        approved.approve(NOW)
    with refused(InvalidState):
        approved.reject()


def test_revoke_is_final_and_idempotent():
    key: ApiKey = minted().key.revoke()
    assert key.status is KeyStatus.REVOKED
    assert key.revoke() == key
    with refused(InvalidState):
        key.approve(NOW)


def test_scopes_gate_what_a_key_allows():
    key = minted(scopes=JOBS).key
    assert key.allows(Scope.JOB_POSTING)
    assert not key.allows(Scope.CV_SEARCH)


def test_last_used_is_written_at_most_once_a_second():
    key = minted().key
    assert api_keys.last_used_is_stale(key, NOW)
    used = attrs.evolve(key, last_used_at=NOW)
    assert not api_keys.last_used_is_stale(used, NOW + timedelta(milliseconds=999))
    assert api_keys.last_used_is_stale(used, NOW + timedelta(seconds=1))

from datetime import UTC, datetime, timedelta

from itmj_domain import password_resets
from itmj_domain.principals import Principal, PrincipalKind

NOW = datetime(2026, 3, 1, tzinfo=UTC)
GRACE = Principal(PrincipalKind.STAFF, 7)


def test_a_reset_is_dated_and_stores_only_the_hash_of_its_token():
    issued = password_resets.issue(GRACE, NOW, timedelta(days=3))
    reset = issued.reset
    assert reset.holder == GRACE
    assert (reset.created_at, reset.expires_at) == (NOW, NOW + timedelta(days=3))
    assert reset.token_hash == password_resets.hash_token(issued.token) != issued.token
    # 32 random bytes, URL-safe base64 without padding: 43 characters.
    assert len(issued.token) == 43
    assert issued.token != password_resets.issue(GRACE, NOW, timedelta(1)).token

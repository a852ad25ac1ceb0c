"""A secret split for post/redirect/get: neither half is the secret, both join to it once."""

from hypothesis import given
from hypothesis import strategies as st

from itmj_domain import handoffs


@given(st.text(min_size=1, max_size=200))
def test_the_two_halves_join_to_the_secret(secret):
    split = handoffs.split("api-key:1", secret)
    assert handoffs.join(split.handoff, split.pad) == secret


def test_neither_half_holds_the_secret_and_each_split_differs():
    secret = "pk_live_SECRETSECRETSECRET"
    first, second = handoffs.split("s", secret), handoffs.split("s", secret)
    for half in (first.handoff.masked, first.pad):
        assert "SECRET" not in half
    assert first.pad != second.pad
    assert first.handoff.masked != second.handoff.masked
    assert "SECRET" not in repr(first)


def test_a_pad_that_is_not_the_other_half_joins_nothing():
    split = handoffs.split("s", "pk_live_abc")
    other = handoffs.split("s", "a longer secret than that")
    assert handoffs.join(split.handoff, other.pad) is None
    assert handoffs.join(split.handoff, "not base64 !") is None
    assert handoffs.join(split.handoff, "") is None

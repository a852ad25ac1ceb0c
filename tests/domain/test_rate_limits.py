from itmj_domain.rate_limits import (
    SPEC_POLICIES,
    LimitedFamily,
    RateLimitDecision,
    RateLimitPolicy,
    refused_until,
    sliding_window_decision,
    unenforced,
)

SEARCH = RateLimitPolicy("candidate-search", limit=30, period_seconds=60)


def test_the_spec_section_8_policies():
    limits = {family: (p.limit, p.period_seconds) for family, p in SPEC_POLICIES.items()}
    assert limits == {
        LimitedFamily.JOBS: (100, 60),
        LimitedFamily.CANDIDATE_SEARCH: (30, 60),
        LimitedFamily.CANDIDATE_VIEW: (60, 60),
        LimitedFamily.SELF_SERVICE: (60, 60),
    }


def test_a_limiter_that_cannot_count_lets_the_request_through_and_says_so():
    assert unenforced(SEARCH) == RateLimitDecision(
        allowed=True, limit=30, remaining=30, reset_seconds=0, retry_after_seconds=0,
        enforced=False,
    )


def test_an_allowed_request_counts_against_the_window_until_the_newest_leaves_it():
    decision = sliding_window_decision(SEARCH, True, 1, 1_000, 1_000, 1_000)
    assert decision == RateLimitDecision(True, 30, 29, 60, 0)
    later = sliding_window_decision(SEARCH, True, 2, 1_000, 30_500, 30_500)
    assert (later.remaining, later.reset_seconds) == (28, 60)
    partial = sliding_window_decision(SEARCH, True, 2, 1_000, 30_500, 31_000)
    assert partial.reset_seconds == 60  # 59.5 s, rounded up to whole seconds


def test_a_refused_request_waits_until_the_oldest_leaves_the_window():
    refused = sliding_window_decision(SEARCH, False, 30, 1_000, 50_000, 50_000)
    assert refused == RateLimitDecision(False, 30, 0, 60, 11)
    at_the_edge = sliding_window_decision(SEARCH, False, 30, 1_000, 60_900, 61_000)
    assert at_the_edge.retry_after_seconds == 1  # never 0 when refused


def test_an_empty_window_resets_at_once_and_remaining_never_goes_negative():
    assert sliding_window_decision(SEARCH, True, 0, 0, 0, 5_000).reset_seconds == 0
    assert sliding_window_decision(SEARCH, False, 31, 0, 0, 0).remaining == 0


def test_a_remembered_refusal_counts_down_to_its_retry_after_and_reset():
    # The oldest request leaves the window at 61 s and the newest at 110 s; it is now 50.2 s.
    assert refused_until(SEARCH, 61_000, 110_000, 50_200) == RateLimitDecision(
        allowed=False, limit=30, remaining=0, reset_seconds=60, retry_after_seconds=11
    )
    # Never less than a second to wait while refused, even at the very instant it ends.
    assert refused_until(SEARCH, 61_000, 110_000, 61_000).retry_after_seconds == 1


def test_a_reset_is_rounded_up_to_whole_seconds_and_never_negative():
    # 1.001 s left is 2 whole seconds to wait.
    assert refused_until(SEARCH, 2_001, 2_001, 1_000).retry_after_seconds == 2
    # A newest request stamped by a clock running behind: it has left the window already.
    assert sliding_window_decision(SEARCH, True, 1, 0, 0, 60_500).reset_seconds == 0

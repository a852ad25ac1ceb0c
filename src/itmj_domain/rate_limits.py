"""Rate limits (SPEC §8): the policies, what a check decides, and the port that counts.

A policy allows ``limit`` requests in any ``period_seconds`` long window (a sliding window:
31 requests within any minute under a 30-a-minute policy are 30 answers and one refusal, however
they are spread). Limits hold across every process, so the counting lives behind a port whose
shared adapter does the check and the count in one atomic step.
"""

import enum
from collections.abc import Mapping
from typing import NamedTuple, Protocol

import attrs


@attrs.frozen
class RateLimitPolicy:
    name: str
    limit: int
    period_seconds: int


class RateLimitDecision(NamedTuple):
    """What one check decided. A named tuple rather than a frozen attrs class: every limited
    request builds one, and a tuple is built in half the instructions."""

    allowed: bool
    limit: int
    remaining: int
    # Whole seconds until the window is fully available again.
    reset_seconds: int
    # 0 when allowed; at least 1 when refused.
    retry_after_seconds: int
    # False when the limiter could not count (its store was unreachable) and let the request
    # through: the figures above are then the policy's, not the subject's.
    enforced: bool = True


class RateLimiter(Protocol):
    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        """Count one request of ``subject`` under ``policy`` if the policy still allows it;
        a refused request is not counted."""
        ...


class LimitedFamily(enum.Enum):
    """The groups of endpoints SPEC §8 limits, each per API key; ``SELF_SERVICE`` is
    ``/api/v1/credits`` and ``/api/v1/webhooks/...`` (SPEC §12), limited as one family."""

    JOBS = "jobs"
    CANDIDATE_SEARCH = "candidate-search"
    CANDIDATE_VIEW = "candidate-view"
    SELF_SERVICE = "self-service"


SPEC_POLICIES: Mapping[LimitedFamily, RateLimitPolicy] = {
    LimitedFamily.JOBS: RateLimitPolicy("jobs", limit=100, period_seconds=60),
    LimitedFamily.CANDIDATE_SEARCH: RateLimitPolicy(
        "candidate-search", limit=30, period_seconds=60
    ),
    LimitedFamily.CANDIDATE_VIEW: RateLimitPolicy(
        "candidate-view", limit=60, period_seconds=60
    ),
    LimitedFamily.SELF_SERVICE: RateLimitPolicy("self-service", limit=60, period_seconds=60),
}


def unenforced(policy: RateLimitPolicy) -> RateLimitDecision:
    """What a limiter that cannot count answers: let the request through."""
    return RateLimitDecision(True, policy.limit, policy.limit, 0, 0, enforced=False)


def sliding_window_decision(
    policy: RateLimitPolicy, allowed: bool, counted: int, oldest_ms: int, newest_ms: int,
    now_ms: int,
) -> RateLimitDecision:
    """The decision once a window holds ``counted`` requests (this one included when
    ``allowed``), the oldest and newest at those instants: every adapter answers from the
    same arithmetic, so they agree to the second."""
    period_ms = policy.period_seconds * 1000
    reset = _whole_seconds(newest_ms + period_ms - now_ms) if counted else 0
    retry_after = 0 if allowed else max(1, _whole_seconds(oldest_ms + period_ms - now_ms))
    return RateLimitDecision(allowed, policy.limit, max(0, policy.limit - counted), reset,
                             retry_after)


def refused_until(
    policy: RateLimitPolicy, until_ms: int, free_at_ms: int, now_ms: int
) -> RateLimitDecision:
    """The refusal of a full window whose oldest request leaves it at ``until_ms`` and whose
    newest leaves at ``free_at_ms``: until the first, nothing about it can change."""
    return RateLimitDecision(
        allowed=False,
        limit=policy.limit,
        remaining=0,
        reset_seconds=_whole_seconds(free_at_ms - now_ms),
        retry_after_seconds=max(1, _whole_seconds(until_ms - now_ms)),
    )


def _whole_seconds(milliseconds: int) -> int:
    # In integers: exact for any instant, and cheaper than math.ceil over a float on the path
    # every limited request takes.
    return -(-milliseconds // 1000) if milliseconds > 0 else 0

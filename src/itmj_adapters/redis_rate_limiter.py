"""Rate limiting in Redis, shared by every process: one Lua script checks and counts.

Each (policy, subject) is a sorted set of the instants of the requests counted in the current
window, under ``itmj:ratelimit:<policy>:<subject>``, expiring a window after its last request.
The script drops the instants that left the window, counts what is left and adds this request
only when there is room, atomically, so concurrent requests on any process cannot both take
the last place. Instants come from the Clock port of the process asking, in milliseconds:
servers keep their clocks in step (NTP), and a few milliseconds of skew only move the edge of
a window by as much.

A busy key is counted a lease of places at a time (``rate_limit_leases``): the process serves
its next requests from the lease without a round trip, and no window admits more than the
limit all the same.

A refusal is remembered in the process until its Retry-After: no place can free up before
then (the oldest counted request has not left the window, and nobody can add one to a full
window), so the requests of a client that keeps knocking are refused, exactly as Redis would
refuse them, without asking it again.

When Redis cannot be reached the limiter fails open: the request is served, a warning is
logged at most once a minute, and Redis is not asked again for a few seconds, so an outage
costs no request a connection timeout each.
"""

import logging
import secrets
import threading
from datetime import timedelta

from redis import Redis
from redis.exceptions import RedisError

from itmj_adapters.rate_limit_leases import LeasedWindows
from itmj_domain.clock import Clock, epoch_ms_of
from itmj_domain.rate_limits import RateLimitDecision, RateLimitPolicy, unenforced

log = logging.getLogger(__name__)

KEY_PREFIX = "itmj:ratelimit:"
WARN_EVERY = timedelta(minutes=1)
RETRY_AFTER_FAILURE = timedelta(seconds=5)
_MS = timedelta(milliseconds=1)

# KEYS[1]: the window. ARGV: now (ms), period (ms), limit, a member prefix unique to this call,
# places wanted, and the lease (ms; 0: the places are used now). Each place granted is counted
# at now + lease. Returns: places granted (0: refused), places counted in the window, oldest
# and newest instant (ms).
_HIT = """
local now = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local lease = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local counted = redis.call('ZCARD', KEYS[1])
local granted = math.max(0, math.min(tonumber(ARGV[5]), tonumber(ARGV[3]) - counted))
if granted > 0 then
    local places = {}
    for i = 1, granted do
        places[#places + 1] = now + lease
        places[#places + 1] = ARGV[4] .. ':' .. i
    end
    redis.call('ZADD', KEYS[1], unpack(places))
    redis.call('PEXPIRE', KEYS[1], period + lease)
    counted = counted + granted
end
if counted == 0 then
    return {granted, 0, now, now}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
return {granted, counted, tonumber(oldest[2]), tonumber(newest[2])}
"""


class RedisRateLimiter:
    # As a readiness probe: an advisory one, since requests are served without it.
    name = "rateLimiter"

    def __init__(self, redis: Redis, clock: Clock) -> None:
        self._redis = redis
        self._epoch_ms = epoch_ms_of(clock)
        self._script = redis.register_script(_HIT)
        # Instants in milliseconds since the epoch, as the windows count.
        self._quiet_until: int | None = None
        self._next_warning: int | None = None
        self._warning_lock = threading.Lock()
        self._windows = LeasedWindows()

    def hit(self, policy: RateLimitPolicy, subject: str) -> RateLimitDecision:
        now_ms = self._epoch_ms()
        if self._quiet_until is not None and now_ms < self._quiet_until:
            return unenforced(policy)
        try:
            return self._windows.hit(policy, subject, now_ms, self._take)
        except RedisError as error:
            self._failed(now_ms, error)
            return unenforced(policy)

    def _take(
        self, policy: RateLimitPolicy, subject: str, now_ms: int, wanted: int, lease_ms: int
    ) -> tuple[int, int, int, int]:
        granted, counted, oldest, newest = self._script(
            keys=[f"{KEY_PREFIX}{policy.name}:{subject}"],
            args=[now_ms, policy.period_seconds * 1000, policy.limit,
                  f"{now_ms}:{secrets.token_hex(6)}", wanted, lease_ms],
        )
        # Only an answer of Redis ends a quiet spell: a request served from a lease says
        # nothing of whether Redis is back.
        self._quiet_until = None
        return int(granted), int(counted), int(oldest), int(newest)

    def check(self) -> None:
        """Raise when Redis does not answer: the rate limiter is not counting."""
        self._redis.ping()

    def _failed(self, now_ms: int, error: RedisError) -> None:
        self._quiet_until = now_ms + RETRY_AFTER_FAILURE // _MS
        with self._warning_lock:
            if self._next_warning is not None and now_ms < self._next_warning:
                return
            self._next_warning = now_ms + WARN_EVERY // _MS
        log.warning(
            "rate limits not enforced: Redis unreachable (%s); serving without them", error
        )

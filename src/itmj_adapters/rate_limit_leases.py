"""Places of a shared rate-limit window that one process took at once and hands out itself,
and the refusals of a shared window it remembers (``Refusals``). Every limiter over a shared
store (Redis, PostgreSQL) counts through ``LeasedWindows``, so that they lease alike; each asks
its store, and fails, in its own way.

A key that keeps a process busy should not cost a round trip to the shared store per request.
So the process may take several places of the key's window at once (a lease) and serve the
next requests from them, for at most ``LEASE_MS``. The store counts a leased place at the
instant its lease ends, not the instant it was taken: every window that holds a request served
from the lease then holds its count, and no window ever admits more than the limit, whichever
process serves. A leased place left unused stays counted until it leaves the window, so near
the limit a key may be refused a little early, never late.

Leases are for busy keys only: a lease doubles while the last one was used up within a quarter
of ``LEASE_MS``, halves when places went unused, and never takes more than a sixteenth of what
the window has left. Under the SPEC's limits (30 to 100 a minute) that is at most 6 places, and
a key a process sees now and then is counted one request at a time, exactly. Once its window is
half full a key is counted one request at a time too, so the places leased earlier are spent
in the burst that took them and a key refused early is refused by few places, if any.
"""

import threading
from collections.abc import Callable

import attrs

from itmj_domain.rate_limits import (
    RateLimitDecision,
    RateLimitPolicy,
    refused_until,
    sliding_window_decision,
)

LEASE_MS = 1000
MAX_LEASED = 64
# A lease takes at most this share of the places its window has left.
_SHARE = 16
# Leases and refusals remembered past their time are dropped when there are more than this many.
_KEPT = 10_000

Key = tuple[str, str]
# A round trip to the shared store: (policy, subject, now, places wanted, lease) -> (places
# granted, 0 when refused; places the window then counts; its oldest and newest instant), the
# instants in milliseconds and each granted place counted at now + lease.
Take = Callable[[RateLimitPolicy, str, int, int, int], tuple[int, int, int, int]]


@attrs.define
class Lease:
    started: int
    ends: int
    granted: int
    # What the window counted once the lease was taken, and its oldest and newest instants.
    counted: int
    oldest: int
    newest: int
    # The places the limit still allowed after the lease.
    room: int
    # The size asked for, which the next lease grows or shrinks from.
    size: int
    used: int = 1


class Leases:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # A key's leases with places left, the last kept last. Threads of a process that find
        # none at once each take one; keeping only the last would leave the others' places
        # unused, counted for nothing until they left the window.
        self._held: dict[Key, list[Lease]] = {}

    def take(self, key: Key, now_ms: int) -> Lease | None:
        """A place of a lease ``key`` holds, if it holds one still: the lease, counting it."""
        with self._lock:
            for lease in self._held.get(key, ()):
                if now_ms < lease.ends and lease.used < lease.granted:
                    lease.used += 1
                    return lease
            return None

    def sizes(self, key: Key, now_ms: int) -> tuple[int, int]:
        """How many places to ask for now, and the size the next lease grows from."""
        with self._lock:
            held = self._held.get(key)
        if not held:
            return 1, 1
        lease = held[-1]
        if lease.used < lease.granted:
            size = max(1, lease.size // 2)
        elif now_ms - lease.started < LEASE_MS // 4:
            size = min(MAX_LEASED, lease.size * 2)
        else:
            size = lease.size
        # Past half the limit (counted + room), exact again.
        wanted = min(size, lease.room // _SHARE) if lease.room >= lease.counted else 1
        return (wanted if wanted > 1 else 1), size

    def keep(self, key: Key, lease: Lease) -> None:
        with self._lock:
            if len(self._held) >= _KEPT:
                self._held = {k: held for k, held in self._held.items()
                              if held[-1].ends > lease.started - LEASE_MS}
            live = [held for held in self._held.get(key, ())
                    if held.ends > lease.started and held.used < held.granted]
            self._held[key] = [*live, lease]


def served(policy: RateLimitPolicy, lease: Lease, now_ms: int) -> RateLimitDecision:
    """The decision for the ``lease.used``-th place of a lease: as if the window counted the
    places served so far and not the rest (this process's own view of it)."""
    counted = lease.counted - lease.granted + lease.used
    return sliding_window_decision(policy, True, counted, lease.oldest, lease.newest, now_ms)


class Refusals:
    """Keys the shared window refused, until its ``Retry-After``: no place can free up before
    then (the oldest counted place has not left the window, and nobody can add one to a full
    window), so the process refuses them itself, exactly as the store would, without asking."""

    def __init__(self) -> None:
        # key -> (refused until, window free at), both in milliseconds.
        self._held: dict[Key, tuple[int, int]] = {}

    def get(self, policy: RateLimitPolicy, key: Key, now_ms: int) -> RateLimitDecision | None:
        refusal = self._held.get(key)
        if refusal is None or now_ms >= refusal[0]:
            return None
        return refused_until(policy, *refusal, now_ms)

    def remember(
        self, policy: RateLimitPolicy, key: Key, oldest: int, newest: int, now_ms: int
    ) -> None:
        if len(self._held) >= _KEPT:
            self._held = {k: refusal for k, refusal in self._held.items() if refusal[0] > now_ms}
        period_ms = policy.period_seconds * 1000
        self._held[key] = (oldest + period_ms, newest + period_ms)


class LeasedWindows:
    """The shared windows as one process sees them: the leases it holds and the refusals it
    remembers, asking the store (``take``) only when neither answers. What the store raises
    goes to the limiter, which knows whether to fail open."""

    def __init__(self) -> None:
        self._refusals = Refusals()
        self._leases = Leases()

    def hit(
        self, policy: RateLimitPolicy, subject: str, now_ms: int, take: Take
    ) -> RateLimitDecision:
        key = (policy.name, subject)
        refused = self._refusals.get(policy, key, now_ms)
        if refused is not None:
            return refused
        lease = self._leases.take(key, now_ms)
        if lease is not None:
            return served(policy, lease, now_ms)
        wanted, size = self._leases.sizes(key, now_ms)
        lease_ms = LEASE_MS if wanted > 1 else 0
        granted, counted, oldest, newest = take(policy, subject, now_ms, wanted, lease_ms)
        if not granted:
            self._refusals.remember(policy, key, oldest, newest, now_ms)
            return sliding_window_decision(policy, False, counted, oldest, newest, now_ms)
        lease = Lease(
            started=now_ms, ends=now_ms + lease_ms, granted=granted, counted=counted,
            oldest=oldest, newest=newest, room=policy.limit - counted, size=size,
        )
        self._leases.keep(key, lease)
        return served(policy, lease, now_ms)

"""Leadership for the one periodic process that may run at a time.

The Redis lock is a key holding this process's token with a time to live; the holder renews
it on every tick and loses it if it stops ticking, so a crashed scheduler is replaced after
at most one time-to-live.
"""

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis import Redis

LOCK_KEY = "itmj:scheduler:leader"

# Renew only our own lock: compare the token and extend in one atomic step.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisLeaderLock:
    def __init__(self, redis: "Redis", ttl_ms: int = 10_000, key: str = LOCK_KEY) -> None:
        self._redis = redis
        self._ttl_ms = ttl_ms
        self._key = key
        self._token = uuid.uuid4().hex
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    def hold(self) -> bool:
        """Take or keep the lock; True while this process leads."""
        if self._renew(keys=[self._key], args=[self._token, self._ttl_ms]):
            return True
        return bool(self._redis.set(self._key, self._token, nx=True, px=self._ttl_ms))

    def release(self) -> None:
        self._release(keys=[self._key], args=[self._token])


class ProcessLeaderLock:
    """Without a shared store there is one process, and it leads."""

    def hold(self) -> bool:
        return True

    def release(self) -> None:
        return None

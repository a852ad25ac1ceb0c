"""Portal sessions in Redis, shared by every server process, forgotten by Redis itself when
their time is up."""

import math
from datetime import timedelta

from redis import Redis

from itmj_adapters import session_encoding
from itmj_domain.sessions import PortalSession

_PREFIX = "itmj:portal-session:"


class RedisSessionStore:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    def get(self, session_id: str) -> PortalSession | None:
        raw = self._redis.get(_key(session_id))
        return None if raw is None else session_encoding.decode(session_id, raw)

    def put(self, session: PortalSession, ttl: timedelta) -> None:
        milliseconds = max(1, math.ceil(ttl.total_seconds() * 1000))
        self._redis.set(_key(session.id), session_encoding.encode(session), px=milliseconds)

    def delete(self, session_id: str) -> None:
        self._redis.delete(_key(session_id))


def _key(session_id: str) -> str:
    return _PREFIX + session_encoding.stored_id(session_id)

"""Portal sessions in this process's memory: the store when there is no Redis (one server
process, as the in-memory backend is)."""

import threading
import time
from datetime import timedelta

from itmj_domain.sessions import PortalSession

# Forgetting ended sessions costs a walk over all of them, so it is done now and then.
_SWEEP_EVERY = 256


class MemorySessionStore:
    def __init__(self) -> None:
        self._sessions: dict[str, tuple[PortalSession, float]] = {}
        self._lock = threading.Lock()
        self._puts = 0

    def get(self, session_id: str) -> PortalSession | None:
        with self._lock:
            found = self._sessions.get(session_id)
        if found is None or found[1] <= time.monotonic():
            return None
        return found[0]

    def put(self, session: PortalSession, ttl: timedelta) -> None:
        deadline = time.monotonic() + ttl.total_seconds()
        with self._lock:
            self._sessions[session.id] = (session, deadline)
            self._puts += 1
            if self._puts % _SWEEP_EVERY == 0:
                self._forget_ended()

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _forget_ended(self) -> None:
        now = time.monotonic()
        for session_id in [k for k, (_, deadline) in self._sessions.items() if deadline <= now]:
            del self._sessions[session_id]

"""Where API key uses go to become ``lastUsedAt`` (SPEC §3: coalesced, at most about once a
second per key, never a database write per request).

On PostgreSQL, ``CoalescedKeyUse`` keeps the latest use of each key in memory and a background
thread writes them every second in one round trip, so a busy key costs one UPDATE a second
per process however many requests it makes, and ``itmj key list`` is at most about a second
behind. What is pending is written when the services close (a gunicorn worker exiting) and,
for a process that ends without closing them, at interpreter exit. In memory a use is written
at once: that is a dict assignment, not a statement.
"""

import atexit
import logging
import threading
from datetime import datetime

from itmj_domain.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

FLUSH_EVERY_SECONDS = 1.0


class ImmediateKeyUse:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def record(self, key_id: int, at: datetime) -> None:
        with self._uow() as uow:
            uow.api_keys.touch(key_id, at)
            uow.commit()

    def flush(self) -> None:
        """Nothing is ever pending."""


class DiscardedKeyUse:
    """For bench/http only (ITMJ_BENCH_NO_LAST_USED=1): what the API costs without it."""

    def record(self, key_id: int, at: datetime) -> None:
        """Forgotten."""

    def flush(self) -> None:
        """Nothing is ever pending."""


class CoalescedKeyUse:
    def __init__(
        self, uow: UnitOfWorkFactory, flush_every: float = FLUSH_EVERY_SECONDS
    ) -> None:
        self._uow = uow
        self._flush_every = flush_every
        self._lock = threading.Lock()
        self._pending: dict[int, datetime] = {}
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        atexit.register(self.close)

    def record(self, key_id: int, at: datetime) -> None:
        with self._lock:
            known = self._pending.get(key_id)
            if known is None or known < at:
                self._pending[key_id] = at
            if self._thread is None:
                # Started with the first use, in the process that serves: a thread started
                # before a fork would not run in the child.
                self._thread = threading.Thread(
                    target=self._run, name="itmj-key-use", daemon=True
                )
                self._thread.start()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        if not pending:
            return
        try:
            with self._uow() as uow:
                uow.api_keys.touch_many(pending)
                uow.commit()
        except Exception:
            # Kept for the next round: a database outage delays lastUsedAt, it loses nothing.
            with self._lock:
                for key_id, at in pending.items():
                    known = self._pending.get(key_id)
                    if known is None or known < at:
                        self._pending[key_id] = at
            raise

    def close(self) -> None:
        """Stop the thread and write what is pending; closing twice is harmless."""
        atexit.unregister(self.close)
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join()
        try:
            self.flush()
        except Exception:
            log.exception("could not write the last uses of API keys before closing")

    def _run(self) -> None:
        while not self._stop.wait(self._flush_every):
            try:
                self.flush()
            except Exception:
                log.exception("could not write the last uses of API keys; retrying")

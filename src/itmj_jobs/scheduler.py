"""The periodic process: the outbox and delivery sweep, job expiry, and forgetting idempotency
keys past their 24 hours (``PeriodicWork``, which ``itmj_adapters.testing.run_due`` runs once).

Tasks are only nudges; this sweep — a dispatch asked for every second — is what guarantees
that an event whose nudge was lost, a retry that fell due, or a delivery whose worker died
mid-flight is still delivered. Exactly one scheduler works at a time: each tick first takes or
renews the leader lock, and a follower just waits.
"""

import logging
import threading
import time

import attrs

from itmj_adapters.composition import Services
from itmj_domain.ports import LeaderLock

log = logging.getLogger(__name__)


@attrs.define
class Scheduler:
    services: Services
    lock: LeaderLock
    sweep_every: float = 1.0
    expire_every: float = 60.0
    _next_expiry: float = 0.0
    _leading: bool | None = None

    def tick(self, monotonic_now: float) -> bool:
        """One round of periodic work; False when another process leads."""
        leading = self.lock.hold()
        if leading != self._leading:
            log.info("leadership " + ("taken" if leading else "held elsewhere"),
                     extra={"leader": leading})
            self._leading = leading
        if not leading:
            return False
        work = self.services.periodic_work
        if monotonic_now >= self._next_expiry:
            expired = work.expire()
            self._next_expiry = monotonic_now + self.expire_every
            log.info("expiry sweep", extra={
                "expired_jobs": len(expired.jobs),
                "expired_idempotency_keys": expired.idempotency_keys,
            })
        work.sweep()
        return True

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    self.tick(time.monotonic())
                except Exception:
                    log.exception("scheduler tick failed; retrying next tick")
                stop.wait(self.sweep_every)
        finally:
            self.lock.release()
            if self._leading:
                log.info("leadership released", extra={"leader": False})

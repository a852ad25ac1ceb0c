"""The work nobody asks for: expiring jobs past their date, forgetting idempotency keys past
their 24 hours, and sweeping the outbox and the deliveries that are due (first attempts whose
task was lost, retries that fell due, deliveries whose worker died mid-flight).

The scheduler runs it on a timer (expiry every minute, the sweep every second); an embedder's
tests run it once, after moving their clock, with ``itmj_adapters.testing.run_due``. Both go
through here, so what a test runs is what production runs.
"""

from collections.abc import Sequence

import attrs

from itmj_domain.jobs import JobPost
from itmj_domain.ports import TaskQueue
from itmj_domain.services.idempotency import IdempotencyExpiry
from itmj_domain.services.job_expiry import JobExpiry


@attrs.frozen
class Expired:
    jobs: Sequence[JobPost]
    idempotency_keys: int


@attrs.frozen
class PeriodicWork:
    job_expiry: JobExpiry
    idempotency_expiry: IdempotencyExpiry
    tasks: TaskQueue

    def expire(self) -> Expired:
        """Expire the jobs whose date has passed (each fires ``job.expired``) and forget the
        idempotency keys past their 24 hours."""
        jobs = self.job_expiry.expire_due()
        return Expired(jobs, self.idempotency_expiry.expire())

    def sweep(self) -> None:
        """Relay the outbox and send every delivery that is due, through the task queue: a
        worker's job with RQ, done at once in this process with the synchronous queue."""
        self.tasks.dispatch()

    def run_once(self) -> Expired:
        """Everything periodic, once: the expiry, then the sweep (which delivers the
        ``job.expired`` events the expiry just fired)."""
        expired = self.expire()
        self.sweep()
        return expired

"""The platform expires Active jobs whose expiry date has passed (SPEC §5)."""

from collections.abc import Sequence

import attrs

from itmj_domain.clock import Clock
from itmj_domain.events import Event, JobExpired
from itmj_domain.jobs import JobPost
from itmj_domain.ports import TaskQueue, UnitOfWorkFactory


@attrs.frozen
class JobExpiry:
    uow: UnitOfWorkFactory
    clock: Clock
    tasks: TaskQueue

    def expire_due(self, limit: int = 500) -> Sequence[JobPost]:
        """Expire what is due, each job with its ``job.expired`` event in the same
        transaction; returns the jobs it expired."""
        now = self.clock.now()
        with self.uow() as uow:
            expired = [job.expire(now) for job in uow.jobs.due_to_expire(now, limit)]
            # Employer by employer: numbering an event holds its employer's sequence until
            # commit, and every writer taking them in one order cannot deadlock.
            expired.sort(key=lambda job: (job.employer_id, job.id))
            for job in expired:
                uow.jobs.save(job)
                uow.outbox.add(Event.record(
                    job.employer_id, now, JobExpired(job.id, now, job.content.reference)
                ))
            uow.commit()
        if expired:
            self.tasks.dispatch()
        return expired

"""The Job Posting use cases of SPEC §5, always scoped to the calling employer."""

from datetime import datetime
from typing import Generic, TypeVar

import attrs

from itmj_domain.clock import Clock
from itmj_domain.credits import Charge, CreditKind, EntryReason
from itmj_domain.errors import NotFound
from itmj_domain.job_versions import IfMatch
from itmj_domain.jobs import ContentChanges, JobContent, JobPost, JobStatus
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import NO_METRICS, Metrics, UnitOfWork, UnitOfWorkFactory
from itmj_domain.services.credits import charge
from itmj_domain.services.idempotency import Idempotent, claim, complete

T = TypeVar("T")


@attrs.frozen
class Paid(Generic[T]):
    """The outcome of a paid action with what it cost and left (``Credits-Charged`` and
    ``Credits-Remaining`` at the edge)."""

    value: T
    charge: Charge


@attrs.frozen
class JobPosting:
    uow: UnitOfWorkFactory
    clock: Clock
    metrics: Metrics = NO_METRICS

    def create(
        self, employer_id: int, content: JobContent, once: Idempotent[JobPost] | None = None
    ) -> JobPost:
        now = self.clock.now()
        with self.uow() as uow:
            claim(uow, once, now)
            job = JobPost.draft(uow.jobs.next_id(), employer_id, content, now)
            uow.jobs.add(job)
            complete(uow, once, job)
            uow.commit()
        return job

    def get(self, employer_id: int, job_id: int) -> JobPost:
        with self.uow(read_only=True) as uow:
            return _job(uow, employer_id, job_id)

    def list(
        self, employer_id: int, status: JobStatus | None, page: PageRequest, *,
        reference: str | None = None, updated_since: datetime | None = None,
    ) -> Page[JobPost]:
        with self.uow(read_only=True) as uow:
            return uow.jobs.list(
                employer_id, status, page, reference=reference, updated_since=updated_since
            )

    def edit(
        self, employer_id: int, job_id: int, changes: ContentChanges,
        expiry_date: datetime | None = None, if_match: IfMatch | None = None,
    ) -> JobPost:
        """Change content, and an Active job's expiry date, free of charge."""
        with self.uow() as uow:
            job = _job_to_change(uow, employer_id, job_id, if_match).edit(
                changes, self.clock.now(), expiry_date
            )
            uow.jobs.save(job)
            uow.commit()
        return job

    def publish(
        self, employer_id: int, job_id: int, expiry_date: datetime | None = None,
        if_match: IfMatch | None = None,
    ) -> JobPost:
        """Draft → Active, or an Expired or Inactive job relisted, paid with one JobPosting
        credit in the same transaction either way."""
        return self.publish_paid(employer_id, job_id, expiry_date, if_match=if_match).value

    def publish_paid(
        self, employer_id: int, job_id: int, expiry_date: datetime | None = None,
        once: Idempotent[Paid[JobPost]] | None = None, if_match: IfMatch | None = None,
    ) -> Paid[JobPost]:
        """``publish``, with what it cost and the balance it left."""
        now = self.clock.now()
        with self.uow() as uow:
            claim(uow, once, now)
            job = _job_to_change(uow, employer_id, job_id, if_match).publish(now, expiry_date)
            paid = charge(uow, employer_id, CreditKind.JOB_POSTING, EntryReason.JOB_PUBLISH,
                          f"job:{job.id}", now, self.metrics)
            uow.jobs.save(job)
            published = Paid(job, paid)
            complete(uow, once, published)
            uow.commit()
        self.metrics.credits_debited(paid.kind, paid.charged)
        return published

    def deactivate(
        self, employer_id: int, job_id: int, if_match: IfMatch | None = None
    ) -> JobPost:
        with self.uow() as uow:
            job = _job_to_change(uow, employer_id, job_id, if_match).deactivate(self.clock.now())
            uow.jobs.save(job)
            uow.commit()
        return job


def _job(uow: UnitOfWork, employer_id: int, job_id: int, *, for_update: bool = False) -> JobPost:
    return found_job(uow.jobs.get(employer_id, job_id, for_update=for_update), job_id)


def found_job(job: JobPost | None, job_id: int) -> JobPost:
    """The job an employer asked for by id, or the one answer for any other employer's and
    for none at all."""
    if job is None:
        raise NotFound(f"job {job_id} not found")
    return job


def _job_to_change(
    uow: UnitOfWork, employer_id: int, job_id: int, if_match: IfMatch | None
) -> JobPost:
    """The job, locked until the write commits, and still the version the caller named
    (``if_match``), checked under that lock so nothing can change it in between."""
    job = _job(uow, employer_id, job_id, for_update=True)
    if if_match is not None:
        if_match.check(job)
    return job

"""In-memory job posts."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.memory.paging import newest_first_page
from itmj_adapters.memory.store import Transaction
from itmj_domain.jobs import JobPost, JobStatus, OpenJobSearch
from itmj_domain.pagination import Page, PageRequest


class MemoryJobs:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("jobs")

    def add(self, job: JobPost) -> None:
        self._tx.put("jobs", job.id, job)

    def get(self, employer_id: int, job_id: int, *, for_update: bool = False) -> JobPost | None:
        job = self._tx.table("jobs").get(job_id)
        return job if job is not None and job.employer_id == employer_id else None

    def find(self, job_id: int) -> JobPost | None:
        return self._tx.table("jobs").get(job_id)

    def save(self, job: JobPost) -> None:
        self._tx.put("jobs", job.id, job)

    def list(
        self, employer_id: int, status: JobStatus | None, page: PageRequest, *,
        reference: str | None = None, updated_since: datetime | None = None,
    ) -> Page[JobPost]:
        matching = [
            job
            for job in self._tx.table("jobs").values()
            if job.employer_id == employer_id
            and (status is None or job.status is status)
            and (reference is None or job.content.reference == reference)
            and (updated_since is None or job.updated_at >= updated_since)
        ]
        return newest_first_page(matching, lambda job: job.position, page)

    def due_to_expire(self, now: datetime, limit: int) -> Sequence[JobPost]:
        due = sorted(
            (job for job in self._tx.table("jobs").values() if job.is_due_to_expire(now)),
            key=lambda job: (job.expiry_date, job.id),
        )
        return due[:limit]

    def list_open(
        self, now: datetime, search: OpenJobSearch, page: PageRequest
    ) -> Page[JobPost]:
        matching = sorted(
            (
                job
                for job in self._tx.table("jobs").values()
                if job.is_open(now) and search.matches(job)
            ),
            key=lambda job: (job.posted_date, job.id),
            reverse=True,
        )
        return Page(matching[page.offset : page.offset + page.page_size], len(matching), page)

    def open_countries(self, now: datetime) -> Sequence[str]:
        countries = {
            job.content.country
            for job in self._tx.table("jobs").values()
            if job.is_open(now) and job.content.country is not None
        }
        return sorted(countries, key=lambda country: (country.lower(), country))

"""In-memory applications."""

from datetime import datetime

from itmj_adapters.memory.paging import newest_first_page
from itmj_adapters.memory.store import Transaction
from itmj_domain.applications import Application, ApplicationStatus
from itmj_domain.pagination import Page, PageRequest


class MemoryApplications:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("applications")

    def add(self, application: Application) -> None:
        self._tx.put("applications", application.id, application)

    def get(self, application_id: int, *, for_update: bool = False) -> Application | None:
        return self._tx.table("applications").get(application_id)

    def save(self, application: Application) -> None:
        self._tx.put("applications", application.id, application)

    def find_for_candidate(self, job_id: int, candidate_id: int) -> Application | None:
        return min(
            (
                a
                for a in self._tx.table("applications").values()
                if a.job_id == job_id and a.candidate_id == candidate_id
            ),
            key=lambda a: (a.applied_at, a.id),
            default=None,
        )

    def list_for_job(
        self, employer_id: int, job_id: int, status: ApplicationStatus | None, page: PageRequest,
        *, updated_since: datetime | None = None,
    ) -> Page[Application]:
        matching = [
            a
            for a in self._tx.table("applications").values()
            if a.employer_id == employer_id
            and a.job_id == job_id
            and (status is None or a.status is status)
            and (updated_since is None or a.last_changed >= updated_since)
        ]
        return newest_first_page(matching, lambda a: a.position, page)

"""Applications in PostgreSQL."""

from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.paging import newest_first
from itmj_adapters.postgres.session import Session
from itmj_domain.applications import Application, ApplicationStatus
from itmj_domain.pagination import Page, PageRequest

_INSERT = (
    f"INSERT INTO applications ({rows.APPLICATION_COLUMNS})"
    f" VALUES ({rows.APPLICATION_PLACEHOLDERS})"
)
_MUTABLE = [c for c in rows.APPLICATION_COLUMNS.split(", ") if c not in ("id", "employer_id")]
_SAVE = f"""
INSERT INTO applications ({rows.APPLICATION_COLUMNS}) VALUES ({rows.APPLICATION_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE)}
"""
_SELECT = f"SELECT {rows.APPLICATION_COLUMNS} FROM applications WHERE id = %s"
_SELECT_FOR_UPDATE = f"{_SELECT} FOR UPDATE"
_FOR_CANDIDATE = f"""
SELECT {rows.APPLICATION_COLUMNS} FROM applications
WHERE job_id = %s AND candidate_id = %s
ORDER BY applied_at, id LIMIT 1
"""


class PostgresApplications:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("applications_id_seq")

    def add(self, application: Application) -> None:
        self._session.write(_INSERT, rows.application_row(application))

    def get(self, application_id: int, *, for_update: bool = False) -> Application | None:
        row = self._session.one(_SELECT_FOR_UPDATE if for_update else _SELECT, (application_id,))
        return None if row is None else rows.application(row)

    def save(self, application: Application) -> None:
        self._session.write(_SAVE, rows.application_row(application))

    def find_for_candidate(self, job_id: int, candidate_id: int) -> Application | None:
        row = self._session.one(_FOR_CANDIDATE, (job_id, candidate_id))
        return None if row is None else rows.application(row)

    def list_for_job(
        self, employer_id: int, job_id: int, status: ApplicationStatus | None, page: PageRequest,
        *, updated_since: datetime | None = None,
    ) -> Page[Application]:
        where, params = ["job_id = %s", "employer_id = %s"], list[object]([job_id, employer_id])
        if status is not None:
            where.append("status = %s")
            params.append(status.value)
        if updated_since is not None:
            where.append("coalesce(updated_at, applied_at) >= %s")
            params.append(updated_since)
        found, total, skipped, more = newest_first(
            self._session, "applications", rows.APPLICATION_COLUMNS, "applied_at",
            tuple(where), tuple(params), page,
        )
        return Page([rows.application(row) for row in found], total, page, skipped, more)

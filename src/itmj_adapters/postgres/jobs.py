"""Job posts in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.paging import newest_first
from itmj_adapters.postgres.session import Session
from itmj_domain.jobs import JobPost, JobStatus, OpenJobSearch
from itmj_domain.pagination import Page, PageRequest

_INSERT = f"INSERT INTO job_posts ({rows.JOB_COLUMNS}) VALUES ({rows.JOB_PLACEHOLDERS})"
_MUTABLE = [c for c in rows.JOB_COLUMNS.split(", ") if c not in ("id", "employer_id")]
_SAVE = f"""
INSERT INTO job_posts ({rows.JOB_COLUMNS}) VALUES ({rows.JOB_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE)}
"""
_SELECT = f"SELECT {rows.JOB_COLUMNS} FROM job_posts WHERE id = %s AND employer_id = %s"
_SELECT_FOR_UPDATE = f"{_SELECT} FOR UPDATE"
_FIND = f"SELECT {rows.JOB_COLUMNS} FROM job_posts WHERE id = %s"
# Locked so that the unit of work expiring them owns them until it commits; SKIP LOCKED lets
# a concurrent sweep take the next ones instead of waiting to find these already expired.
_DUE_TO_EXPIRE = f"""
SELECT {rows.JOB_COLUMNS} FROM job_posts
WHERE status = 'Active' AND expiry_date <= %s
ORDER BY expiry_date, id LIMIT %s
FOR UPDATE SKIP LOCKED
"""

# The public list: ``OpenJobSearch.matches`` in SQL. LIKE ALL of no pattern holds, and the
# words arrive lower-cased with LIKE's wildcards escaped.
_OPEN = """
status = 'Active' AND expiry_date > %s
AND lower(title || ' ' || description) LIKE ALL (%s::text[])
AND (%s::text IS NULL OR lower(country) = lower(%s))
"""
_LIST_OPEN = f"""
SELECT count(*) OVER (), {rows.JOB_COLUMNS} FROM job_posts WHERE {_OPEN}
ORDER BY posted_date DESC, id DESC LIMIT %s OFFSET %s
"""
_COUNT_OPEN = f"SELECT count(*) FROM job_posts WHERE {_OPEN}"
# Character by character, as the in-memory adapter sorts: the database's collation would
# order by language rules instead.
_OPEN_COUNTRIES = """
SELECT country FROM job_posts
WHERE status = 'Active' AND expiry_date > %s AND country IS NOT NULL
GROUP BY country
ORDER BY lower(country) COLLATE "C", country COLLATE "C"
"""


class PostgresJobs:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("job_posts_id_seq")

    def add(self, job: JobPost) -> None:
        self._session.write(_INSERT, rows.job_row(job))

    def get(self, employer_id: int, job_id: int, *, for_update: bool = False) -> JobPost | None:
        query = _SELECT_FOR_UPDATE if for_update else _SELECT
        row = self._session.one(query, (job_id, employer_id))
        return None if row is None else rows.job(row)

    def find(self, job_id: int) -> JobPost | None:
        row = self._session.one(_FIND, (job_id,))
        return None if row is None else rows.job(row)

    def save(self, job: JobPost) -> None:
        self._session.write(_SAVE, rows.job_row(job))

    def list(
        self, employer_id: int, status: JobStatus | None, page: PageRequest, *,
        reference: str | None = None, updated_since: datetime | None = None,
    ) -> Page[JobPost]:
        where, params = ["employer_id = %s"], list[object]([employer_id])
        for condition, value in (
            ("status = %s", None if status is None else status.value),
            ("reference = %s", reference),
            ("updated_at >= %s", updated_since),
        ):
            if value is not None:
                where.append(condition)
                params.append(value)
        found, total, skipped, more = newest_first(
            self._session, "job_posts", rows.JOB_COLUMNS, "created_at", tuple(where),
            tuple(params), page,
        )
        return Page([rows.job(row) for row in found], total, page, skipped, more)

    def due_to_expire(self, now: datetime, limit: int) -> Sequence[JobPost]:
        return [rows.job(row) for row in self._session.all(_DUE_TO_EXPIRE, (now, limit))]

    def list_open(
        self, now: datetime, search: OpenJobSearch, page: PageRequest
    ) -> Page[JobPost]:
        patterns = [f"%{_escaped(word)}%" for word in search.words]
        where = (now, patterns, search.country, search.country)
        found, total = self._session.page(
            _LIST_OPEN, _COUNT_OPEN, where, page.page_size, page.offset
        )
        return Page([rows.job(row) for row in found], total, page)

    def open_countries(self, now: datetime) -> Sequence[str]:
        return [row[0] for row in self._session.all(_OPEN_COUNTRIES, (now,))]


def _escaped(word: str) -> str:
    """``word`` matched literally by LIKE, whose escape character is the backslash."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

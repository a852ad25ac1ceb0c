"""Candidates and unlocks in PostgreSQL."""

from collections.abc import Sequence

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.accounts import same_email
from itmj_domain.candidates import Candidate
from itmj_domain.unlocks import UNLOCK_WINDOW, Unlock

_INSERT = (
    f"INSERT INTO candidates ({rows.CANDIDATE_COLUMNS}) VALUES ({rows.CANDIDATE_PLACEHOLDERS})"
)
# Text COPY: the binary form would need each column's exact type (bigint, not int).
_COPY = f"COPY candidates ({rows.CANDIDATE_COLUMNS}) FROM STDIN"
_MUTABLE = [c for c in rows.CANDIDATE_COLUMNS.split(", ") if c != "id"]
_SAVE = f"""
INSERT INTO candidates ({rows.CANDIDATE_COLUMNS}) VALUES ({rows.CANDIDATE_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE)}
"""
# Every row in one parameter, so that the batch is one statement (and one firing of the change
# log's statement triggers) however many rows it holds; the table's row type reads the JSON.
_SAVE_MANY = f"""
INSERT INTO candidates ({rows.CANDIDATE_COLUMNS})
SELECT {rows.CANDIDATE_COLUMNS} FROM jsonb_populate_recordset(NULL::candidates, %s::jsonb)
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE)}
"""
_SELECT = f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE id = %s"
_SELECT_MANY = f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE id = ANY(%s)"
_SELECT_BY_EXTERNAL_ID = f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE external_id = %s"
_SELECT_BY_EXTERNAL_IDS = (
    f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE external_id = ANY(%s::text[])"
)
_NEXT_IDS = "SELECT nextval('candidates_id_seq') FROM generate_series(1, %s) ORDER BY 1"
_SELECT_BY_EMAIL = f"""
SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE lower(email) = %s ORDER BY id LIMIT 1
"""
_SELECT_BATCH = f"""
SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE id > %s ORDER BY id LIMIT %s
"""


class PostgresCandidates:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("candidates_id_seq")

    def next_ids(self, count: int) -> Sequence[int]:
        return [row[0] for row in self._session.all(_NEXT_IDS, (count,))] if count else []

    def add(self, candidate: Candidate) -> None:
        self._session.write(_INSERT, rows.candidate_row(candidate))

    def add_many(self, candidates: Sequence[Candidate]) -> None:
        self._session.copy_rows(_COPY, [rows.candidate_row(c) for c in candidates])

    def save(self, candidate: Candidate) -> None:
        self._session.write(_SAVE, rows.candidate_row(candidate))

    def save_many(self, candidates: Sequence[Candidate]) -> None:
        if candidates:
            self._session.write(_SAVE_MANY, (rows.candidates_json(candidates),))

    def get(self, candidate_id: int) -> Candidate | None:
        row = self._session.one(_SELECT, (candidate_id,))
        return None if row is None else rows.candidate(row)

    def get_many(self, candidate_ids: Sequence[int]) -> Sequence[Candidate]:
        return [rows.candidate(row)
                for row in self._session.all(_SELECT_MANY, (list(candidate_ids),))]

    def find_by_external_id(self, external_id: str) -> Candidate | None:
        row = self._session.one(_SELECT_BY_EXTERNAL_ID, (external_id,))
        return None if row is None else rows.candidate(row)

    def find_by_external_ids(self, external_ids: Sequence[str]) -> Sequence[Candidate]:
        found = self._session.all(_SELECT_BY_EXTERNAL_IDS, (list(external_ids),))
        return [rows.candidate(row) for row in found]

    def find_by_email(self, email: str) -> Candidate | None:
        row = self._session.one(_SELECT_BY_EMAIL, (same_email(email),))
        return None if row is None else rows.candidate(row)

    def batch_after(self, after_id: int, limit: int) -> Sequence[Candidate]:
        return [rows.candidate(row) for row in self._session.all(_SELECT_BATCH, (after_id, limit))]


# A window still active at the new unlock's time is kept; under a concurrent open, the later
# statement waits for the earlier one's row and then sees its window as active.
_OPEN_UNLOCK = f"""
INSERT INTO unlocks ({rows.UNLOCK_COLUMNS}) VALUES (%s, %s, %s)
ON CONFLICT (employer_id, candidate_id) DO UPDATE SET unlocked_at = excluded.unlocked_at
WHERE unlocks.unlocked_at <= %s
RETURNING {rows.UNLOCK_COLUMNS}
"""
_SELECT_UNLOCK = f"""
SELECT {rows.UNLOCK_COLUMNS} FROM unlocks WHERE employer_id = %s AND candidate_id = %s
"""
_SELECT_UNLOCKS = f"""
SELECT {rows.UNLOCK_COLUMNS} FROM unlocks WHERE employer_id = %s AND candidate_id = ANY(%s)
"""


class PostgresUnlocks:
    def __init__(self, session: Session) -> None:
        self._session = session

    def open_window(self, unlock: Unlock) -> tuple[Unlock, bool]:
        expired_by = unlock.unlocked_at - UNLOCK_WINDOW
        opened = self._session.write_all(_OPEN_UNLOCK, (*rows.unlock_row(unlock), expired_by))
        if opened:
            return rows.unlock(opened[0]), True
        row = self._session.one(_SELECT_UNLOCK, (unlock.employer_id, unlock.candidate_id))
        assert row is not None, "the conflicting window exists: its row was just locked"
        return rows.unlock(row), False

    def latest(self, employer_id: int, candidate_ids: Sequence[int]) -> dict[int, Unlock]:
        found = self._session.all(_SELECT_UNLOCKS, (employer_id, list(candidate_ids)))
        return {unlock.candidate_id: unlock for unlock in map(rows.unlock, found)}

"""Candidates and unlocks in PostgreSQL."""

from collections.abc import Sequence

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.candidates import Candidate
from itmj_domain.unlocks import Unlock

_INSERT = (
    f"INSERT INTO candidates ({rows.CANDIDATE_COLUMNS}) VALUES ({rows.CANDIDATE_PLACEHOLDERS})"
)
_MUTABLE = [c for c in rows.CANDIDATE_COLUMNS.split(", ") if c != "id"]
_SAVE = f"""
INSERT INTO candidates ({rows.CANDIDATE_COLUMNS}) VALUES ({rows.CANDIDATE_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in _MUTABLE)}
"""
_SELECT = f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE id = %s"
_SELECT_BY_EXTERNAL_ID = f"SELECT {rows.CANDIDATE_COLUMNS} FROM candidates WHERE external_id = %s"


class PostgresCandidates:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("candidates_id_seq")

    def add(self, candidate: Candidate) -> None:
        self._session.write(_INSERT, rows.candidate_row(candidate))

    def save(self, candidate: Candidate) -> None:
        self._session.write(_SAVE, rows.candidate_row(candidate))

    def get(self, candidate_id: int) -> Candidate | None:
        row = self._session.one(_SELECT, (candidate_id,))
        return None if row is None else rows.candidate(row)

    def find_by_external_id(self, external_id: str) -> Candidate | None:
        row = self._session.one(_SELECT_BY_EXTERNAL_ID, (external_id,))
        return None if row is None else rows.candidate(row)


# An older unlock arriving late (a retried request) must not shorten the window.
_ADD_UNLOCK = f"""
INSERT INTO unlocks ({rows.UNLOCK_COLUMNS}) VALUES (%s, %s, %s)
ON CONFLICT (employer_id, candidate_id) DO UPDATE SET unlocked_at = excluded.unlocked_at
WHERE unlocks.unlocked_at < excluded.unlocked_at
"""
_SELECT_UNLOCKS = f"""
SELECT {rows.UNLOCK_COLUMNS} FROM unlocks WHERE employer_id = %s AND candidate_id = ANY(%s)
"""


class PostgresUnlocks:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, unlock: Unlock) -> None:
        self._session.write(_ADD_UNLOCK, rows.unlock_row(unlock))

    def latest(self, employer_id: int, candidate_ids: Sequence[int]) -> dict[int, Unlock]:
        found = self._session.all(_SELECT_UNLOCKS, (employer_id, list(candidate_ids)))
        return {unlock.candidate_id: unlock for unlock in map(rows.unlock, found)}

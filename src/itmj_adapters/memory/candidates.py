"""In-memory candidates."""

import heapq
from collections.abc import Sequence

from itmj_adapters.memory.store import Transaction
from itmj_domain.accounts import same_email
from itmj_domain.candidates import Candidate
from itmj_domain.unlocks import Unlock


class MemoryCandidates:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("candidates")

    def next_ids(self, count: int) -> Sequence[int]:
        return [self.next_id() for _ in range(count)]

    def add(self, candidate: Candidate) -> None:
        self._tx.put("candidates", candidate.id, candidate)
        self._tx.put("candidate_external_ids", candidate.external_id, candidate.id)

    def add_many(self, candidates: Sequence[Candidate]) -> None:
        for candidate in candidates:
            self.add(candidate)

    def save(self, candidate: Candidate) -> None:
        self.add(candidate)

    def save_many(self, candidates: Sequence[Candidate]) -> None:
        self.add_many(candidates)

    def get(self, candidate_id: int) -> Candidate | None:
        return self._tx.table("candidates").get(candidate_id)

    def get_many(self, candidate_ids: Sequence[int]) -> Sequence[Candidate]:
        candidates = self._tx.table("candidates")
        return [candidates[cid] for cid in set(candidate_ids) if cid in candidates]

    def find_by_external_id(self, external_id: str) -> Candidate | None:
        candidate_id = self._tx.table("candidate_external_ids").get(external_id)
        return None if candidate_id is None else self.get(candidate_id)

    def find_by_external_ids(self, external_ids: Sequence[str]) -> Sequence[Candidate]:
        known = self._tx.table("candidate_external_ids")
        ids = [known[external_id] for external_id in set(external_ids) if external_id in known]
        return self.get_many(ids)

    def find_by_email(self, email: str) -> Candidate | None:
        wanted = same_email(email)
        return min(
            (c for c in self._tx.table("candidates").values() if c.email.lower() == wanted),
            key=lambda c: c.id,
            default=None,
        )

    def batch_after(self, after_id: int, limit: int) -> Sequence[Candidate]:
        candidates = self._tx.table("candidates")
        ids = heapq.nsmallest(limit, (cid for cid in candidates if cid > after_id))
        return [candidates[cid] for cid in ids]


class MemoryUnlocks:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def open_window(self, unlock: Unlock) -> tuple[Unlock, bool]:
        key = (unlock.employer_id, unlock.candidate_id)
        current = self._tx.table("unlocks").get(key)
        # A window opened later than this unlock (a late retry) also stays.
        if current is not None and current.until > unlock.unlocked_at:
            return current, False
        self._tx.put("unlocks", key, unlock)
        return unlock, True

    def latest(self, employer_id: int, candidate_ids: Sequence[int]) -> dict[int, Unlock]:
        unlocks = self._tx.table("unlocks")
        found = {cid: unlocks.get((employer_id, cid)) for cid in candidate_ids}
        return {cid: unlock for cid, unlock in found.items() if unlock is not None}

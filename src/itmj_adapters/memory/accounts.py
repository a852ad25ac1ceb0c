"""In-memory employers, users and API keys."""

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from itmj_adapters.memory.credentials import PASSWORDS
from itmj_adapters.memory.jobs import MemoryJobs
from itmj_adapters.memory.people import MemoryPeople
from itmj_adapters.memory.store import Transaction
from itmj_domain.accounts import Employer, User, same_email
from itmj_domain.api_keys import ApiKey, KeyStatus
from itmj_domain.jobs import JobPost
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.principals import Principal, PrincipalKind


class MemoryEmployers:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("employers")

    def add(self, employer: Employer) -> None:
        self._tx.put("employers", employer.id, employer)

    def get(self, employer_id: int) -> Employer | None:
        return self._tx.table("employers").get(employer_id)

    def save(self, employer: Employer) -> None:
        self._tx.put("employers", employer.id, employer)

    def list(self, page: PageRequest) -> Page[Employer]:
        employers = sorted(self._tx.table("employers").values(), key=lambda e: e.id)
        return Page(employers[page.offset : page.offset + page.page_size], len(employers), page)


class MemoryUsers(MemoryPeople[User]):
    def __init__(self, tx: Transaction) -> None:
        super().__init__(tx, "users", "user_emails", "an account with this email already exists")

    def save(self, user: User) -> None:
        self._tx.put("users", user.id, user)

    def remove(self, user_id: int) -> None:
        user = self.get(user_id)
        if user is not None:
            self._tx.delete("user_emails", same_email(user.email))
        self._tx.delete(PASSWORDS, Principal(PrincipalKind.USER, user_id))
        self._tx.delete("users", user_id)
        # What PostgreSQL's ON DELETE SET NULL does to the rows that named the user.
        for table, field in (("api_keys", "created_by"), ("orders", "ordered_by"),
                             ("invitations", "invited_by")):
            for key, row in list(self._tx.table(table).items()):
                if getattr(row, field) == user_id:
                    self._tx.put(table, key, attrs.evolve(row, **{field: None}))

    def list_for_employer(self, employer_id: int) -> Sequence[User]:
        users = self._tx.table("users").values()
        return sorted((u for u in users if u.employer_id == employer_id), key=lambda u: u.id)

    def admins_of(self, employer_id: int, *, for_update: bool = False) -> Sequence[User]:
        return [u for u in self.list_for_employer(employer_id) if u.is_admin]


class MemoryApiKeys:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("api_keys")

    def add(self, key: ApiKey) -> None:
        self._tx.put("api_keys", key.id, key)
        self._tx.put("api_key_hashes", key.key_hash, key.id)

    def get(self, key_id: int) -> ApiKey | None:
        return self._tx.table("api_keys").get(key_id)

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        key_id = self._tx.table("api_key_hashes").get(key_hash)
        return None if key_id is None else self.get(key_id)

    def find_by_hash_with_job(
        self, key_hash: str, job_id: int
    ) -> tuple[ApiKey | None, JobPost | None]:
        key = self.find_by_hash(key_hash)
        if key is None:
            return None, None
        return key, MemoryJobs(self._tx).get(key.employer_id, job_id)

    def save(self, key: ApiKey) -> None:
        stored = self.get(key.id)
        last_used = stored.last_used_at if stored is not None else key.last_used_at
        self._tx.put("api_keys", key.id, attrs.evolve(key, last_used_at=last_used))

    def list_for_employer(self, employer_id: int) -> Sequence[ApiKey]:
        keys = self._tx.table("api_keys").values()
        return sorted((k for k in keys if k.employer_id == employer_id), key=lambda k: k.id)

    def touch_many(self, uses: Mapping[int, datetime]) -> None:
        for key_id, at in uses.items():
            self.touch(key_id, at)

    def pending(self, limit: int) -> Sequence[ApiKey]:
        keys = self._tx.table("api_keys").values()
        waiting = (k for k in keys if k.status is KeyStatus.PENDING_APPROVAL)
        return sorted(waiting, key=lambda k: (k.created_at, k.id))[:limit]

    def touch(self, key_id: int, at: datetime) -> None:
        key = self.get(key_id)
        if key is not None and (key.last_used_at is None or key.last_used_at < at):
            self._tx.put("api_keys", key_id, attrs.evolve(key, last_used_at=at))

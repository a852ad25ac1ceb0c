"""Employers, users and API keys in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey

_INSERT_EMPLOYER = (
    f"INSERT INTO employers ({rows.EMPLOYER_COLUMNS}) VALUES ({rows.EMPLOYER_PLACEHOLDERS})"
)
_SELECT_EMPLOYER = f"SELECT {rows.EMPLOYER_COLUMNS} FROM employers WHERE id = %s"


class PostgresEmployers:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("employers_id_seq")

    def add(self, employer: Employer) -> None:
        self._session.write(_INSERT_EMPLOYER, rows.employer_row(employer))

    def get(self, employer_id: int) -> Employer | None:
        row = self._session.one(_SELECT_EMPLOYER, (employer_id,))
        return None if row is None else rows.employer(row)


_INSERT_USER = f"INSERT INTO users ({rows.USER_COLUMNS}) VALUES ({rows.USER_PLACEHOLDERS})"
_SELECT_USER = f"SELECT {rows.USER_COLUMNS} FROM users WHERE id = %s"
_SELECT_USERS_WITH_ROLE = (
    f"SELECT {rows.USER_COLUMNS} FROM users WHERE employer_id = %s AND role = %s ORDER BY id"
)


class PostgresUsers:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("users_id_seq")

    def add(self, user: User) -> None:
        self._session.write(_INSERT_USER, rows.user_row(user))

    def get(self, user_id: int) -> User | None:
        row = self._session.one(_SELECT_USER, (user_id,))
        return None if row is None else rows.user(row)

    def admins_of(self, employer_id: int) -> Sequence[User]:
        found = self._session.all(
            _SELECT_USERS_WITH_ROLE, (employer_id, Role.EMPLOYER_ADMIN.value)
        )
        return [rows.user(row) for row in found]


_INSERT_API_KEY = (
    f"INSERT INTO api_keys ({rows.API_KEY_COLUMNS}) VALUES ({rows.API_KEY_PLACEHOLDERS})"
)
# Everything but last_used_at, which only touch() moves: a status change must not put back
# the older last-use time of the copy it was made from.
_SAVE_API_KEY = f"""
INSERT INTO api_keys ({rows.API_KEY_COLUMNS}) VALUES ({rows.API_KEY_PLACEHOLDERS})
ON CONFLICT (id) DO UPDATE SET
    name = excluded.name,
    scopes = excluded.scopes,
    status = excluded.status,
    expires_at = excluded.expires_at,
    approved_at = excluded.approved_at
"""
_SELECT_API_KEY = f"SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE id = %s"
_SELECT_API_KEY_BY_HASH = f"SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE key_hash = %s"
_SELECT_EMPLOYER_API_KEYS = (
    f"SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE employer_id = %s ORDER BY id"
)
_TOUCH_API_KEY = """
UPDATE api_keys SET last_used_at = %s
WHERE id = %s AND (last_used_at IS NULL OR last_used_at < %s)
"""


class PostgresApiKeys:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("api_keys_id_seq")

    def add(self, key: ApiKey) -> None:
        self._session.write(_INSERT_API_KEY, rows.api_key_row(key))

    def get(self, key_id: int) -> ApiKey | None:
        row = self._session.one(_SELECT_API_KEY, (key_id,))
        return None if row is None else rows.api_key(row)

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        row = self._session.one(_SELECT_API_KEY_BY_HASH, (key_hash,))
        return None if row is None else rows.api_key(row)

    def save(self, key: ApiKey) -> None:
        self._session.write(_SAVE_API_KEY, rows.api_key_row(key))

    def list_for_employer(self, employer_id: int) -> Sequence[ApiKey]:
        found = self._session.all(_SELECT_EMPLOYER_API_KEYS, (employer_id,))
        return [rows.api_key(row) for row in found]

    def touch(self, key_id: int, at: datetime) -> None:
        self._session.write(_TOUCH_API_KEY, (at, key_id, at))

"""Employers, users and API keys in PostgreSQL."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.hot_statement import HotStatement
from itmj_adapters.postgres.people import PeopleTable, PostgresPeople
from itmj_adapters.postgres.session import Session
from itmj_domain.accounts import Employer, Role, User
from itmj_domain.api_keys import ApiKey
from itmj_domain.jobs import JobPost
from itmj_domain.pagination import Page, PageRequest

_INSERT_EMPLOYER = (
    f"INSERT INTO employers ({rows.EMPLOYER_COLUMNS}) VALUES ({rows.EMPLOYER_PLACEHOLDERS})"
)
_SELECT_EMPLOYER = f"SELECT {rows.EMPLOYER_COLUMNS} FROM employers WHERE id = %s"
_SAVE_EMPLOYER = "UPDATE employers SET name = %s, trusted_partner = %s WHERE id = %s"
_LIST_EMPLOYERS = (
    f"SELECT count(*) OVER (), {rows.EMPLOYER_COLUMNS} FROM employers ORDER BY id"
    " LIMIT %s OFFSET %s"
)
_COUNT_EMPLOYERS = "SELECT count(*) FROM employers"


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

    def save(self, employer: Employer) -> None:
        self._session.write(
            _SAVE_EMPLOYER, (employer.name, employer.trusted_partner, employer.id)
        )

    def list(self, page: PageRequest) -> Page[Employer]:
        found, total = self._session.page(
            _LIST_EMPLOYERS, _COUNT_EMPLOYERS, (), page.page_size, page.offset
        )
        return Page([rows.employer(row) for row in found], total, page)


_USERS = PeopleTable(
    "users", rows.USER_COLUMNS, rows.USER_PLACEHOLDERS, rows.user_row, rows.user,
    "an account with this email already exists",
)
_SAVE_USER_ROLE = "UPDATE users SET role = %s WHERE id = %s"
_DELETE_USER = "DELETE FROM users WHERE id = %s"
_SELECT_EMPLOYER_USERS = (
    f"SELECT {rows.USER_COLUMNS} FROM users WHERE employer_id = %s ORDER BY id"
)
_SELECT_USERS_WITH_ROLE = (
    f"SELECT {rows.USER_COLUMNS} FROM users WHERE employer_id = %s AND role = %s ORDER BY id"
)
# Rows locked and re-checked in id order: a row whose role a concurrent change committed
# away from the admin role drops out of the result once that change commits.
_SELECT_USERS_WITH_ROLE_FOR_UPDATE = f"{_SELECT_USERS_WITH_ROLE} FOR UPDATE"


class PostgresUsers(PostgresPeople[User]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, _USERS)

    def save(self, user: User) -> None:
        self._session.write(_SAVE_USER_ROLE, (user.role.value, user.id))

    def remove(self, user_id: int) -> None:
        self._session.write(_DELETE_USER, (user_id,))

    def list_for_employer(self, employer_id: int) -> Sequence[User]:
        return [rows.user(row) for row in self._session.all(_SELECT_EMPLOYER_USERS, (employer_id,))]

    def admins_of(self, employer_id: int, *, for_update: bool = False) -> Sequence[User]:
        query = _SELECT_USERS_WITH_ROLE_FOR_UPDATE if for_update else _SELECT_USERS_WITH_ROLE
        found = self._session.all(query, (employer_id, Role.EMPLOYER_ADMIN.value))
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
# Run by every authenticated request: hot statements (``hot_statement``).
_SELECT_API_KEY_BY_HASH = HotStatement(
    "api_key_by_hash", f"SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE key_hash = %s"
)
_KEY_FIELDS = len(rows.API_KEY_COLUMNS.split(","))
# The job joins on the key's own employer: another employer's job is never read for a key.
_SELECT_API_KEY_BY_HASH_WITH_JOB = HotStatement("api_key_by_hash_with_job", f"""
SELECT {", ".join(f"k.{c}" for c in rows.API_KEY_COLUMNS.split(", "))},
       {", ".join(f"j.{c}" for c in rows.JOB_COLUMNS.split(", "))}
FROM api_keys k LEFT JOIN job_posts j ON j.id = %s AND j.employer_id = k.employer_id
WHERE k.key_hash = %s
""")
_SELECT_EMPLOYER_API_KEYS = (
    f"SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE employer_id = %s ORDER BY id"
)
_SELECT_PENDING_API_KEYS = f"""
SELECT {rows.API_KEY_COLUMNS} FROM api_keys WHERE status = 'PendingApproval'
ORDER BY created_at, id LIMIT %s
"""
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
        row = self._session.one_hot(_SELECT_API_KEY_BY_HASH, (key_hash,))
        return None if row is None else rows.api_key(row)

    def find_by_hash_with_job(
        self, key_hash: str, job_id: int
    ) -> tuple[ApiKey | None, JobPost | None]:
        row = self._session.one_hot(_SELECT_API_KEY_BY_HASH_WITH_JOB, (job_id, key_hash))
        if row is None:
            return None, None
        job = None if row[_KEY_FIELDS] is None else rows.job(row[_KEY_FIELDS:])
        return rows.api_key(row[:_KEY_FIELDS]), job

    def save(self, key: ApiKey) -> None:
        self._session.write(_SAVE_API_KEY, rows.api_key_row(key))

    def list_for_employer(self, employer_id: int) -> Sequence[ApiKey]:
        found = self._session.all(_SELECT_EMPLOYER_API_KEYS, (employer_id,))
        return [rows.api_key(row) for row in found]

    def pending(self, limit: int) -> Sequence[ApiKey]:
        return [rows.api_key(row) for row in self._session.all(_SELECT_PENDING_API_KEYS,
                                                               (limit,))]

    def touch(self, key_id: int, at: datetime) -> None:
        self._session.write(_TOUCH_API_KEY, (at, key_id, at))

    def touch_many(self, uses: Mapping[int, datetime]) -> None:
        self._session.write_many(
            _TOUCH_API_KEY, [(at, key_id, at) for key_id, at in uses.items()]
        )

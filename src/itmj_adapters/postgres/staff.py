"""Platform staff and password-reset links in PostgreSQL."""

from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session, unique_email
from itmj_domain.accounts import same_email
from itmj_domain.password_resets import HolderKind, PasswordReset
from itmj_domain.staff import StaffMember

_INSERT_STAFF = f"INSERT INTO staff ({rows.STAFF_COLUMNS}) VALUES ({rows.STAFF_PLACEHOLDERS})"
_SELECT_STAFF = f"SELECT {rows.STAFF_COLUMNS} FROM staff WHERE id = %s"
_SELECT_STAFF_BY_EMAIL = f"SELECT {rows.STAFF_COLUMNS} FROM staff WHERE lower(email) = %s"
_SELECT_STAFF_PASSWORD = "SELECT password_hash FROM staff WHERE id = %s"
_SET_STAFF_PASSWORD = "UPDATE staff SET password_hash = %s WHERE id = %s"


class PostgresStaff:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("staff_id_seq")

    def add(self, member: StaffMember) -> None:
        with unique_email("a staff member with this email already exists"):
            self._session.write(_INSERT_STAFF, rows.staff_row(member))

    def get(self, staff_id: int) -> StaffMember | None:
        row = self._session.one(_SELECT_STAFF, (staff_id,))
        return None if row is None else rows.staff(row)

    def find_by_email(self, email: str) -> StaffMember | None:
        row = self._session.one(_SELECT_STAFF_BY_EMAIL, (same_email(email),))
        return None if row is None else rows.staff(row)

    def password_hash(self, staff_id: int) -> str | None:
        row = self._session.one(_SELECT_STAFF_PASSWORD, (staff_id,))
        return None if row is None else row[0]

    def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        self._session.write(_SET_STAFF_PASSWORD, (password_hash, staff_id))


_INSERT_RESET = (
    f"INSERT INTO password_resets ({rows.PASSWORD_RESET_COLUMNS})"
    f" VALUES ({rows.PASSWORD_RESET_PLACEHOLDERS})"
)
_SELECT_OPEN_RESET = f"""
SELECT {rows.PASSWORD_RESET_COLUMNS} FROM password_resets
WHERE token_hash = %s AND used_at IS NULL AND expires_at > %s
"""
# One statement marks the link used with every other open link of its holder, so of two
# simultaneous uses of one holder's links one wins: the other waits on the rows the first
# holds, then finds them used. Both lock the same rows in the same order, so neither deadlocks.
_CONSUME_RESET = f"""
UPDATE password_resets SET used_at = %s
WHERE used_at IS NULL AND (holder_kind, holder_id) = (
    SELECT holder_kind, holder_id FROM password_resets
    WHERE token_hash = %s AND used_at IS NULL AND expires_at > %s
)
RETURNING {rows.PASSWORD_RESET_COLUMNS}
"""
_VOID_RESETS = """
UPDATE password_resets SET used_at = %s
WHERE holder_kind = %s AND holder_id = %s AND used_at IS NULL
"""


class PostgresPasswordResets:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, reset: PasswordReset) -> None:
        self._session.write(_INSERT_RESET, rows.password_reset_row(reset))

    def find_open(self, token_hash: str, now: datetime) -> PasswordReset | None:
        row = self._session.one(_SELECT_OPEN_RESET, (token_hash, now))
        return None if row is None else rows.password_reset(row)

    def consume(self, token_hash: str, now: datetime) -> PasswordReset | None:
        used = self._session.write_all(_CONSUME_RESET, (now, token_hash, now))
        return next((reset for reset in map(rows.password_reset, used)
                     if reset.token_hash == token_hash), None)

    def void_all(self, holder_kind: HolderKind, holder_id: int, now: datetime) -> None:
        self._session.write(_VOID_RESETS, (now, holder_kind.value, holder_id))

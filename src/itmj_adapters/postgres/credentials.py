"""Passwords and password-reset links of users and staff alike, in PostgreSQL.

A password hash is a column of its holder's own table (``users`` or ``staff``); reset links
name their holder by kind and id.
"""

from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.password_resets import PasswordReset
from itmj_domain.principals import Principal, PrincipalKind

_TABLES = {PrincipalKind.USER: "users", PrincipalKind.STAFF: "staff"}
_SELECT_PASSWORD = {
    kind: f"SELECT password_hash FROM {table} WHERE id = %s" for kind, table in _TABLES.items()
}
_SET_PASSWORD = {
    kind: f"UPDATE {table} SET password_hash = %s WHERE id = %s"
    for kind, table in _TABLES.items()
}


class PostgresCredentials:
    def __init__(self, session: Session) -> None:
        self._session = session

    def password_hash(self, principal: Principal) -> str | None:
        row = self._session.one(_SELECT_PASSWORD[principal.kind], (principal.id,))
        return None if row is None else row[0]

    def set_password_hash(self, principal: Principal, password_hash: str) -> None:
        self._session.write(_SET_PASSWORD[principal.kind], (password_hash, principal.id))


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

    def void_all(self, holder: Principal, now: datetime) -> None:
        self._session.write(_VOID_RESETS, (now, holder.kind.value, holder.id))

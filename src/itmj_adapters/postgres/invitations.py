"""Team invitations in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.team import Invitation

_INSERT_INVITATION = (
    f"INSERT INTO team_invitations ({rows.INVITATION_COLUMNS})"
    f" VALUES ({rows.INVITATION_PLACEHOLDERS})"
)
_SAVE_INVITATION = (
    "UPDATE team_invitations SET accepted_at = %s, withdrawn_at = %s WHERE id = %s"
)
_SELECT_BY_ID = f"SELECT {rows.INVITATION_COLUMNS} FROM team_invitations WHERE id = %s"
_SELECT_BY_ID_FOR_UPDATE = f"{_SELECT_BY_ID} FOR UPDATE"
_SELECT_BY_TOKEN_HASH = (
    f"SELECT {rows.INVITATION_COLUMNS} FROM team_invitations WHERE token_hash = %s"
)
_SELECT_BY_TOKEN_HASH_FOR_UPDATE = f"{_SELECT_BY_TOKEN_HASH} FOR UPDATE"
_SELECT_OPEN = f"""
SELECT {rows.INVITATION_COLUMNS} FROM team_invitations
WHERE employer_id = %s AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > %s
ORDER BY created_at DESC, id DESC
"""


class PostgresInvitations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("team_invitations_id_seq")

    def add(self, invitation: Invitation) -> None:
        self._session.write(_INSERT_INVITATION, rows.invitation_row(invitation))

    def find_by_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> Invitation | None:
        query = _SELECT_BY_TOKEN_HASH_FOR_UPDATE if for_update else _SELECT_BY_TOKEN_HASH
        row = self._session.one(query, (token_hash,))
        return None if row is None else rows.invitation(row)

    def get(self, invitation_id: int, *, for_update: bool = False) -> Invitation | None:
        query = _SELECT_BY_ID_FOR_UPDATE if for_update else _SELECT_BY_ID
        row = self._session.one(query, (invitation_id,))
        return None if row is None else rows.invitation(row)

    def save(self, invitation: Invitation) -> None:
        self._session.write(
            _SAVE_INVITATION, (invitation.accepted_at, invitation.withdrawn_at, invitation.id)
        )

    def open_for_employer(self, employer_id: int, now: datetime) -> Sequence[Invitation]:
        found = self._session.all(_SELECT_OPEN, (employer_id, now))
        return [rows.invitation(row) for row in found]
